"""Round pages: who sees which round, group and unit; constant queries as rounds grow."""

import re

from django.urls import reverse

from inspection import services as rounds
from inspection.models import InspectionRound
from tests.conftest import assert_matrix, role_keys
from tests.exports import export_rows
from tests.factories import OrganisationFactory, PersonFactory
from tests.helpers import logged_in, page_queries

OFFICE = ("office_head", "office_staff", "clue_custodian")


def test_round_detail_permission_matrix(world):
    url = reverse("inspection:round-detail", args=[world.round.pk])
    assert_matrix(world, url, role_keys(*OFFICE, "leader_a", "member_a", "member_b"))


def test_a_group_member_sees_only_the_units_of_their_own_group(world):
    body = (
        logged_in(world.users["member_a"])
        .get(reverse("inspection:round-detail", args=[world.round.pk]))
        .content.decode()
    )
    assert world.unit_a.org_unit.name in body
    assert world.unit_b.org_unit.name not in body


def test_office_staff_see_every_group_and_unit(world):
    body = (
        logged_in(world.users["office_staff"])
        .get(reverse("inspection:round-detail", args=[world.round.pk]))
        .content.decode()
    )
    assert world.unit_a.org_unit.name in body
    assert world.unit_b.org_unit.name in body


def test_a_partner_user_gets_an_empty_round_list(world):
    response = logged_in(world.users["partner_x"]).get(reverse("inspection:round-list"))
    assert list(response.context["page_obj"]) == []


def test_a_member_loses_access_when_the_membership_ends(world):
    from datetime import date

    membership = world.group_a.memberships.get(person__name="组员A")
    rounds.end_membership(by=None, membership=membership, end_date=date(2017, 10, 10))
    url = reverse("inspection:round-detail", args=[world.round.pk])
    assert logged_in(world.users["member_a"]).get(url).status_code == 404


def _add_round(n: int) -> InspectionRound:
    r = rounds.create_round(by=None, committee_term=14, year=2018, round_no=n, title=f"第{n}轮")
    group = rounds.create_group(by=None, inspection_round=r, number=1)
    rounds.assign_unit(by=None, group=group, org_unit=OrganisationFactory())
    rounds.add_member(by=None, group=group, person=PersonFactory())
    return r


def test_round_list_queries_do_not_grow_with_rounds(world):
    client = logged_in(world.users["office_staff"])
    url = reverse("inspection:round-list")
    _add_round(1)
    few = page_queries(client, url)
    for n in range(2, 25):
        _add_round(n)
    assert page_queries(client, url) == few


def test_round_detail_queries_do_not_grow_with_groups_and_members(world):
    client = logged_in(world.users["office_staff"])
    url = reverse("inspection:round-detail", args=[world.round.pk])
    few = page_queries(client, url)
    for number in range(3, 12):
        group = rounds.create_group(by=None, inspection_round=world.round, number=number)
        rounds.assign_unit(by=None, group=group, org_unit=OrganisationFactory())
        for _ in range(3):
            rounds.add_member(by=None, group=group, person=PersonFactory())
    assert page_queries(client, url) == few


def test_the_round_list_exports_the_rounds_the_user_sees(world):

    _add_round(1)
    for key, count in (("office_staff", 2), ("member_b", 1)):
        response = logged_in(world.users[key]).get(reverse("inspection:round-export"))
        rows = export_rows(response.content)
        assert len(rows) - 1 == count, key


def test_the_workbench_lists_the_rounds_the_user_sees_through_the_registered_section(world):
    """inspection adds its section to core's workbench (core.home); core itself imports no app."""
    detail = reverse("inspection:round-detail", args=[world.round.pk])
    member_page = logged_in(world.users["member_a"]).get(reverse("core:home")).content.decode()
    assert detail in member_page
    assert "第一轮" in member_page
    partner_page = logged_in(world.users["partner_x"]).get(reverse("core:home")).content.decode()
    assert detail not in partner_page
    assert "暂无您可查看的巡察轮次。" in partner_page


def test_the_round_page_offers_the_declared_moves_to_the_head_only(world):
    """The moves come from the round's workflow (allowed_transitions): the next stage, then cancelling."""
    url = reverse("inspection:round-detail", args=[world.round.pk])
    head, staff = logged_in(world.users["office_head"]), logged_in(world.users["office_staff"])
    html = head.get(url).content.decode()
    offered = re.findall(r'id="move-(\w+)"', html)
    assert offered == ["approved", "cancelled"]
    # Each move that may be taken leads to its confirmation page; a blocked one is a disabled button.
    assert reverse("inspection:round-move-confirm", args=[world.round.pk, "cancelled"]) in html
    assert reverse("inspection:round-move-confirm", args=[world.round.pk, "approved"]) not in html
    assert 'id="move-' not in staff.get(url).content.decode()


def test_a_planned_exit_before_entry_is_refused_in_words_not_by_constraint_name(world):
    """The page once showed the database constraint's name ("round_exit_after_entry")."""
    data = {
        "committee_term": 14, "year": 2018, "round_no": 9, "round_type": "regular", "title": "第九轮",
        "planned_entry_date": "2018-05-10", "planned_exit_date": "2018-05-01",
    }  # fmt: skip
    response = logged_in(world.users["office_staff"]).post(reverse("inspection:round-create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("计划撤离日期不能早于计划进驻日期。") == 1
    assert "round_exit_after_entry" not in body
    assert not InspectionRound.objects.filter(round_no=9).exists()


def test_a_refused_member_comes_back_on_the_form_with_what_was_entered(world):
    """A second leader was refused after a redirect that emptied the form; the page now keeps it."""
    person = PersonFactory(name="候选组长")
    data = {"group": world.group_a.pk, "person": person.pk, "role": "leader", "start_date": "2017-09-01"}
    url = reverse("inspection:round-add", args=[world.round.pk, "member"])
    response = logged_in(world.users["office_staff"]).post(url, data)
    assert response.status_code == 200
    form = response.context["member_form"]
    assert form.errors == {"__all__": ["该巡察组已有组长。"]}
    assert (form["group"].value(), form["person"].value(), form["start_date"].value()) == (
        str(world.group_a.pk), str(person.pk), "2017-09-01",
    )  # fmt: skip
    body = response.content.decode()
    assert "该巡察组已有组长。" in body
    assert 'value="2017-09-01"' in body
    assert not world.group_a.memberships.filter(person=person).exists()


def test_the_round_forms_leave_their_messages_to_the_app(world):
    """The new round's form had no novalidate: the browser's bubble (English in an English browser)
    stood in for the app's message. Every form of the round pages now leaves checking to the server."""
    client = logged_in(world.users["office_head"])
    for url in (
        reverse("inspection:round-create"),
        reverse("inspection:round-edit", args=[world.round.pk]),
        reverse("inspection:round-detail", args=[world.round.pk]),
    ):
        forms = re.findall(r"<form\b[^>]*>", client.get(url).content.decode())
        posting = [form for form in forms if 'method="post"' in form and "data-confirm" not in form]
        assert posting, url
        assert all("novalidate" in form for form in posting), url
