"""The clue state machine (docs/domain.md §3.3) as the services drive it, with every guard."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clues.models import CaseRecord, Clue, ClueDisposition, ClueHandover, ClueTransfer, Receiver
from clues.services import dispositions, registry, screening, transfers
from clues.services.lifecycle import TRANSITIONS
from core.models import AuditLog, Notification
from core.permissions import user_can
from inspection.models import InspectionRound
from inspection.services.workflow import check_move
from tests.clues.lifecycle import handed, proposed, received, register, step, transfer
from tests.helpers import logged_in

S = Clue.Status
pytestmark = pytest.mark.django_db


def test_every_status_is_either_terminal_or_has_a_way_on():
    terminal = {S.CASE_FILED, S.CONCLUDED_NO_CASE, S.GENERAL_PROBLEM, S.INSUFFICIENT, S.DUPLICATE, S.OUT_OF_SCOPE}
    assert set(TRANSITIONS) | terminal == set(S.values)
    assert not terminal & set(TRANSITIONS)


def test_registering_by_hand_gives_the_round_code_and_keeps_the_clue_with_the_office(world):
    clue = register(world)
    assert clue.code == "XC2017-01-0001"
    assert clue.status == S.REGISTERED
    assert clue.assigned_group == world.group_a
    assert not user_can(world.users["member_a"], "view", clue)


def test_the_clue_page_shows_the_amount_grouped_by_thousands(world):
    clue = register(world, amount_involved_yuan=Decimal("1205000"))
    page = logged_in(world.users["clue_custodian"]).get(reverse("clues:clue-detail", args=[clue.pk]))
    assert "<dd>1,205,000.00</dd>" in page.content.decode()


def test_a_group_member_registers_an_on_site_clue_for_their_own_unit_and_the_group_has_it(world):
    clue = registry.register_clue(
        by=world.users["member_a"],
        inspected_unit=world.unit_a,
        source_type=Clue.SourceType.INTERVIEW,
        received_date=date(2017, 8, 30),
        allegation_summary="个别谈话反映其公车私用",
        categories=["eight_point_rules"],
    )
    clue.refresh_from_db()
    assert clue.status == S.HANDED_TO_GROUP
    assert user_can(world.users["member_a"], "view", clue)
    with pytest.raises(PermissionDenied):
        registry.register_clue(
            by=world.users["member_a"],
            inspected_unit=world.unit_b,
            source_type=Clue.SourceType.INTERVIEW,
            received_date=date(2017, 8, 30),
            allegation_summary="不是本组的单位",
            categories=["work"],
        )


def test_an_on_site_clue_like_one_already_registered_still_reaches_the_group_and_the_custodian_decides(world):
    """A member who writes down what a second person reported on site must not lose it to a
    duplicate suggestion that only the custodian may decide: the clue goes to the group, the
    suggestion stays on it, and the custodians are told."""
    original = register(world, allegation_summary="个别谈话反映其公车私用，多次驾驶公车接送子女上下学")
    fields = {
        "inspected_unit": world.unit_a,
        "source_type": Clue.SourceType.INTERVIEW,
        "received_date": original.received_date,
        "allegation_summary": original.allegation_summary,
        "reported_persons": original.reported_persons,
        "categories": ["eight_point_rules"],
    }
    clue = registry.register_clue(by=world.users["member_a"], **fields)
    clue.refresh_from_db()
    assert clue.status == S.HANDED_TO_GROUP
    assert clue.possible_duplicate_of == original
    assert user_can(world.users["member_a"], "view", clue)
    told = Notification.objects.get(recipient=world.users["clue_custodian"], url=f"/clues/{clue.pk}/")
    assert clue.code in told.title
    assert original.code in told.title
    screening.mark_duplicate(clue=clue, of=original, by=world.users["clue_custodian"])
    assert Clue.objects.get(pk=clue.pk).status == S.DUPLICATE
    # The custodian's own handover still asks for the decision first.
    second = register(world, allegation_summary=original.allegation_summary, received_date=original.received_date)
    assert second.possible_duplicate_of == original
    with pytest.raises(ValidationError):
        screening.hand_over(clues=[second], by=world.users["clue_custodian"])


def test_the_register_page_tells_the_member_and_the_custodian_decides_on_the_clue_page(world, client):
    original = register(world, allegation_summary="个别谈话反映其违规收受管理服务对象所送礼品礼金")
    client.force_login(world.users["member_a"])
    response = client.post(
        "/clues/new/",
        {
            "inspected_unit": world.unit_a.pk,
            "source_type": Clue.SourceType.INTERVIEW,
            "received_date": original.received_date.isoformat(),
            "reported_persons": "钱某某，局长",
            "allegation_summary": original.allegation_summary,
            "categories": ["integrity"],
        },
        follow=True,
    )
    clue = Clue.objects.exclude(pk=original.pk).get()
    assert response.redirect_chain[-1][0] == f"/clues/{clue.pk}/"
    assert "已通知线索管理员判断是否重复" in response.content.decode()
    assert "merge-duplicate" not in response.content.decode()  # the member does not decide
    client.force_login(world.users["clue_custodian"])
    page = client.get(f"/clues/{clue.pk}/").content.decode()
    assert "merge-duplicate" in page
    assert original.code in page


def test_the_clue_page_tells_its_whole_history_from_registration(world, client):
    """QA: a clue's handling table began at its handover; registration, grading, a dismissed
    duplicate suggestion and closing as out of scope did not show."""
    custodian = world.users["clue_custodian"]
    graded, closed = register(world), register(world)
    Clue.objects.filter(pk=graded.pk).update(possible_duplicate_of=closed)
    graded.refresh_from_db()
    screening.dismiss_duplicate(clue=graded, by=custodian)
    screening.screen(clue=graded, by=custodian, grade="A")
    screening.mark_out_of_scope(clue=closed, by=custodian, reason="属于司法程序事项")
    client.force_login(custodian)
    history = client.get(f"/clues/{graded.pk}/").content.decode().split('id="history"')[1]
    labels = (str(Clue.SourceType.PETITION.label), str(Clue.Grade.A.label))
    for text in ("登记线索", *labels, "排除重复提示", "分级", custodian.display_name):
        assert text in history, text
    history = client.get(f"/clues/{closed.pk}/").content.decode().split('id="history"')[1]
    assert "不属于巡察范围" in history
    assert "属于司法程序事项" in history


def test_a_clue_needs_a_summary_a_category_and_a_hand_source(world):
    with pytest.raises(ValidationError):
        register(world, categories=[])
    with pytest.raises(ValidationError):
        register(world, source_type=Clue.SourceType.PARTNER_LETTER)
    assert not Clue.objects.exists()


def test_screening_grades_and_marks_screened_and_a_duplicate_suggestion_must_be_decided_first(world):
    first, second = register(world), register(world)
    Clue.objects.filter(pk=second.pk).update(possible_duplicate_of=first)
    second.refresh_from_db()
    with pytest.raises(ValidationError, match="重复"):
        screening.screen(clue=second, by=world.users["clue_custodian"], grade="B")
    with pytest.raises(ValidationError):
        screening.hand_over(clues=[first, second], by=world.users["clue_custodian"])
    assert Clue.objects.get(pk=first.pk).status == S.REGISTERED  # all or nothing
    screening.dismiss_duplicate(clue=second, by=world.users["clue_custodian"])
    graded = screening.screen(clue=second, by=world.users["clue_custodian"], grade="A", verifiability="high")
    assert (graded.status, graded.grade) == (S.SCREENED, "A")


def test_merging_closes_the_duplicate_against_its_original(world):
    first, second = register(world), register(world)
    merged = screening.mark_duplicate(clue=second, of=first, by=world.users["clue_custodian"])
    assert merged.status == S.DUPLICATE
    assert merged.duplicate_of == first
    with pytest.raises(ValidationError):
        screening.mark_duplicate(clue=first, of=merged, by=world.users["clue_custodian"])


def test_out_of_scope_needs_a_reason(world):
    clue = register(world)
    with pytest.raises(ValidationError):
        screening.mark_out_of_scope(clue=clue, by=world.users["clue_custodian"], reason="  ")
    closed = screening.mark_out_of_scope(clue=clue, by=world.users["clue_custodian"], reason="不属于巡察范围，转信访")
    assert closed.status == S.OUT_OF_SCOPE


def test_handover_grants_the_group_tells_it_and_records_who_received(world, client):
    clue = handed(world)
    assert clue.status == S.HANDED_TO_GROUP
    assert user_can(world.users["member_a"], "view", clue)
    assert user_can(world.users["member_a"], "assess", clue)
    assert not user_can(world.users["member_b"], "view", clue)
    assert Notification.objects.filter(recipient=world.users["member_a"], title__contains="1").exists()
    client.force_login(world.users["member_a"])
    client.get(f"/clues/{clue.pk}/")
    handover = ClueHandover.objects.get(clue=clue)
    assert handover.received_by == world.users["member_a"]


def test_handing_over_twice_is_refused_with_a_message(world):
    clue = handed(world)
    with pytest.raises(ValidationError):
        screening.hand_over(clues=[clue], by=world.users["clue_custodian"])
    assert ClueHandover.objects.count() == 1


@pytest.mark.parametrize(
    ("conclusion", "status"),
    [
        ("general_problem", S.GENERAL_PROBLEM),
        ("insufficient", S.INSUFFICIENT),
        ("needs_more_work", S.UNDER_ASSESSMENT),
        ("duplicate", S.DUPLICATE),
        ("out_of_scope", S.OUT_OF_SCOPE),
    ],
)
def test_each_assessment_conclusion_sets_its_status(world, conclusion, status):
    clue = handed(world)
    transfers.record_assessment(clue=clue, by=world.users["member_a"], conclusion=conclusion)
    assert Clue.objects.get(pk=clue.pk).status == status


def test_only_the_group_leader_proposes_a_transfer_and_names_the_receiver(world):
    clue = handed(world)
    with pytest.raises(ValidationError, match="组长"):
        transfers.record_assessment(
            clue=clue,
            by=world.users["member_a"],
            conclusion="recommend_transfer",
            recommended_receiver="discipline_commission",
        )
    with pytest.raises(ValidationError):
        transfers.record_assessment(clue=clue, by=world.users["leader_a"], conclusion="recommend_transfer")
    transfers.record_assessment(
        clue=clue,
        by=world.users["leader_a"],
        conclusion="recommend_transfer",
        recommended_receiver="discipline_commission",
    )
    assert Clue.objects.get(pk=clue.pk).status == S.PROPOSED_FOR_TRANSFER


def test_approval_sends_one_numbered_letter_with_a_feedback_date_and_gives_the_receiver_access(world):
    clue = proposed(world)
    sent = transfer(world, [clue])
    assert sent.doc_number == "示巡办移〔2017〕1号"
    assert sent.receiver == world.commission
    assert sent.feedback_due == date(2018, 1, 18)  # 90 days after 2017-10-20
    assert Clue.objects.get(pk=clue.pk).status == S.TRANSFERRED
    assert user_can(world.users["commission_receiver"], "view", clue)
    assert user_can(world.users["commission_receiver"], "dispose", clue)
    assert not user_can(world.users["orgdept_receiver"], "view", clue)
    # The reporter stays sealed unless the office includes it.
    assert not user_can(world.users["commission_receiver"], "reveal", clue)


def test_a_double_click_on_approve_changes_nothing_the_second_time(world):
    clue = proposed(world)
    transfer(world, [clue])
    with pytest.raises(ValidationError):
        transfer(world, [clue])
    assert ClueTransfer.objects.count() == 1


def test_the_reporter_travels_with_the_transfer_only_when_included(world):
    clue = proposed(world)
    transfer(world, [clue], include_reporter=True)
    assert user_can(world.users["commission_receiver"], "reveal", clue)


def test_a_proposal_sent_back_returns_to_assessment(world):
    clue = proposed(world)
    with pytest.raises(ValidationError):
        transfers.send_back(clue=clue, by=world.users["office_head"], note="")
    transfers.send_back(clue=clue, by=world.users["office_head"], note="补充谈话材料")
    assert Clue.objects.get(pk=clue.pk).status == S.UNDER_ASSESSMENT


def test_dispositions_wait_for_receipt(world):
    clue = proposed(world)
    transfer(world, [clue])
    with pytest.raises(ValidationError):
        step(world, Clue.objects.get(pk=clue.pk), "preliminary_verification")


def test_the_disposition_chain_talk_then_verification_then_case(world):
    clue = received(world)
    assert clue.status == S.RECEIVED
    clue = step(world, clue, "talk_or_letter_inquiry", date(2017, 11, 1))
    assert clue.status == S.TALK_OR_LETTER_INQUIRY
    clue = step(world, clue, "preliminary_verification", date(2017, 12, 1))
    assert clue.status == S.PRELIMINARY_VERIFICATION
    case = dispositions.open_case(
        clues=[clue],
        by=world.users["commission_receiver"],
        case_number="示纪立〔2018〕1号",
        filed_at=date(2018, 1, 5),
        subjects=["钱某某"],
    )
    clue.refresh_from_db()
    assert clue.status == S.CASE_FILED
    assert list(case.clues.all()) == [clue]
    outcomes = list(clue.dispositions.order_by("decided_at").values_list("disposition_type", "outcome"))
    assert outcomes == [("talk_or_letter_inquiry", "pending"), ("preliminary_verification", "case_filed")]
    dispositions.record_case_result(
        case=case,
        by=world.users["commission_receiver"],
        concluded_at=date(2018, 5, 1),
        result=CaseRecord.Result.PARTY_SANCTION,
        persons_sanctioned=1,
    )
    assert CaseRecord.objects.get(pk=case.pk).result == "party_sanction"


def test_a_case_only_from_preliminary_verification_and_a_case_number_only_once(world):
    clue = received(world)
    clue = step(world, clue, "talk_or_letter_inquiry")
    with pytest.raises(ValidationError):
        dispositions.open_case(
            clues=[clue],
            by=world.users["commission_receiver"],
            case_number="A1",
            filed_at=date(2018, 1, 5),
            subjects=["x"],
        )
    assert not CaseRecord.objects.exists()


def test_closed_with_no_action_concludes_at_once(world):
    clue = step(world, received(world), "closed_no_action")
    assert clue.status == S.CONCLUDED_NO_CASE
    with pytest.raises(ValidationError):
        step(world, clue, "preliminary_verification")


def test_deferred_is_not_concluded_and_can_come_back(world):
    clue = step(world, received(world), "preliminary_verification")
    clue = step(world, clue, "deferred", date(2017, 12, 1))
    assert clue.status == S.DEFERRED
    assert not clue.is_concluded
    clue = step(world, clue, "preliminary_verification", date(2018, 2, 1))
    dispositions.conclude(
        clue=clue, by=world.users["commission_receiver"], outcome="closed_untrue", outcome_date=date(2018, 3, 1)
    )
    clue.refresh_from_db()
    assert clue.status == S.CONCLUDED_NO_CASE
    assert clue.is_concluded


def test_a_step_cannot_be_dated_before_the_previous_one(world):
    clue = step(world, received(world), "preliminary_verification", date(2017, 12, 1))
    with pytest.raises(ValidationError):
        step(world, clue, "deferred", date(2017, 11, 1))
    assert ClueDisposition.objects.filter(clue=clue).count() == 1


def test_jiaoban_goes_back_to_the_unit_and_the_office_closes_it(world):
    clue = received(world, Receiver.INSPECTED_UNIT)
    sent = ClueTransfer.objects.get(items__clue=clue)
    assert sent.receiver == world.unit_a.org_unit
    # The unit's liaison officer never sees clues.
    assert not user_can(world.users["liaison_a"], "view", clue)
    with pytest.raises(ValidationError):
        step(world, clue, "preliminary_verification")
    transfers.record_unit_done(clue=clue, by=world.users["clue_custodian"], summary="已整改")
    assert Clue.objects.get(pk=clue.pk).status == S.CONCLUDED_NO_CASE


def test_every_move_leaves_an_audit_row(world):
    clue = step(world, received(world), "talk_or_letter_inquiry")
    moves = AuditLog.objects.filter(object_id=str(clue.pk), action=AuditLog.Action.TRANSITION).count()
    # handed_to_group, proposed, approved, transferred, received, talk inquiry
    assert moves == 6


def test_meeting_attendance_needs_an_invitation_and_an_agenda(world):
    clue = received(world)
    with pytest.raises(ValidationError):
        dispositions.record_meeting(
            by=world.users["commission_receiver"], commission=world.commission, date=date(2017, 11, 2),
            session_no="2017-20", office_head_invited=False, office_head_attended=True, clues=[clue],
        )  # fmt: skip
    with pytest.raises(ValidationError):
        dispositions.record_meeting(
            by=world.users["commission_receiver"], commission=world.commission, date=date(2017, 11, 2),
            session_no="2017-20", office_head_invited=True, office_head_attended=True,
        )  # fmt: skip


def test_a_clue_registered_by_hand_is_checked_against_the_unit_s_clues_of_that_month(world):
    # Dates given: register()'s default month follows how many clues earlier tests registered.
    august = {"received_date": date(2017, 8, 20)}
    text = {"allegation_summary": "反映其在工程招标中收受施工方好处费"}
    first = register(world, reported_persons=[{"name": "钱某某"}], **august, **text)
    same = register(world, reported_persons=[{"name": "孙某"}, {"name": "钱某某"}], **august, **text)
    other_matter = register(
        world, reported_persons=[{"name": "钱某某"}], allegation_summary="反映其长期不在岗", **august
    )
    other_month = register(world, reported_persons=[{"name": "钱某某"}], received_date=date(2017, 9, 2), **text)
    other_unit = register(world, world.unit_b, reported_persons=[{"name": "钱某某"}], **august, **text)
    assert same.possible_duplicate_of == first
    assert other_matter.possible_duplicate_of is None
    assert other_month.possible_duplicate_of is None
    assert other_unit.possible_duplicate_of is None


def test_dates_follow_the_order_of_events(world):
    clue = received(world)  # received on 2017-10-23
    with pytest.raises(ValidationError):
        step(world, clue, "preliminary_verification", date(2017, 10, 22))
    clue = step(world, clue, "preliminary_verification", date(2017, 12, 1))
    with pytest.raises(ValidationError):
        dispositions.conclude(
            clue=clue, by=world.users["commission_receiver"], outcome="closed_untrue", outcome_date=date(2017, 11, 30)
        )
    with pytest.raises(ValidationError):
        dispositions.open_case(
            clues=[clue], by=world.users["commission_receiver"], case_number="C-9", filed_at=date(2017, 11, 30),
            subjects=["x"],
        )  # fmt: skip
    assert Clue.objects.get(pk=clue.pk).status == S.PRELIMINARY_VERIFICATION


def test_a_clue_proposed_for_transfer_blocks_archiving_the_round_through_the_registered_guard(world):
    """clues adds this guard to inspection's workflow (CluesConfig.ready); inspection imports no clue."""
    clue = proposed(world)
    InspectionRound.objects.filter(pk=world.round.pk).update(status=InspectionRound.Status.REVIEWING)
    reviewing = InspectionRound.objects.get(pk=world.round.pk)
    assert check_move(reviewing, InspectionRound.Status.ARCHIVED).problems == ["还有1条建议移交的问题线索尚未移交。"]
    Clue.objects.filter(pk=clue.pk).update(status=S.TRANSFERRED)
    assert check_move(reviewing, InspectionRound.Status.ARCHIVED).ok
