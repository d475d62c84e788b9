"""Secondment requests (商调函) from draft to completion: the state machine of docs/domain.md §3.5.

Every status move goes through transition(), a core.transitions workflow. The office sends; delivery
(the home unit's access, its contacts' notice, the reminder ladder) runs once through
core.delivery, after commit or from its sweep when the broker was down or a worker died. The home unit's contact answers; the office escalates, replaces, confirms, completes or
cancels; the group leader records the report for duty and the evaluation.
"""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, delivery, transitions
from core.models import Notification, Organisation, Person, User
from core.numbering import next_doc_number
from core.permissions import grant, scope_group
from core.roles import Role
from core.services.directory import create_user_account, users_with_role
from core.services.notifications import notify
from core.services.reminders import PlannedReminder, cancel_reminders, schedule_reminders
from core.services.roles import record_role_change, role_state
from core.wording import message_date
from core.workdays import add_working_days
from inspection.models import GroupMembership, InspectionGroup
from inspection.permissions import is_group_leader
from inspection.services import add_member, end_membership
from talentpool.models import Draw, SecondmentEvaluation, SecondmentRequest, TalentPoolEntry
from talentpool.reminders import SECONDMENTS
from talentpool.selectors.secondments import missing_or_conflicting_declarations, unit_conflicts

SECONDMENT_SERIES = "secondment_request"
Status = SecondmentRequest.Status
TERMINAL = (Status.REPLACED, Status.COMPLETED, Status.CANCELLED)
# The group's time on site is over once the round or the group has moved past it.
AFTER_SITE_ROUND = ("reporting", "feedback", "rectifying", "reviewing", "archived")
AFTER_SITE_GROUP = ("withdrawn", "reported", "briefed", "feedback_given", "archived")


# docs/domain.md §3.5, one transition per target status. The services check who acts (office, head,
# home-unit contact, group leader) and the guards that need the round's records.
WORKFLOW = transitions.register(
    transitions.Workflow(
        SecondmentRequest,
        [
            transitions.Transition(Status.REQUESTED, (Status.DRAFT,), Status.REQUESTED),
            transitions.Transition(Status.ACCEPTED, (Status.REQUESTED, Status.ESCALATED), Status.ACCEPTED),
            transitions.Transition(Status.DECLINED, (Status.REQUESTED,), Status.DECLINED),
            transitions.Transition(Status.ESCALATED, (Status.DECLINED,), Status.ESCALATED),
            transitions.Transition(Status.REPLACED, (Status.DECLINED, Status.ESCALATED), Status.REPLACED),
            transitions.Transition(Status.CONFIRMED, (Status.ACCEPTED,), Status.CONFIRMED),
            transitions.Transition(Status.ON_DUTY, (Status.CONFIRMED,), Status.ON_DUTY),
            transitions.Transition(Status.COMPLETED, (Status.ON_DUTY,), Status.COMPLETED),
            transitions.Transition(
                Status.CANCELLED, tuple(s for s in Status.values if s not in TERMINAL), Status.CANCELLED
            ),
        ],
        related=("group__inspection_round", "person", "home_unit", "inspection_round"),
    )
)


def transition(request: SecondmentRequest, by: User | None, to: str, **fields: Any) -> SecondmentRequest:
    """Move a request locked by the caller (_locked) to status `to`, setting fields."""
    return transitions.perform(request, to, by=by, fields=fields, locked=True)


def _locked(request: SecondmentRequest) -> SecondmentRequest:
    return transitions.lock(request, WORKFLOW)


def _require(request: SecondmentRequest, *statuses: str) -> None:
    if request.status not in statuses:
        # A double click or a stale page: the request has already moved on.
        raise ValidationError(
            _("This request is %(status)s; the action is no longer possible.")
            % {"status": request.get_status_display()}
        )


def _check_assignable(*, entry: TalentPoolEntry, group: InspectionGroup) -> None:
    """The guards of draft → requested: an active pool member, free in the round, no conflict with the group."""
    if entry.status != TalentPoolEntry.Status.ACTIVE:
        raise ValidationError(_("%(name)s is not an active member of the pool.") % {"name": entry.person.name})
    reasons = unit_conflicts(group, [entry.person_id]).get(entry.person_id, [])
    if "home_unit" in reasons:
        raise ValidationError(
            _("%(name)s's home unit is inspected by this group: a cadre never inspects their own unit.")
            % {"name": entry.person.name}
        )
    if "conflict" in reasons:
        raise ValidationError(
            _("%(name)s has declared a conflict with a unit of this group.") % {"name": entry.person.name}
        )
    if "committed" in reasons:
        raise ValidationError(
            _("%(name)s is already requested or serving in this round.") % {"name": entry.person.name}
        )


@transaction.atomic
def create_request(
    *,
    entry: TalentPoolEntry,
    group: InspectionGroup,
    by: User,
    draw: Draw | None = None,
    substitute_for: SecondmentRequest | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
) -> SecondmentRequest:
    """A draft request to the person's home unit for a place in group.

    Refused for an inactive pool entry, a person committed in the round, or a hard conflict
    with the group's units. The group's leaders may view it from now on.
    """
    _check_assignable(entry=entry, group=group)
    inspection_round = group.inspection_round
    request = SecondmentRequest(
        inspection_round=inspection_round,
        group=group,
        person=entry.person,
        pool_entry=entry,
        draw=draw,
        home_unit=entry.person.home_unit,
        substitute_for=substitute_for,
        period_from=period_from or inspection_round.planned_entry_date,
        period_to=period_to or inspection_round.planned_exit_date,
        created_by=by,
    )
    request.full_clean()
    request.save()
    grant("view", request, to=scope_group(group, "leaders"))
    audit.log_change(user=by, obj=request, before=None)
    return request


@transaction.atomic
def send_request(*, request: SecondmentRequest, by: User, now: datetime | None = None) -> SecondmentRequest:
    """draft → requested: the letter gets the year's next number and a reply deadline in working days.

    The pool entry must still be active and the person free in the round. Delivery runs in
    core.delivery after commit.
    """
    now = now or timezone.now()
    request = _locked(request)
    _require(request, Status.DRAFT)
    entry = request.pool_entry
    if entry is not None and entry.status != TalentPoolEntry.Status.ACTIVE:
        raise ValidationError(_("%(name)s is not an active member of the pool.") % {"name": request.person.name})
    if GroupMembership.objects.filter(inspection_round=request.inspection_round, person=request.person).exists():
        raise ValidationError(_("%(name)s is already serving in this round.") % {"name": request.person.name})
    sent_on = timezone.localdate(now)
    transition(
        request,
        by,
        Status.REQUESTED,
        doc_number=next_doc_number(
            series=SECONDMENT_SERIES, year=sent_on.year, fmt=settings.SECONDMENT_DOC_NUMBER_FORMAT
        ),
        sent_at=now,
        response_due=add_working_days(sent_on, settings.SECONDMENT_REPLY_WORKING_DAYS),
    )
    delivery.schedule(request)
    return request


def home_unit_contacts(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(is_active=True, organisation=organisation, groups__name=Role.HOME_UNIT_CONTACT).distinct()
    )


def detail_url(request: SecondmentRequest) -> str:
    return reverse("talentpool:secondment-detail", args=[request.pk])


def _grant_home_unit(request: SecondmentRequest) -> None:
    circle = scope_group(request.home_unit, "home_unit")
    grant("view", request, to=circle)
    grant("answer", request, to=circle)


def _notify_contacts(request: SecondmentRequest) -> None:
    notify(
        recipients=home_unit_contacts(request.home_unit),
        title=_("Secondment request %(number)s: %(name)s")
        % {"number": request.doc_number, "name": request.person.name},
        body=_("Please answer by %(due)s.") % {"due": message_date(request.response_due)},
        url=detail_url(request),
        kind=Notification.Kind.DELIVERY,
    )


def _plan_reminders(request: SecondmentRequest) -> None:
    schedule_reminders(target=request, plan=reminder_plan(request))


def _mark_delivered(request: SecondmentRequest) -> None:
    SecondmentRequest.objects.filter(pk=request.pk).update(delivered_at=timezone.now())


# Access for the home unit (view, answer), its contacts told, the reminders planned:
# core.delivery runs these once per request, in one transaction (TalentpoolConfig.ready).
DELIVERY_STEPS = (_grant_home_unit, _notify_contacts, _plan_reminders, _mark_delivered)


def reminder_plan(request: SecondmentRequest) -> list[PlannedReminder]:
    """The secondment ladder (settings.SECONDMENT_REMINDER_LADDER) from the answer's due date."""
    if request.response_due is None:  # a request without a due date has nothing to chase
        return []
    return SECONDMENTS.plan(request.response_due, start=timezone.localdate(request.sent_at))


def _tell_the_office(request: SecondmentRequest, title: str, *, body: str = "", also: list[User] | None = None) -> None:
    """The office user who placed the request hears of the answer (with `also`: who acts on it next)."""
    recipients = [*([request.created_by] if request.created_by is not None else []), *(also or [])]
    notify(recipients=recipients, title=title, body=body, url=detail_url(request), kind=Notification.Kind.HANDOFF)


def coordinators(request: SecondmentRequest) -> list[User]:
    """Who coordinates an escalated refusal (docs/domain.md §2.7): the organisation department's
    receivers, or the commission's for its own cadres."""
    coordinator = (
        Role.COMMISSION_RECEIVER
        if request.escalated_to == SecondmentRequest.EscalatedTo.DISCIPLINE_COMMISSION
        else Role.ORGDEPT_RECEIVER
    )
    return users_with_role(coordinator)


def _tell_of_escalation(request: SecondmentRequest) -> None:
    """The coordinator is asked to act (no link: the request is not theirs to open) and the home
    unit's contacts, who may now accept after all, get the request's page."""
    values = {
        "name": request.person.name,
        "number": request.doc_number,
        "unit": request.home_unit.name,
        "to": request.get_escalated_to_display(),
        "round": request.inspection_round,
    }
    title = _("Secondment of %(name)s escalated: %(number)s") % values
    body = _("%(unit)s declined to release %(name)s for %(round)s; the inspection office asks %(to)s to coordinate.")
    notify(recipients=coordinators(request), title=title, body=body % values, kind=Notification.Kind.HANDOFF)
    notify(
        recipients=home_unit_contacts(request.home_unit),
        title=title,
        body=body % values + " " + _("Please reconsider the request."),
        url=detail_url(request),
        kind=Notification.Kind.HANDOFF,
    )


@transaction.atomic
def accept_request(*, request: SecondmentRequest, by: User, now: datetime | None = None) -> SecondmentRequest:
    """requested | escalated → accepted, by the home unit's contact; the reminders stop."""
    request = _locked(request)
    if not by.has_role(Role.HOME_UNIT_CONTACT):
        raise ValidationError(_("Only the home unit's contact answers a secondment request."))
    _require(request, Status.REQUESTED, Status.ESCALATED)
    cancel_reminders(target=request)
    transition(request, by, Status.ACCEPTED, responded_at=now or timezone.now())
    _tell_the_office(
        request, _("%(unit)s released %(name)s") % {"unit": request.home_unit.name, "name": request.person.name}
    )
    return request


@transaction.atomic
def decline_request(
    *, request: SecondmentRequest, by: User, decline_code: str, decline_reason: str, now: datetime | None = None
) -> SecondmentRequest:
    """requested → declined, by the home unit's contact, with a coded reason and words; the reminders stop."""
    request = _locked(request)
    if not by.has_role(Role.HOME_UNIT_CONTACT):
        raise ValidationError(_("Only the home unit's contact answers a secondment request."))
    _require(request, Status.REQUESTED)
    if decline_code not in SecondmentRequest.DeclineReason.values or not decline_reason.strip():
        raise ValidationError(_("A refusal needs a reason: choose one and explain it."))
    cancel_reminders(target=request)
    transition(
        request,
        by,
        Status.DECLINED,
        decline_code=decline_code,
        decline_reason=decline_reason.strip(),
        responded_at=now or timezone.now(),
    )
    # A refusal waits for the office: the pool managers replace the person, the head may escalate.
    _tell_the_office(
        request,
        _("%(unit)s declined to release %(name)s") % {"unit": request.home_unit.name, "name": request.person.name},
        # The message closes the reason's sentence itself: a reason typed with its own full stop
        # (or ！, ？) would read 「…无法抽调。。请…」.
        body=_("Reason: %(reason)s. Escalate the refusal or propose another person.")
        % {"reason": request.decline_reason.rstrip("。.！!？?")},
        also=users_with_role(Role.POOL_MANAGER, Role.OFFICE_HEAD),
    )
    return request


@transaction.atomic
def escalate_request(*, request: SecondmentRequest, by: User, escalated_to: str) -> SecondmentRequest:
    """declined → escalated, by the office head: the organisation department or the commission coordinates.

    The commission arranges its own cadres' secondment, the organisation department everyone
    else's (docs/domain.md §2.7); the home unit may then accept after all.
    """
    request = _locked(request)
    if not by.has_role(Role.OFFICE_HEAD):
        raise ValidationError(_("Only the office head escalates a refusal."))
    _require(request, Status.DECLINED)
    if escalated_to not in SecondmentRequest.EscalatedTo.values:
        raise ValidationError(_("Choose whom the refusal is escalated to."))
    # Escalation makes the request live again, and a person holds one live request per round.
    if (
        SecondmentRequest.objects.filter(inspection_round=request.inspection_round, person=request.person)
        .exclude(pk=request.pk)
        .exclude(status__in=(Status.DECLINED, Status.REPLACED, Status.CANCELLED))
        .exists()
    ):
        raise ValidationError(_("%(name)s is already requested again in this round.") % {"name": request.person.name})
    transition(request, by, Status.ESCALATED, escalated_to=escalated_to)
    _tell_of_escalation(request)
    return request


@transaction.atomic
def replace_request(*, request: SecondmentRequest, by: User, entry: TalentPoolEntry) -> SecondmentRequest:
    """declined | escalated → replaced; a new draft request for entry's person points back at it."""
    request = _locked(request)
    _require(request, Status.DECLINED, Status.ESCALATED)
    if request.group is None:
        raise ValidationError(_("Place the request in a group before replacing the person."))
    if entry.person_id == request.person_id:
        raise ValidationError(_("Choose another person than the one the unit refused."))
    transition(request, by, Status.REPLACED)
    return create_request(
        entry=entry,
        group=request.group,
        by=by,
        draw=request.draw,
        substitute_for=request,
        period_from=request.period_from,
        period_to=request.period_to,
    )


def secondee_account(*, person: Person, by: User, username: str = "") -> tuple[User, bool]:
    """The login a confirmed secondee uses in the group: (account, created).

    The person's own account when there is one (it gains the group-member role if it lacks
    it); otherwise a new one at the home unit with the group-member role and **no usable
    password**. Nobody who confirms a secondment (office staff see clue counts only) may know
    a password that opens the group's clues, so a superuser sets the first password in the
    administration (the form kept for holders of data roles, core.admin.UserAdmin) and hands
    it over in person; the cadre then changes it. The role itself opens nothing: the
    membership's circle does (docs/domain.md §5.2 rule 3). Superusers are told.
    """
    existing = User.objects.filter(person=person).first()
    if existing is not None:
        if not existing.is_active:
            raise ValidationError(
                _("%(name)s's account %(username)s is closed; reopen it in the administration or confirm without one.")
                % {"name": person.name, "username": existing.get_username()}
            )
        if not existing.has_role(Role.GROUP_MEMBER):
            before = role_state(existing)
            existing.groups.add(Group.objects.get(name=Role.GROUP_MEMBER))
            record_role_change(user=existing, by=by, before=before)
        return existing, False
    username = username.strip() or f"secondee{person.pk}"
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The user name %(username)s is taken; choose another.") % {"username": username})
    user = create_user_account(
        by=by,
        username=username,
        password=None,
        roles=[Role.GROUP_MEMBER],
        organisation=person.home_unit,
        person=person,
        last_name=person.name,
        phone=person.phone,
    )
    notify(
        recipients=User.objects.filter(is_active=True, is_superuser=True),
        title=_("Set the first password of account %(username)s (%(name)s)")
        % {"username": username, "name": person.name},
        body=_("The account was made when the secondment was confirmed; it has no password yet."),
        url=reverse("admin:core_user_change", args=[user.pk]),
    )
    return user, True


@transaction.atomic
def confirm_request(
    *,
    request: SecondmentRequest,
    by: User,
    account: bool = False,
    username: str = "",
    now: datetime | None = None,
) -> SecondmentRequest:
    """accepted → confirmed: the person joins the group as a seconded member.

    Refused while a recusal declaration is missing or not cleared for one of the group's
    units (the office records a cadre's paper form on their behalf: recusals.
    record_declaration_on_behalf), and whenever the home unit is one of them. With `account`
    the person gets a login first (secondee_account). Creates the GroupMembership (which gives
    the person's login the group's access) and links it to the request.
    """
    request = _locked(request)
    _require(request, Status.ACCEPTED)
    if request.group is None:
        raise ValidationError(_("Place the request in a group before confirming it."))
    if "home_unit" in unit_conflicts(request.group, [request.person_id]).get(request.person_id, []):
        raise ValidationError(_("A cadre never inspects their own home unit."))
    pending = missing_or_conflicting_declarations(request)
    if pending:
        raise ValidationError(
            _("Recusal declarations are missing or not cleared for: %(units)s.")
            % {"units": "、".join(unit.org_unit.name for unit in pending)}
        )
    if account:
        secondee_account(person=request.person, by=by, username=username)
    membership = add_member(
        by=by, group=request.group, person=request.person, is_seconded=True, start_date=request.period_from
    )
    membership.secondment = request
    membership.save(update_fields=["secondment", "updated_at"])
    return transition(request, by, Status.CONFIRMED, confirmed_at=now or timezone.now())


@transaction.atomic
def report_for_duty(*, request: SecondmentRequest, by: User, now: datetime | None = None) -> SecondmentRequest:
    """confirmed → on_duty: the group leader records that the cadre reported (报到)."""
    request = _locked(request)
    if not is_group_leader(by, request.group):
        raise ValidationError(_("Only the leader of the group records the report for duty."))
    _require(request, Status.CONFIRMED)
    return transition(request, by, Status.ON_DUTY, reported_at=now or timezone.now())


def site_work_over(request: SecondmentRequest) -> bool:
    group = request.group
    return group is not None and (group.status in AFTER_SITE_GROUP or group.inspection_round.status in AFTER_SITE_ROUND)


@transaction.atomic
def record_evaluation(
    *, request: SecondmentRequest, by: User, rating: str, comments: str = "", now: datetime | None = None
) -> SecondmentEvaluation:
    """The group leader's evaluation (考核鉴定) after the time on site, sent to the home unit at once.

    The home unit's contacts are told; they read it on the request they already see.
    """
    request = _locked(request)
    if not is_group_leader(by, request.group):
        raise ValidationError(_("Only the leader of the group evaluates its seconded members."))
    _require(request, Status.ON_DUTY)
    if not site_work_over(request):
        raise ValidationError(_("The evaluation is recorded once the group has left the site."))
    if SecondmentEvaluation.objects.filter(secondment=request).exists():
        raise ValidationError(_("This secondment has been evaluated already."))
    evaluation = SecondmentEvaluation(
        secondment=request,
        evaluator=by,
        rating=rating,
        comments=comments,
        sent_to_home_unit_at=now or timezone.now(),
        created_by=by,
    )
    evaluation.full_clean()
    evaluation.save()
    audit.log_change(user=by, obj=evaluation, before=None)
    notify(
        recipients=home_unit_contacts(request.home_unit),
        title=_("Evaluation of %(name)s after the inspection: %(rating)s")
        % {"name": request.person.name, "rating": evaluation.get_rating_display()},
        body=comments,
        url=detail_url(request),
        kind=Notification.Kind.HANDOFF,
    )
    return evaluation


@transaction.atomic
def complete_request(*, request: SecondmentRequest, by: User, now: datetime | None = None) -> SecondmentRequest:
    """on_duty → completed, by the office, once the evaluation has gone to the home unit; the membership ends."""
    request = _locked(request)
    _require(request, Status.ON_DUTY)
    evaluation = SecondmentEvaluation.objects.filter(secondment=request).first()
    if evaluation is None or evaluation.sent_to_home_unit_at is None:
        raise ValidationError(_("The group leader's evaluation must be sent to the home unit first."))
    now = now or timezone.now()
    _end_membership(request, by, timezone.localdate(now))
    return transition(request, by, Status.COMPLETED, released_at=now)


def _end_membership(request: SecondmentRequest, by: User, day: date) -> None:
    membership = GroupMembership.objects.filter(secondment=request, end_date__isnull=True).first()
    if membership is not None:
        end_membership(by=by, membership=membership, end_date=day)


@transaction.atomic
def cancel_request(*, request: SecondmentRequest, by: User, now: datetime | None = None) -> SecondmentRequest:
    """Any state but replaced, completed or cancelled → cancelled; reminders stop and a membership ends."""
    request = _locked(request)
    if request.status in TERMINAL:
        raise ValidationError(
            _("This request is %(status)s; it can no longer be cancelled.") % {"status": request.get_status_display()}
        )
    now = now or timezone.now()
    cancel_reminders(target=request)
    _end_membership(request, by, timezone.localdate(now))
    fields = {"released_at": now} if request.status in (Status.CONFIRMED, Status.ON_DUTY) else {}
    return transition(request, by, Status.CANCELLED, **fields)
