"""Recusal declarations (回避): members declare on their group's units, the office decides, access follows."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clues.models import Clue
from core.permissions import user_can
from inspection import services as rounds
from talentpool.models import RecusalDeclaration
from talentpool.services.recusals import decide_recusal, declare_recusal
from tests.clues.lifecycle import handed
from tests.conftest import assert_matrix, role_keys
from tests.exports import export_rows
from tests.factories import PersonFactory
from tests.helpers import page_queries

pytestmark = pytest.mark.django_db
TIE = [{"type": "spouse", "related_name": "钱某某", "related_position": "局长"}]


def _declare(world, key: str, tie: bool, **form) -> int:
    client = Client()
    client.force_login(world.users[key])
    data = {
        f"u{world.unit_a.pk}-has_conflict": "1" if tie else "0",
        **{f"u{world.unit_a.pk}-{k}": v for k, v in form.items()},
    }
    return client.post(reverse("talentpool:recusal-declare", args=[world.unit_a.pk]), data).status_code


def test_a_declared_tie_closes_the_unit_s_clues_until_the_office_allows(world):
    clue = handed(world)
    member = world.users["member_a"]
    assert _declare(world, "member_a", tie=True, relationship="spouse", related_name="钱某某") == 302
    assert not user_can(member, "view", clue)
    declaration = RecusalDeclaration.objects.get(person=member.person)
    decide_recusal(declaration=declaration, by=world.users["office_head"], decision="allowed")
    assert user_can(member, "view", clue)


def test_a_recused_member_stays_out_and_a_decided_declaration_is_final(world):
    clue = handed(world)
    member = world.users["member_a"]
    declaration = declare_recusal(
        by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=True, relationships=TIE
    )
    decide_recusal(declaration=declaration, by=world.users["office_staff"], decision="recuse")
    assert not user_can(member, "view", clue)
    with pytest.raises(ValidationError):
        declare_recusal(by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=False)
    with pytest.raises(ValidationError):
        decide_recusal(declaration=declaration, by=world.users["office_staff"], decision="allowed")


def test_the_clue_filter_names_recused_units_and_reads_no_declaration_for_a_member_with_none(world):
    """The recused units are read when the filter is built: a member without any gets a filter
    with no exclusion at all; one with a declared tie gets the unit named, in lists and counts."""
    clue = handed(world)
    member = world.users["member_a"]
    listed = Clue.objects.for_user(member)
    assert "recusal" not in str(listed.query).lower()
    assert list(listed.filter(pk=clue.pk)) == [clue]
    declare_recusal(by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=True, relationships=TIE)
    recused = Clue.objects.for_user(member)
    assert not recused.filter(pk=clue.pk).exists()
    assert recused.filter(inspected_unit=world.unit_a).count() == 0


def test_a_tie_needs_its_kind_and_a_no_needs_no_decision(world):
    member = world.users["member_a"]
    with pytest.raises(ValidationError):
        declare_recusal(by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=True)
    clear = declare_recusal(by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=False)
    with pytest.raises(ValidationError):
        decide_recusal(declaration=clear, by=world.users["office_head"], decision="recuse")
    # Until decided, a declaration can be corrected: still one row.
    declare_recusal(by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=True, relationships=TIE)
    assert RecusalDeclaration.objects.filter(person=member.person).count() == 1


def test_declaring_is_for_one_s_own_group_s_units_only(world):
    assert _declare(world, "member_b", tie=False) == 404
    assert _declare(world, "office_staff", tie=False) == 404
    assert not RecusalDeclaration.objects.exists()


def test_recusal_pages_permission_matrix(world):
    assert_matrix(world, reverse("talentpool:recusal-mine"), role_keys("leader_a", "member_a", "member_b"))
    assert_matrix(
        world, reverse("talentpool:recusal-board", args=[world.round.pk]), role_keys("office_head", "office_staff")
    )
    member = world.users["member_a"]
    declaration = declare_recusal(
        by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=True, relationships=TIE
    )
    decide = reverse("talentpool:recusal-decide", args=[declaration.pk])
    assert_matrix(world, decide, role_keys("office_head", "office_staff", status=302), method="post")


def test_the_board_does_not_grow_in_queries_with_members(world):
    client = Client()
    client.force_login(world.users["office_staff"])
    url = reverse("talentpool:recusal-board", args=[world.round.pk])
    few = page_queries(client, url)
    for _ in range(6):
        person = PersonFactory()
        rounds.add_member(by=None, group=world.group_b, person=person)
        declare_recusal(by=None, person=person, inspected_unit=world.unit_b, has_conflict=True, relationships=TIE)
    assert page_queries(client, url) == few


def test_the_board_exports_every_member_against_every_unit(world):

    member = world.users["member_a"]
    declare_recusal(by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=True, relationships=TIE)
    url = reverse("talentpool:recusal-export", args=[world.round.pk])
    assert_matrix(world, url, role_keys("office_head", "office_staff"))
    client = Client()
    client.force_login(world.users["office_staff"])
    rows = export_rows(client.get(url).content)
    assert len(rows) - 1 == 3  # leader A and member A on unit A, member B on unit B
    assert ("组员A", "被巡察单位A", "申报有回避情形", "夫妻关系", "钱某某") in [r[1:6] for r in rows[1:]]


def test_the_board_shows_the_tie_s_type_and_the_declarant_s_note(world):
    member = world.users["member_a"]
    assert (
        _declare(world, "member_a", tie=True, relationship="spouse", related_name="钱某某", note="其妻在该局任职")
        == 302
    )
    client = Client()
    client.force_login(world.users["office_staff"])
    body = client.get(reverse("talentpool:recusal-board", args=[world.round.pk])).content.decode()
    assert "夫妻关系" in body
    assert "其妻在该局任职" in body
    assert RecusalDeclaration.objects.get(person=member.person).note == "其妻在该局任职"


def test_the_office_s_decision_takes_a_note_shown_on_the_board(world):
    member = world.users["member_a"]
    declaration = declare_recusal(
        by=member, person=member.person, inspected_unit=world.unit_a, has_conflict=True, relationships=TIE
    )
    client = Client()
    client.force_login(world.users["office_head"])
    client.post(
        reverse("talentpool:recusal-decide", args=[declaration.pk]),
        {"decision": "allowed", "note": "已离婚多年，经研究准予参加"},
    )
    declaration.refresh_from_db()
    assert (declaration.decision, declaration.decision_note) == ("allowed", "已离婚多年，经研究准予参加")
    body = client.get(reverse("talentpool:recusal-board", args=[world.round.pk])).content.decode()
    assert "已离婚多年，经研究准予参加" in body
    assert "夫妻关系" in body
