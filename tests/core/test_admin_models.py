"""Every model is in the admin (issue 14 item 7): the product's own rows as read-only operator lists,
metadata only, never a detail page, case content listed to superusers alone."""

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models

from clues.models import (
    ClueAssessment,
    ClueDisposition,
    InfoRequestLetter,
    OnlineOpinionItem,
    PartnerUnit,
)
from clues.services.letters import create_round_letters
from core.admin import OperatorViewAdmin
from core.models import User
from core.sealing import SealedTextField
from liaison.models import ContactLogEntry, FeedbackProblem, HandoverRecord, RectificationItem
from tests.conftest import World, make_user
from tests.factories import OrganisationFactory
from tests.helpers import assert_max_queries, logged_in

OUR_APPS = ("core", "inspection", "clues", "talentpool", "liaison")
# Error text an operator needs to see why a delivery is stuck: an exception message, no field values.
ALLOWED_TEXT = {("core", "delivery", "last_error")}
# Models whose name (__str__) prints their content: an operator column must not show them.
CONTENT_NAMES = {ClueAssessment, ClueDisposition, ContactLogEntry, FeedbackProblem, HandoverRecord, OnlineOpinionItem}
CONTENT_NAMES |= {RectificationItem}

OPERATOR_ADMINS = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, OperatorViewAdmin)
]


def _url(model: type[models.Model], view: str = "changelist", *args: Any) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/" + ("" if view == "changelist" else f"{view}/")


def test_every_model_of_the_product_is_in_the_admin():
    missing = [
        m._meta.label for m in apps.get_models() if m._meta.app_label in OUR_APPS and m not in admin.site._registry
    ]
    assert missing == []


@pytest.mark.parametrize(("model", "model_admin"), OPERATOR_ADMINS, ids=lambda value: getattr(value, "__name__", ""))
def test_an_operator_column_never_shows_content(model, model_admin):
    for column in model_admin.list_display:
        assert column != "__str__", f"{model.__name__}: __str__ may print content"
        field = model._meta.get_field(column)  # every column is a field (problem_id: the key alone)
        assert not isinstance(field, SealedTextField), f"{model.__name__}.{column} is sealed"
        if isinstance(field, models.TextField | models.JSONField):
            assert (model._meta.app_label, model._meta.model_name, column) in ALLOWED_TEXT, f"{model.__name__}.{column}"
        if field.is_relation and column == field.name and not model_admin.content:
            assert field.related_model not in CONTENT_NAMES, f"{model.__name__}.{column} prints its target's content"


@pytest.fixture
def sysadmin(db: Any) -> User:
    return make_user("sysadmin", "system_admin", is_staff=True)


@pytest.fixture
def superuser(db: Any) -> User:
    return User.objects.create_superuser(username="root", email="root@example.gov.cn", password="x")


@pytest.mark.parametrize(("model", "model_admin"), OPERATOR_ADMINS, ids=lambda value: getattr(value, "__name__", ""))
def test_the_system_administrator_lists_metadata_and_never_case_content(model, model_admin, sysadmin, superuser):
    expected = 404 if model_admin.content else 200
    assert logged_in(sysadmin).get(_url(model)).status_code == expected
    assert logged_in(superuser).get(_url(model)).status_code == 200


def test_nothing_is_added_changed_or_opened_there_even_by_a_superuser(world: World, superuser):
    letters = _letters(world, 1)
    client = logged_in(superuser)
    assert client.get(_url(InfoRequestLetter, f"{letters[0].pk}/change")).status_code == 404
    assert client.get(_url(InfoRequestLetter, "add")).status_code == 403
    body = client.get(_url(InfoRequestLetter)).content.decode()
    assert f"{letters[0].pk}/change/" not in body  # no link to a detail page
    assert 'name="action"' not in body  # no bulk delete


def test_others_than_the_operator_see_none_of_it(world: World):
    clerk = make_user("clerk", "office_staff", is_staff=True)
    assert logged_in(clerk).get(_url(InfoRequestLetter)).status_code == 404


def test_the_letter_list_costs_the_same_queries_for_many_letters(world: World, sysadmin):
    client = logged_in(sysadmin)
    _letters(world, 2)
    client.get(_url(InfoRequestLetter))
    with assert_max_queries(100) as few:
        client.get(_url(InfoRequestLetter))
    _letters(world, 12)
    with assert_max_queries(len(few.captured_queries)):
        response = client.get(_url(InfoRequestLetter))
    assert response.content.decode().count('class="field-status"') >= 14


def _letters(world: World, partners: int) -> list[InfoRequestLetter]:
    for n in range(partners):
        PartnerUnit.objects.create(org_unit=OrganisationFactory(name=f"协作单位{PartnerUnit.objects.count()}-{n}"))
    return create_round_letters(inspection_round=world.round, by=world.users["office_head"])
