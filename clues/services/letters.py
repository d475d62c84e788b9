"""Information request letters: drafting, approval and sending, delivery, views (docs/domain.md §3.2)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clues import texts
from clues.models import InfoRequestLetter, PartnerUnit
from clues.reminders import LETTERS
from core import audit, delivery, transitions
from core.models import Notification, User
from core.numbering import next_doc_number
from core.permissions import grant, scope_group
from core.roles import Role
from core.services.notifications import notify
from core.services.reminders import PlannedReminder, cancel_reminders, schedule_reminders
from core.wording import message_date
from core.workdays import add_working_days, working_days_between
from inspection.models import InspectionRound

LETTER_SERIES = "info_request_letter"
EDITABLE = (InfoRequestLetter.Status.DRAFT, InfoRequestLetter.Status.PENDING_APPROVAL)


def _has_items_and_units(letter: InfoRequestLetter, move: transitions.Move) -> list[str]:
    if not letter.request_items or not letter.inspected_units.exists():
        return [_("A letter needs at least one requested item and one unit before approval.")]
    return []


L = InfoRequestLetter.Status
# docs/domain.md §3.2, one transition per target status. Who acts is checked by the calling service
# and its view (office staff submit, the head sends, a partner user views and answers).
WORKFLOW = transitions.register(
    transitions.Workflow(
        InfoRequestLetter,
        [
            transitions.Transition(L.PENDING_APPROVAL, (L.DRAFT,), L.PENDING_APPROVAL, guards=(_has_items_and_units,)),
            transitions.Transition(L.SENT, (L.PENDING_APPROVAL,), L.SENT),
            transitions.Transition(L.VIEWED, (L.SENT, L.RETURNED), L.VIEWED),
            transitions.Transition(L.ANSWERED, (L.SENT, L.VIEWED, L.RETURNED), L.ANSWERED),
            transitions.Transition(L.ACCEPTED, (L.ANSWERED,), L.ACCEPTED),
            transitions.Transition(L.RETURNED, (L.ANSWERED,), L.RETURNED),
            transitions.Transition(L.WITHDRAWN, (L.DRAFT, L.PENDING_APPROVAL, L.SENT), L.WITHDRAWN),
        ],
    )
)


def transition(letter: InfoRequestLetter, by: User | None, to: str, **fields: Any) -> InfoRequestLetter:
    """Move a letter locked by the caller (transitions.lock) to status `to`, setting fields."""
    return transitions.perform(letter, to, by=by, fields=fields, locked=True)


def _default_period(inspection_round: InspectionRound) -> tuple[date, date]:
    """The last three calendar years before the kickoff, up to the kickoff."""
    end = inspection_round.kickoff_date or timezone.localdate()
    return date(end.year - 3, 1, 1), end


@transaction.atomic
def create_round_letters(*, inspection_round: InspectionRound, by: User) -> list[InfoRequestLetter]:
    """One draft main letter to every active partner that has none yet in this round.

    Each lists the round's inspected units except the partner's own unit (docs/domain.md §2.4).
    """
    have = set(
        InfoRequestLetter.objects.filter(inspection_round=inspection_round, kind=InfoRequestLetter.Kind.MAIN)
        .exclude(status=InfoRequestLetter.Status.WITHDRAWN)
        .values_list("partner_id", flat=True)
    )
    units = list(inspection_round.inspected_units.select_related("org_unit").order_by("group__number", "pk"))
    created = []
    for partner in PartnerUnit.objects.filter(active=True).select_related("org_unit").order_by("sort_order", "pk"):
        if partner.pk in have:
            continue
        own = [u for u in units if u.org_unit_id != partner.org_unit_id]
        created.append(_create_letter(inspection_round=inspection_round, partner=partner, units=own, by=by))
    return created


def _create_letter(
    *,
    inspection_round: InspectionRound,
    partner: PartnerUnit,
    units: list,
    by: User,
    kind: str = InfoRequestLetter.Kind.MAIN,
) -> InfoRequestLetter:
    period_from, period_to = _default_period(inspection_round)
    letter = InfoRequestLetter(
        inspection_round=inspection_round,
        partner=partner,
        kind=kind,
        title=texts.letter_title(inspection_round.title),
        body=texts.letter_body(
            round_title=inspection_round.title,
            unit_names=[u.org_unit.name for u in units],
        ),
        request_items=list(partner.default_request_items),
        period_from=period_from,
        period_to=period_to,
        format_requirements=texts.FORMAT_REQUIREMENTS,
        signed_by=texts.office_name(),
        created_by=by,
    )
    letter.full_clean()
    letter.save()
    letter.inspected_units.set(units)
    audit.log_change(user=by, obj=letter, before=None)
    return letter


@transaction.atomic
def create_supplementary_letter(*, main: InfoRequestLetter, by: User) -> InfoRequestLetter:
    """A further letter to the same partner in the same round, for what the first did not cover."""
    letter = _create_letter(
        inspection_round=main.inspection_round,
        partner=main.partner,
        units=list(main.inspected_units.select_related("org_unit")),
        by=by,
        kind=InfoRequestLetter.Kind.SUPPLEMENTARY,
    )
    letter.title = f"{main.title}（补充）"
    letter.request_items = []
    letter.save(update_fields=["title", "request_items"])
    return letter


@transaction.atomic
def update_letter(
    *, letter: InfoRequestLetter, by: User, units: list | None = None, **fields: Any
) -> InfoRequestLetter:
    """Edit a letter that has not been sent; units outside the round or the partner's own unit are refused."""
    letter = transitions.lock(letter)
    if letter.status not in EDITABLE:
        raise ValidationError(_("A letter that has been sent can no longer be edited."))
    before = audit.snapshot(letter)
    for name, value in fields.items():
        setattr(letter, name, value)
    letter.full_clean()
    letter.save()
    if units is not None:
        if any(u.inspection_round_id != letter.inspection_round_id for u in units):
            raise ValidationError(_("A letter can only list units of its own round."))
        if any(u.org_unit_id == letter.partner.org_unit_id for u in units):
            raise ValidationError(_("A partner's own unit is never listed in its letter."))
        letter.inspected_units.set(units)
    audit.log_change(user=by, obj=letter, before=before)
    return letter


@transaction.atomic
def submit_for_approval(*, letter: InfoRequestLetter, by: User) -> InfoRequestLetter:
    letter = transitions.lock(letter)
    if letter.status != InfoRequestLetter.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for approval."))
    return transition(letter, by, InfoRequestLetter.Status.PENDING_APPROVAL, submitted_at=timezone.now())


@transaction.atomic
def approve_and_send(*, letter: InfoRequestLetter, by: User, now: datetime | None = None) -> InfoRequestLetter:
    """The office head approves: the letter gets the year's next document number and is sent.

    The deadline, unless set by hand, is LETTER_REPLY_WORKING_DAYS working days after sending.
    Delivery (access for the partner, notifications, reminders) runs in a task after commit;
    a letter whose delivery did not run is picked up by the core.delivery sweep.
    """
    now = now or timezone.now()
    letter = transitions.lock(letter)
    if letter.status != InfoRequestLetter.Status.PENDING_APPROVAL:
        # A double click or a stale page: the letter has already moved on.
        raise ValidationError(_("This letter is not awaiting approval."))
    sent_on = timezone.localdate(now)
    if problem := _deadline_passed(letter, sent_on):
        raise ValidationError(problem)
    transition(
        letter,
        by,
        InfoRequestLetter.Status.SENT,
        doc_number=next_doc_number(series=LETTER_SERIES, year=sent_on.year, fmt=settings.LETTER_DOC_NUMBER_FORMAT),
        approved_by=by,
        sent_at=now,
        deadline=letter.deadline or add_working_days(sent_on, settings.LETTER_REPLY_WORKING_DAYS),
    )
    delivery.schedule(letter)
    return letter


def _deadline_passed(letter: InfoRequestLetter, sent_on: date) -> str | None:
    """A deadline set by hand that is already past when the letter would go out: sent, it would
    start its reminder ladder overdue, and the partner could never answer in time."""
    if letter.deadline is None or letter.deadline >= sent_on:
        return None
    return _("The deadline of %(letter)s (%(date)s) has passed; set a later one before approving.") % {
        "letter": letter_label(letter),
        "date": message_date(letter.deadline),
    }


def awaiting_approval(inspection_round: InspectionRound) -> models.QuerySet[InfoRequestLetter]:
    return InfoRequestLetter.objects.filter(
        inspection_round=inspection_round, status=InfoRequestLetter.Status.PENDING_APPROVAL
    ).order_by("partner__sort_order", "kind", "pk")


def approve_and_send_all(
    *,
    inspection_round: InspectionRound,
    by: User,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Approve every letter of the round awaiting approval, one transaction each, in partner order.

    Many letters are approved by a background job (clues.jobs), which passes `progress`.
    """
    count = 0
    for letter in awaiting_approval(inspection_round):
        approve_and_send(letter=letter, by=by, now=now)
        count += 1
        if progress is not None:
            progress(1)
    return count


# Bulk actions of the round's letter board (issue 14 item 5): the action's name, the status it
# starts from, and the service that takes it for one letter.
BULK_SUBMIT = "submit"
BULK_APPROVE = "approve"


def _bulk_service(action: str) -> Callable[..., InfoRequestLetter]:
    if action == BULK_SUBMIT:
        return submit_for_approval
    if action == BULK_APPROVE:
        return approve_and_send
    raise LookupError(action)


@dataclass
class BulkOutcome:
    """What a bulk action did: the letters moved, and each refused letter with its reasons."""

    done: list[InfoRequestLetter] = field(default_factory=list)
    refused: list[tuple[InfoRequestLetter, list[str]]] = field(default_factory=list)


def bulk_problems(letter: InfoRequestLetter, action: str) -> list[str]:
    """What would refuse `action` on this letter now (the confirmation page lists it beforehand).

    The same rules as the services; the services check again on the locked row when it runs.
    """
    if action == BULK_SUBMIT:
        if letter.status != InfoRequestLetter.Status.DRAFT:
            return [_("Only a draft can be submitted for approval.")]
        if not letter.request_items or not list(letter.inspected_units.all()):
            return [_("A letter needs at least one requested item and one unit before approval.")]
        return []
    if letter.status != InfoRequestLetter.Status.PENDING_APPROVAL:
        return [_("This letter is not awaiting approval.")]
    problem = _deadline_passed(letter, timezone.localdate())
    return [problem] if problem else []


def act_on_letters(
    *,
    action: str,
    letters: Iterable[InfoRequestLetter],
    by: User,
    progress: Callable[[int], None] | None = None,
) -> BulkOutcome:
    """Submit (or approve and send) each letter through its own service, one transaction each.

    A letter that is refused (moved on meanwhile, a guard failing) is listed with its reasons
    and the others go ahead: the board's ticks are independent letters. A run interrupted and
    run again skips what already moved (the services refuse a second move).
    """
    service = _bulk_service(action)
    outcome = BulkOutcome()
    for letter in letters:
        try:
            outcome.done.append(service(letter=letter, by=by))
        except ValidationError as exc:
            outcome.refused.append((letter, exc.messages))
        if progress is not None:
            progress(1)
    return outcome


def letter_label(letter: InfoRequestLetter) -> str:
    """How a refusal names the letter: its partner and number (or title while a draft)."""
    return f"{letter.partner.org_unit.display_name}（{letter.doc_number or letter.title}）"


def partner_users(partner: PartnerUnit) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, organisation_id=partner.org_unit_id, groups__name=Role.PARTNER_USER
        ).distinct()
    )


def _grant_partner(letter: InfoRequestLetter) -> None:
    circle = scope_group(letter.partner.org_unit, "partner")
    grant("view", letter, to=circle)
    grant("answer", letter, to=circle)


def _notify_partner(letter: InfoRequestLetter) -> None:
    notify(
        recipients=partner_users(letter.partner),
        title=_("New letter from the inspection office: %(number)s") % {"number": letter.doc_number},
        body=_("%(title)s. Please answer by %(deadline)s.")
        % {"title": letter.title, "deadline": message_date(letter.deadline)},
        url=f"/letters/{letter.pk}/",
        kind=Notification.Kind.DELIVERY,
    )


def _plan_reminders(letter: InfoRequestLetter) -> None:
    schedule_reminders(target=letter, plan=reminder_plan(letter))


def _mark_delivered(letter: InfoRequestLetter) -> None:
    InfoRequestLetter.objects.filter(pk=letter.pk).update(delivered_at=timezone.now())


# Giving the partner access, telling its users, planning the reminders: core.delivery runs
# these once per letter, in one transaction (registered in ClueConfig.ready).
DELIVERY_STEPS = (_grant_partner, _notify_partner, _plan_reminders, _mark_delivered)


def reminder_plan(letter: InfoRequestLetter) -> list[PlannedReminder]:
    """The letter ladder (settings.LETTER_REMINDER_LADDER) from the letter's deadline."""
    if letter.deadline is None:
        return []
    return LETTERS.plan(letter.deadline, start=timezone.localdate(letter.sent_at))


def stop_reminders(letter: InfoRequestLetter) -> int:
    return cancel_reminders(target=letter)


@transaction.atomic
def record_view(*, letter: InfoRequestLetter, user: Any, now: datetime | None = None) -> InfoRequestLetter:
    """A partner user opening the letter marks it viewed (sent → viewed, returned → viewed)."""
    if not user.has_role(Role.PARTNER_USER):
        return letter
    letter = transitions.lock(letter)
    if letter.status in (InfoRequestLetter.Status.SENT, InfoRequestLetter.Status.RETURNED):
        fields = {} if letter.first_viewed_at else {"first_viewed_at": now or timezone.now()}
        transition(letter, user, InfoRequestLetter.Status.VIEWED, **fields)
    return letter


@transaction.atomic
def withdraw_letter(*, letter: InfoRequestLetter, by: User) -> InfoRequestLetter:
    letter = transitions.lock(letter)
    if letter.status not in (*EDITABLE, InfoRequestLetter.Status.SENT):
        raise ValidationError(_("Only a letter not yet viewed by the partner can be withdrawn."))
    stop_reminders(letter)
    return transition(letter, by, InfoRequestLetter.Status.WITHDRAWN)


def working_days_left(letter: InfoRequestLetter, today: date | None = None) -> int | None:
    """Working days from today to the deadline: negative when overdue."""
    if letter.deadline is None:
        return None
    return working_days_between(today or timezone.localdate(), letter.deadline)
