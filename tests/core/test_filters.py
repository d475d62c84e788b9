"""The list filters (core/filters.py): values read as the lists always read them, one form partial."""

import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clues.models import Clue
from clues.selectors.registry import ClueFilters, clue_registry
from reports.selectors.deadlines import DeadlineFilters
from talentpool.models import SecondmentRequest
from talentpool.selectors.secondments import SecondmentFilters
from tests.clues.lifecycle import handed

pytestmark = pytest.mark.django_db


def _form(user, name: str, params: dict) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return re.search(r'<form method="get"\s+class="filters".*?</form>', response.content.decode(), re.S).group(0)


def test_values_are_trimmed_cut_and_given_back_as_a_query_string():
    filters = ClueFilters.from_query({"round": " 3 ", "q": "x" * 300, "page": "2"})
    assert filters.round == "3"
    assert len(filters.q) == ClueFilters.max_length
    assert filters.as_query() == f"round=3&q={'x' * 100}"  # not the page: it is no filter
    assert ClueFilters(funnel="filed").as_query() == "funnel=filed"  # keyword values, as callers give


def test_each_list_keeps_what_an_unknown_value_meant(world):
    handed(world)
    head = world.users["office_head"]
    assert clue_registry(head, ClueFilters(round="abc")).count() == 0  # the registry: matches nothing
    assert clue_registry(head, ClueFilters(funnel="abc")).count() == Clue.objects.count()  # no such stage: no filter
    requests = SecondmentRequest.objects.all()
    assert SecondmentFilters(status="abc").filter_queryset(requests).query.where == requests.query.where


def test_a_flag_is_on_for_any_value_and_its_box_sends_one(world):
    assert DeadlineFilters(overdue="yes").overdue == "yes"
    form = _form(world.users["office_head"], "reports:deadlines", {"overdue": "yes"})
    assert '<input type="checkbox" name="overdue" value="1" checked>' in form
    assert 'name="overdue" value="1" checked' not in _form(world.users["office_head"], "reports:deadlines", {})


def test_the_partial_selects_the_values_in_force_and_carries_the_drill_down_ones(world):
    form = _form(world.users["office_head"], "clues:clue-list", {"round": str(world.round.pk), "funnel": "filed"})
    assert f'<option value="{world.round.pk}" selected>' in form
    assert '<input type="hidden" name="funnel" value="filed">' in form
    assert 'href="/clues/"' in form  # "Clear" once a filter is in force
    assert 'name="receiver"' not in form  # a carried filter not in force is not sent again
    assert 'hx-target="#clue-rows"' in form
    # The drop-downs' labels, built from values: the unit with its round, the group after it.
    assert f'<option value="{world.unit_a.pk}">被巡察单位A（{world.round.title}）</option>' in form
    assert f'<option value="{world.group_a.pk}">{world.round.title} 第1巡察组</option>' in form


def test_fields_only_the_office_uses_are_not_offered_to_others(world):
    assert 'name="partner"' in _form(world.users["office_head"], "clues:clue-list", {})
    assert 'name="partner"' not in _form(world.users["member_a"], "clues:clue-list", {})


def test_building_the_filters_runs_no_query_until_the_form_is_rendered(world):
    request = RequestFactory().get("/clues/", {"round": "1"})
    request.user = world.users["office_head"]
    assert request.user.has_perm("clues.export_clue")  # as the export view checks first (loads the permissions)
    with CaptureQueriesContext(connection) as queries:
        filters = ClueFilters.from_query(request.GET, request=request)
        filters.filter_queryset(Clue.objects.all())  # what an export does
    assert len(queries) == 0


def test_a_drop_down_builds_its_choices_once_per_rendering():
    """Django's Select reads the first choice to decide on `required`, which builds a callable's
    whole list a second time (every unit and group of every round, on the registry's bar)."""
    from django import forms

    from core.filters import FilterSelect, with_all

    built = []

    def units():
        built.append(1)
        return [(1, "区教育局"), (2, "区民政局")]

    class Bar(forms.Form):
        unit = forms.CharField(required=False, widget=FilterSelect(choices=with_all(units)))

    html = str(Bar(data={"unit": "2"})["unit"])
    assert len(built) == 1
    assert '<option value="2" selected>区民政局</option>' in html
    assert "required" not in html


def test_a_drop_down_escapes_its_options_and_keeps_safe_text():
    """A unit's name is typed by the office: it must reach the page as text, never as markup."""
    from django import forms
    from django.utils import translation
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from core.filters import FilterSelect

    choices = [
        ('"><script>x</script>', "<b>区&局</b>"),
        ("safe", mark_safe("<i>区民政局</i>")),
        ("lazy", gettext_lazy("All")),
    ]

    class Bar(forms.Form):
        unit = forms.CharField(required=False, widget=FilterSelect(choices=choices))

    with translation.override("en"):
        html = str(Bar(data={"unit": '"><script>x</script>'})["unit"])
    assert (
        '<option value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;" selected>&lt;b&gt;区&amp;局&lt;/b&gt;</option>'
        in html
    )
    assert "<script>" not in html
    assert '<option value="safe"><i>区民政局</i></option>' in html
    assert '<option value="lazy">All</option>' in html
