"""Secondment requests: every transition and guard of docs/domain.md §3.5, delivery, reminders, the constraint."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import delivery
from core.models import Notification, Reminder
from core.services import reminders
from inspection.models import GroupMembership
from talentpool.models import SecondmentEvaluation, SecondmentRequest, TalentPoolEntry
from talentpool.services import secondments
from talentpool.services.recusals import declare_recusal
from tests.talentpool import secondment_fixtures
from tests.talentpool.secondment_fixtures import (
    DUE,
    SENT_AT,
    SHANGHAI,
    accepted,
    clear_declarations,
    confirmed,
    declined,
    home,
    on_duty,
    pooled,
    requested,
    sent,
    site_over,
)

# The shared fixture, made visible to this module's tests.
sec_world = secondment_fixtures.sec_world
pytestmark = pytest.mark.django_db
Status = SecondmentRequest.Status


def _reminders(request):
    return Reminder.objects.filter(target_id=str(request.pk), kind__startswith="secondment.")


# ---------------------------------------------------------------- draft → requested


def test_sending_numbers_the_letter_and_sets_a_working_day_deadline(sec_world):
    first = sent(sec_world)
    second = sent(sec_world)
    assert (first.status, first.doc_number, first.response_due) == (Status.REQUESTED, "示巡办调〔2017〕1号", DUE)
    assert second.doc_number == "示巡办调〔2017〕2号"


def test_a_request_is_refused_for_an_inactive_pool_entry(sec_world):
    entry = pooled(home(sec_world), status=TalentPoolEntry.Status.SUSPENDED)
    with pytest.raises(ValidationError):
        requested(sec_world, entry)


def test_a_draft_whose_entry_was_suspended_is_not_sent(sec_world):
    request = requested(sec_world)
    TalentPoolEntry.objects.filter(pk=request.pool_entry_id).update(status=TalentPoolEntry.Status.SUSPENDED)
    with pytest.raises(ValidationError):
        secondments.send_request(request=request, by=sec_world.users["office_staff"])
    assert SecondmentRequest.objects.get(pk=request.pk).status == Status.DRAFT


def test_a_person_already_committed_in_the_round_is_refused(sec_world):
    request = requested(sec_world)
    with pytest.raises(ValidationError):
        requested(sec_world, request.pool_entry, group=sec_world.group_b)


def test_a_person_whose_home_unit_is_inspected_by_the_group_is_refused(sec_world):
    with pytest.raises(ValidationError, match="不能巡察其原单位"):
        requested(sec_world, pooled(sec_world.unit_a.org_unit))


def test_the_database_holds_one_live_request_per_person_and_round(sec_world):
    request = requested(sec_world)
    duplicate = {"inspection_round": request.inspection_round, "person": request.person, "home_unit": request.home_unit}
    with pytest.raises(IntegrityError), transaction.atomic():
        SecondmentRequest.objects.create(**duplicate)
    SecondmentRequest.objects.filter(pk=request.pk).update(status=Status.DECLINED)
    assert SecondmentRequest.objects.create(**duplicate).pk  # a refusal frees the person


def test_sending_twice_is_refused(sec_world):
    request = sent(sec_world)
    with pytest.raises(ValidationError):
        secondments.send_request(request=request, by=sec_world.users["office_staff"])


# ---------------------------------------------------------------- delivery and reminders


def test_delivery_runs_once_grants_the_home_unit_and_tells_its_contact(sec_world):
    request = sent(sec_world)
    assert request.delivered_at is not None
    assert delivery.deliver_record(request) is False
    contact = sec_world.users["contact_x"]
    assert Notification.objects.filter(recipient=contact, title__contains=request.doc_number).count() == 1
    assert list(SecondmentRequest.objects.for_user(contact, "answer")) == [request]
    assert not SecondmentRequest.objects.for_user(sec_world.users["contact_y"]).exists()
    kinds = list(_reminders(request).order_by("due_at").values_list("kind", "level"))
    assert kinds == [
        ("secondment.before", "green"),
        ("secondment.due", "yellow"),
        ("secondment.overdue", "yellow"),
        ("secondment.escalation", "red"),
        ("secondment.escalation", "red"),
    ]


def test_sending_enqueues_delivery_after_commit(sec_world, django_capture_on_commit_callbacks):
    request = requested(sec_world)
    with django_capture_on_commit_callbacks(execute=True):
        secondments.send_request(request=request, by=sec_world.users["office_staff"], now=SENT_AT)
    assert SecondmentRequest.objects.get(pk=request.pk).delivered_at is not None


def test_a_request_sent_while_the_broker_was_down_is_delivered_by_the_sweep(sec_world):
    from core.tasks import sweep_deliveries

    request = requested(sec_world)
    secondments.send_request(request=request, by=sec_world.users["office_staff"], now=SENT_AT)
    assert [row.target_id for row in delivery.pending_for(SecondmentRequest)] == [request.pk]
    assert sweep_deliveries.apply().get() == 1
    assert SecondmentRequest.objects.get(pk=request.pk).delivered_at is not None
    assert sweep_deliveries.apply().get() == 0


def test_the_delivery_task_tolerates_a_vanished_request(sec_world):
    from core.tasks import deliver

    assert deliver.apply(args=[987654]).get() is None


def _run_reminders_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        reminders.sweep_due_reminders()


def test_reminders_reach_the_contact_once_each_and_escalate_to_the_office_head(sec_world):
    request = sent(sec_world)
    for day in (7, 8, 9, 10):
        moment = datetime(2017, 8, day, 9, 1, tzinfo=SHANGHAI)
        _run_reminders_at(moment)
        _run_reminders_at(moment)  # a second sweep (or a retried task) sends nothing more
    assert _reminders(request).filter(status=Reminder.Status.SENT).count() == 4
    contact_notes = Notification.objects.filter(
        recipient=sec_world.users["contact_x"], title__contains=request.doc_number
    )
    assert contact_notes.count() == 1 + 4  # the delivery notice and four reminders
    head = Notification.objects.filter(recipient=sec_world.users["office_head"], title__contains=request.doc_number)
    assert head.count() == 1  # only the first escalation (red) is due so far


def test_reminders_stop_when_the_home_unit_answers(sec_world):
    request = accepted(sec_world)
    assert not _reminders(request).filter(status=Reminder.Status.PENDING).exists()
    _run_reminders_at(datetime(2017, 8, 30, 9, 1, tzinfo=SHANGHAI))
    assert not _reminders(request).filter(status=Reminder.Status.SENT).exists()


# ---------------------------------------------------------------- the home unit answers


def test_the_contact_accepts_and_the_office_is_told(sec_world):
    request = accepted(sec_world)
    assert request.status == Status.ACCEPTED
    assert request.responded_at is not None
    assert Notification.objects.filter(recipient=sec_world.users["office_staff"], title__contains="区人社局").exists()


def test_a_refusal_needs_a_coded_reason_and_words(sec_world):
    request = sent(sec_world)
    contact = sec_world.users["contact_x"]
    for code, words in (("", "太忙"), ("workload", "  "), ("made_up", "太忙")):
        with pytest.raises(ValidationError):
            secondments.decline_request(request=request, by=contact, decline_code=code, decline_reason=words)
    request = secondments.decline_request(
        request=request, by=contact, decline_code="key_task", decline_reason="脱贫攻坚"
    )
    assert (request.status, request.decline_code, request.decline_reason) == (Status.DECLINED, "key_task", "脱贫攻坚")


def test_only_the_home_unit_contact_answers(sec_world):
    request = sent(sec_world)
    with pytest.raises(ValidationError):
        secondments.accept_request(request=request, by=sec_world.users["office_staff"])


def test_a_draft_cannot_be_answered(sec_world):
    with pytest.raises(ValidationError):
        secondments.accept_request(request=requested(sec_world), by=sec_world.users["contact_x"])


# ---------------------------------------------------------------- escalation and replacement


def test_the_office_head_escalates_a_refusal_and_the_unit_may_then_accept(sec_world):
    request = declined(sec_world)
    with pytest.raises(ValidationError):
        secondments.escalate_request(
            request=request, by=sec_world.users["office_staff"], escalated_to="organization_dept"
        )
    request = secondments.escalate_request(
        request=request, by=sec_world.users["office_head"], escalated_to="organization_dept"
    )
    assert (request.status, request.escalated_to) == (Status.ESCALATED, "organization_dept")
    request = secondments.accept_request(request=request, by=sec_world.users["contact_x"])
    assert request.status == Status.ACCEPTED
    assert request.decline_code == "workload"  # the refusal still counts in the summary


def test_only_a_refusal_is_escalated(sec_world):
    with pytest.raises(ValidationError):
        secondments.escalate_request(
            request=sent(sec_world), by=sec_world.users["office_head"], escalated_to="discipline_commission"
        )


def test_a_refused_person_is_replaced_by_a_substitute_that_links_back(sec_world):
    request = declined(sec_world)
    substitute_entry = pooled(home(sec_world, "y"))
    substitute = secondments.replace_request(
        request=request, by=sec_world.users["office_staff"], entry=substitute_entry
    )
    request.refresh_from_db()
    assert request.status == Status.REPLACED
    assert (substitute.status, substitute.substitute_for, substitute.group) == (Status.DRAFT, request, request.group)
    assert substitute.home_unit == home(sec_world, "y")


def test_an_escalated_request_can_be_replaced_but_an_accepted_one_cannot(sec_world):
    request = secondments.escalate_request(
        request=declined(sec_world), by=sec_world.users["office_head"], escalated_to="discipline_commission"
    )
    secondments.replace_request(request=request, by=sec_world.users["office_staff"], entry=pooled(home(sec_world)))
    with pytest.raises(ValidationError):
        secondments.replace_request(
            request=accepted(sec_world), by=sec_world.users["office_staff"], entry=pooled(home(sec_world))
        )


def test_the_refused_person_is_never_their_own_substitute(sec_world):
    request = declined(sec_world)
    own_entry = TalentPoolEntry.objects.get(person=request.person, pool_type="inspection")
    with pytest.raises(ValidationError, match="另选"):
        secondments.replace_request(request=request, by=sec_world.users["office_staff"], entry=own_entry)
    assert SecondmentRequest.objects.get(pk=request.pk).status == Status.DECLINED


# ---------------------------------------------------------------- confirmation to completion


def test_confirmation_needs_clear_declarations_for_every_unit_of_the_group(sec_world):
    request = accepted(sec_world)
    staff = sec_world.users["office_staff"]
    with pytest.raises(ValidationError, match="被巡察单位A"):
        secondments.confirm_request(request=request, by=staff)
    declare_recusal(
        by=None,
        person=request.person,
        inspected_unit=sec_world.unit_a,
        has_conflict=True,
        relationships=[{"type": "worked_there_recently", "related_name": "", "related_position": "科员"}],
    )
    with pytest.raises(ValidationError, match="被巡察单位A"):
        secondments.confirm_request(request=request, by=staff)
    assert not GroupMembership.objects.filter(person=request.person).exists()


def test_confirmation_creates_the_seconded_membership_and_links_it(sec_world):
    request = confirmed(sec_world)
    assert request.status == Status.CONFIRMED
    assert request.confirmed_at is not None
    membership = GroupMembership.objects.get(person=request.person)
    assert (membership.group, membership.is_seconded, membership.secondment) == (sec_world.group_a, True, request)


def test_only_an_accepted_request_is_confirmed(sec_world):
    request = sent(sec_world)
    clear_declarations(sec_world, request.person)
    with pytest.raises(ValidationError):
        secondments.confirm_request(request=request, by=sec_world.users["office_staff"])


def test_the_group_leader_records_the_report_for_duty(sec_world):
    request = confirmed(sec_world)
    for outsider in ("office_staff", "member_a"):
        with pytest.raises(ValidationError):
            secondments.report_for_duty(request=request, by=sec_world.users[outsider])
    request = secondments.report_for_duty(request=request, by=sec_world.users["leader_a"])
    assert request.status == Status.ON_DUTY
    assert request.reported_at is not None


def test_the_evaluation_comes_after_the_site_work_and_reaches_the_home_unit(sec_world):
    request = on_duty(sec_world)
    leader = sec_world.users["leader_a"]
    with pytest.raises(ValidationError):
        secondments.record_evaluation(request=request, by=leader, rating="excellent")
    site_over(sec_world)
    with pytest.raises(ValidationError):
        secondments.record_evaluation(request=request, by=sec_world.users["office_head"], rating="excellent")
    evaluation = secondments.record_evaluation(request=request, by=leader, rating="excellent", comments="表现突出")
    assert evaluation.sent_to_home_unit_at is not None
    note = Notification.objects.get(
        recipient=sec_world.users["contact_x"], title__contains=request.person.name, body="表现突出"
    )
    assert note.url.endswith(f"/secondments/{request.pk}/")
    with pytest.raises(ValidationError):
        secondments.record_evaluation(request=request, by=leader, rating="competent")


def test_completion_needs_the_evaluation_and_ends_the_membership(sec_world):
    request = on_duty(sec_world)
    staff = sec_world.users["office_staff"]
    with pytest.raises(ValidationError):
        secondments.complete_request(request=request, by=staff)
    site_over(sec_world)
    secondments.record_evaluation(request=request, by=sec_world.users["leader_a"], rating="competent")
    request = secondments.complete_request(request=request, by=staff)
    assert request.status == Status.COMPLETED
    assert request.released_at is not None
    assert GroupMembership.objects.get(secondment=request).end_date is not None
    assert SecondmentEvaluation.objects.filter(secondment=request).exists()


# ---------------------------------------------------------------- cancellation


@pytest.mark.parametrize("stage", ["draft", "requested", "accepted", "declined", "confirmed"])
def test_any_open_request_can_be_cancelled(sec_world, stage):
    request = {
        "draft": lambda: requested(sec_world),
        "requested": lambda: sent(sec_world),
        "accepted": lambda: accepted(sec_world),
        "declined": lambda: declined(sec_world),
        "confirmed": lambda: confirmed(sec_world),
    }[stage]()
    request = secondments.cancel_request(request=request, by=sec_world.users["office_staff"])
    assert request.status == Status.CANCELLED
    assert not _reminders(request).filter(status=Reminder.Status.PENDING).exists()
    assert not GroupMembership.objects.filter(secondment=request, end_date__isnull=True).exists()


def test_a_finished_request_cannot_be_cancelled(sec_world):
    request = secondments.cancel_request(request=requested(sec_world), by=sec_world.users["office_staff"])
    with pytest.raises(ValidationError):
        secondments.cancel_request(request=request, by=sec_world.users["office_staff"])


def test_the_reply_deadline_counts_working_days(sec_world):
    # Friday 2017-09-29: the National Day week follows, and Saturday 9-30 is a make-up workday.
    request = sent(sec_world, now=datetime(2017, 9, 29, 10, 0, tzinfo=SHANGHAI))
    assert request.response_due == date(2017, 10, 10)
