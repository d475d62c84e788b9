"""A round's stages (docs/domain.md §3.1): every guard names what is missing; the effects of each move."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from clues.models import InfoRequestLetter
from clues.services import transfers
from clues.services.partners import register_partner
from core.permissions import user_can
from inspection import services as rounds
from inspection.models import GroupMembership, InspectionGroup, InspectionRound
from inspection.services.workflow import check_move, move_round
from talentpool.services.recusals import declare_recusal
from tests.clues.lifecycle import handed, proposed
from tests.conftest import assert_matrix, role_keys, status_for
from tests.factories import PersonFactory

R = InspectionRound.Status
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _approved(world) -> InspectionRound:
    rounds.attach_work_plan(
        inspection_round=world.round, by=world.users["office_staff"], upload=io.BytesIO(PDF), name="方案.pdf"
    )
    rounds.update_round(inspection_round=world.round, by=None, approved_by_text="区委书记专题会")
    return move_round(inspection_round=world.round, to=R.APPROVED, by=world.users["office_head"])


def _complete_groups(world) -> None:
    """Deputies for both groups, a leader for B, every member's declaration on every unit, a liaison officer per unit."""
    from datetime import date as day

    from liaison.services.offices import appoint_officer, set_up_office

    for unit in (world.unit_a, world.unit_b):
        office = set_up_office(by=None, inspected_unit=unit)
        appoint_officer(
            by=None, office=office, person=PersonFactory(home_unit=unit.org_unit), start_date=day(2017, 8, 1)
        )
    rounds.add_member(by=None, group=world.group_a, person=PersonFactory(), role="deputy_leader")
    rounds.add_member(by=None, group=world.group_b, person=PersonFactory(), role="leader")
    rounds.add_member(by=None, group=world.group_b, person=PersonFactory(), role="deputy_leader")
    for membership in GroupMembership.objects.filter(inspection_round=world.round):
        for unit in membership.group.inspected_units.all():
            declare_recusal(by=None, person=membership.person, inspected_unit=unit, has_conflict=False)


def test_approval_needs_the_work_plan_and_the_approving_meeting(world):
    check = check_move(world.round, R.APPROVED)
    assert not check.ok
    assert len(check.problems) == 2
    with pytest.raises(ValidationError) as refused:
        move_round(inspection_round=world.round, to=R.APPROVED, by=world.users["office_head"])
    assert len(refused.value.messages) == 2
    assert InspectionRound.objects.get(pk=world.round.pk).status == R.DRAFT
    assert _approved(world).status == R.APPROVED


def test_a_group_without_units_blocks_approval(world):
    rounds.create_group(by=None, inspection_round=world.round, number=3)
    rounds.attach_work_plan(
        inspection_round=world.round, by=world.users["office_staff"], upload=io.BytesIO(PDF), name="方案.pdf"
    )
    rounds.update_round(inspection_round=world.round, by=None, approved_by_text="书记专题会")
    problems = check_move(InspectionRound.objects.get(pk=world.round.pk), R.APPROVED).problems
    assert len(problems) == 1
    assert "3" in problems[0]


def test_preparing_drafts_the_letters_and_warns_about_upward_filing(world):
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    approved = _approved(world)
    assert check_move(approved, R.PREPARING).warnings
    move_round(inspection_round=approved, to=R.PREPARING, by=world.users["office_head"])
    assert InfoRequestLetter.objects.filter(inspection_round=world.round, status="draft").count() == 1


def test_entry_names_every_missing_piece_then_stations_the_groups(world):
    approved = _approved(world)
    preparing = move_round(inspection_round=approved, to=R.PREPARING, by=world.users["office_head"])
    problems = check_move(preparing, R.ONSITE).problems
    joined = "\n".join(problems)
    assert "组长A" in joined
    assert "组员A" in joined
    assert len([p for p in problems if "副组长" in p]) == 2
    _complete_groups(world)
    onsite = move_round(inspection_round=preparing, to=R.ONSITE, by=world.users["office_head"])
    assert onsite.status == R.ONSITE
    assert set(InspectionGroup.objects.values_list("status", flat=True)) == {"stationed"}


def test_an_open_conflict_and_an_unconfirmed_secondment_block_entry(world):
    _complete_groups(world)
    member = GroupMembership.objects.get(person=world.users["member_a"].person)
    declaration = member.person.recusals.get()
    declaration.has_conflict = True
    declaration.save()
    GroupMembership.objects.filter(pk=member.pk).update(is_seconded=True)
    preparing = move_round(inspection_round=_approved(world), to=R.PREPARING, by=world.users["office_head"])
    problems = check_move(preparing, R.ONSITE).problems
    assert len(problems) == 2
    assert all("组员A" in p for p in problems)


def test_entry_waits_for_a_liaison_officer_in_every_unit(world):
    from liaison.models import LiaisonAssignment

    _complete_groups(world)
    LiaisonAssignment.objects.filter(liaison_office__inspected_unit=world.unit_b).delete()
    preparing = move_round(inspection_round=_approved(world), to=R.PREPARING, by=world.users["office_head"])
    (problem,) = check_move(preparing, R.ONSITE).problems
    assert world.unit_b.org_unit.display_name in problem


def test_leaving_needs_the_exit_date(world):
    _complete_groups(world)
    preparing = move_round(inspection_round=_approved(world), to=R.PREPARING, by=world.users["office_head"])
    onsite = move_round(inspection_round=preparing, to=R.ONSITE, by=world.users["office_head"])
    assert not check_move(onsite, R.REPORTING).ok
    rounds.update_round(inspection_round=onsite, by=None, actual_exit_date=date(2017, 10, 10))
    reporting = move_round(inspection_round=InspectionRound.objects.get(pk=onsite.pk), to=R.REPORTING, by=None)
    assert set(InspectionGroup.objects.values_list("status", flat=True)) == {"withdrawn"}
    assert reporting.status == R.REPORTING


def test_archiving_waits_for_transfers_and_then_closes_the_leaders_reading(world):
    clue = handed(world)
    waiting = proposed(world)
    InspectionRound.objects.filter(pk=world.round.pk).update(status=R.REVIEWING)
    assert not check_move(InspectionRound.objects.get(pk=world.round.pk), R.ARCHIVED).ok
    transfers.send_back(clue=waiting, by=world.users["office_head"], note="证据不足")
    transfers.record_assessment(clue=waiting, by=world.users["leader_a"], conclusion="insufficient")
    leader = world.users["leader_a"]
    rounds.end_membership(
        by=None, membership=GroupMembership.objects.get(person=leader.person), end_date=date(2017, 11, 1)
    )
    assert user_can(leader, "view", clue)
    move_round(inspection_round=world.round, to=R.ARCHIVED, by=world.users["office_head"])
    assert not user_can(leader, "view", clue)


def test_moves_out_of_order_are_refused_and_cancelling_is_early_only(world):
    with pytest.raises(ValidationError):
        move_round(inspection_round=world.round, to=R.ONSITE, by=None)
    assert move_round(inspection_round=world.round, to=R.CANCELLED, by=None).status == R.CANCELLED


def test_nobody_inspects_their_own_home_unit(world):
    with pytest.raises(ValidationError, match="原单位"):
        rounds.add_member(by=None, group=world.group_a, person=PersonFactory(home_unit=world.unit_a.org_unit))
    outsider_unit = PersonFactory().home_unit
    rounds.add_member(by=None, group=world.group_b, person=PersonFactory(home_unit=outsider_unit))
    with pytest.raises(ValidationError):
        rounds.assign_unit(by=None, group=world.group_b, org_unit=outsider_unit)


def test_one_group_per_person_per_round_and_one_leader_per_group_in_words(world):
    with pytest.raises(ValidationError, match="已在本轮"):
        rounds.add_member(by=None, group=world.group_b, person=world.users["member_a"].person)
    with pytest.raises(ValidationError, match="已有组长"):
        rounds.add_member(by=None, group=world.group_a, person=PersonFactory(), role="leader")


def test_round_planning_pages_permission_matrix(world):
    office = ("office_head", "office_staff")
    assert_matrix(world, reverse("inspection:round-create"), role_keys(*office))
    assert_matrix(world, reverse("inspection:round-edit", args=[world.round.pk]), role_keys(*office))
    add = reverse("inspection:round-add", args=[world.round.pk, "group"])
    # An empty form comes back on the round page with its errors.
    assert_matrix(world, add, role_keys(*office), method="post")
    move = reverse("inspection:round-move", args=[world.round.pk])
    assert_matrix(world, move, {}, method="post")  # without a target stage the move is a 404 for everyone
    for key, expected in (("office_head", 302), ("office_staff", 404), ("leader_a", 404)):
        assert status_for(world.users[key], move, "post", {"to": "cancelled"}) == expected, key
    assert InspectionRound.objects.get(pk=world.round.pk).status == R.CANCELLED


def test_the_round_page_shows_what_blocks_the_next_stage(world):
    client = Client()
    client.force_login(world.users["office_head"])
    body = client.get(reverse("inspection:round-detail", args=[world.round.pk])).content.decode()
    assert 'id="move-approved"' in body
    assert "disabled" in body
    assert "附上工作方案" in body


def test_group_size_is_a_planning_warning_only(world):
    from inspection.selectors import round_warnings

    assert any("5至7" in w for w in round_warnings(world.round))
    InspectionRound.objects.filter(pk=world.round.pk).update(status=R.RECTIFYING)
    assert not any("5至7" in w for w in round_warnings(InspectionRound.objects.get(pk=world.round.pk)))


def test_other_apps_add_their_checks_to_the_entry_guard(world):
    from inspection.services import workflow

    def no_canteen(inspection_round):
        return ["食堂尚未安排。"]

    workflow.register_stage_guard(R.ONSITE, no_canteen)
    try:
        _complete_groups(world)
        preparing = move_round(inspection_round=_approved(world), to=R.PREPARING, by=world.users["office_head"])
        assert check_move(preparing, R.ONSITE).problems == ["食堂尚未安排。"]
    finally:
        workflow._STAGE_GUARDS[R.ONSITE].remove(no_canteen)


def test_a_member_who_declared_on_no_unit_reads_one_line_naming_every_unit(world):
    """Guard lists group by person (issue 14 item 6): not one line per person and unit."""
    from tests.factories import OrganisationFactory

    _complete_groups(world)
    extra = [
        rounds.assign_unit(by=None, group=world.group_a, org_unit=OrganisationFactory(name=f"加测单位{n}"))
        for n in (1, 2, 3)
    ]
    preparing = move_round(inspection_round=_approved(world), to=R.PREPARING, by=world.users["office_head"])
    problems = [p for p in check_move(preparing, R.ONSITE).problems if "组员A" in p]
    assert len(problems) == 1
    assert all(unit.org_unit.display_name in problems[0] for unit in extra)
