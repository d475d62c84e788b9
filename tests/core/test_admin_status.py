"""The admin never moves a status: each status moves only through its declared transitions."""

from typing import Any

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.admin import OperatorViewAdmin
from core.models import User
from core.transitions import status_fields
from inspection.models import InspectedUnit, InspectionGroup, InspectionRound
from tests.core.test_audit import admin_client, change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db: Any) -> User:
    return User.objects.create_superuser(username="root", email="root@example.gov.cn", password="x")


def stateful_admins() -> list[Any]:
    return [model_admin for model, model_admin in admin.site._registry.items() if status_fields(model)]


def test_every_admin_of_a_stateful_model_shows_the_status_read_only(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    found = {type(model_admin).__name__ for model_admin in stateful_admins()}
    # The rounds' admins at least; a new stateful admin is covered by the loop below.
    assert {"InspectionRoundAdmin", "InspectionGroupAdmin", "InspectedUnitAdmin"} <= found
    for model_admin in stateful_admins():
        if isinstance(model_admin, OperatorViewAdmin):  # a list only: nothing is editable at all
            assert not model_admin.has_change_permission(request), type(model_admin).__name__
            continue
        read_only = model_admin.get_readonly_fields(request, None)
        assert set(status_fields(model_admin.model)) <= set(read_only), type(model_admin).__name__


def _post_with_status(client: Any, url: str, status: str) -> None:
    page = client.get(url)
    assert page.status_code == 200
    data = change_form_data(page)
    assert "status" not in data  # not even offered
    data["status"] = status
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


@pytest.mark.parametrize(
    ("model", "target"),
    [
        (InspectionRound, InspectionRound.Status.ARCHIVED),
        (InspectionGroup, InspectionGroup.Status.ARCHIVED),
        (InspectedUnit, InspectedUnit.Status.RECTIFIED),
    ],
)
def test_posting_a_changed_status_to_the_admin_leaves_it_unchanged(world, superuser, model, target):
    obj = {InspectionRound: world.round, InspectionGroup: world.group_a, InspectedUnit: world.unit_a}[model]
    before = model.objects.get(pk=obj.pk).status
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"
    _post_with_status(admin_client(superuser), url, target)
    assert model.objects.get(pk=obj.pk).status == before != target
