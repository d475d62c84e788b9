"""The deadline board: everything still owed to the office, across the apps, by working days left.

Five sources, each read through its model's `for_user()` so a user sees only the deadlines of
rows they may see anyway:
- information request letters awaiting an answer (deadline);
- secondment requests awaiting the home unit (response_due);
- handovers the unit has not delivered yet (due_at);
- transfers with clues whose receiver has reported nothing yet (feedback_due);
- open rectification items (deadline).

Each source costs a fixed number of queries whatever its size; the working days of all rows
come from one calendar read.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clues.models import Clue, ClueTransfer, InfoRequestLetter
from clues.selectors.transfers import NO_FEEDBACK
from core.filters import QueryFilterSet, choice, flag, with_all
from core.models import Reminder
from core.roles import Role
from core.workdays import is_past_table, table_end, working_days_from
from inspection.models import InspectionRound
from liaison.models import HandoverRecord, LiaisonAssignment, RectificationItem
from talentpool.models import SecondmentRequest

LETTER = "letter"
SECONDMENT = "secondment"
HANDOVER = "handover"
TRANSFER = "transfer"
RECTIFICATION = "rectification"
KINDS = {
    LETTER: _("Letter reply"),
    SECONDMENT: _("Secondment reply"),
    HANDOVER: _("Handover"),
    TRANSFER: _("Transfer feedback"),
    RECTIFICATION: _("Rectification item"),
}

# Who may open the board. Each sees only the parts their role reads anyway (docs/domain.md §5.3): the head
# everything; office staff letters, secondments, handovers and rectification (transfers are counts
# only for them); the custodian letters, transfers and rectification; the pool manager secondments.
# Scoped roles (groups, partners, liaison officers, receivers) have their own lists and get a 404.
BOARD_ROLES = (Role.OFFICE_HEAD, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN, Role.POOL_MANAGER)
OPEN_RECTIFICATION = ~models.Q(
    status__in=(RectificationItem.Status.SIGNED_OFF, RectificationItem.Status.LONG_TERM_MAINTAINED)
)
SECONDMENT_AWAITING = (SecondmentRequest.Status.REQUESTED, SecondmentRequest.Status.ESCALATED)


def may_see_board(user: Any) -> bool:
    return user.is_authenticated and user.has_role(*BOARD_ROLES)


@dataclass(frozen=True)
class DeadlineRow:
    """One thing due: what, about whom, who must act, when, and how often it was chased."""

    kind: str
    pk: int
    title: str
    url: str
    concerns: str
    responsible: str
    due: date
    days_left: int  # working days from today; negative once overdue
    overdue: bool  # the due date has passed (a Saturday after a Friday deadline is 0 days but overdue)
    reminders_sent: int
    natural_days: bool = False  # due past the holiday calendar's end: counted in natural days

    @property
    def overdue_days(self) -> int:
        """Working days overdue, never negative (0 while not overdue)."""
        return max(-self.days_left, 0)

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


class DeadlineFilters(QueryFilterSet):
    """The board's filters. Its rows are merged from five sources in Python, not one queryset, so
    deadlines_for reads these values itself: the kind picks the sources, the round narrows
    them, overdue and within narrow the merged rows."""

    max_length = 20

    kind = choice(_("Kind"), KINDS.items())
    round = choice(_("Round"))
    within = django_filters.CharFilter(
        label=_("Due within (working days)"), widget=forms.NumberInput(attrs={"min": 0, "max": 999})
    )
    overdue = flag(_("Overdue only"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.request is not None:
            rounds = InspectionRound.objects.for_user(self.request.user)
            self.form.fields["round"].widget.choices = with_all(lambda: [(r.pk, r.title) for r in rounds])

    @property
    def round_id(self) -> int | None:
        return int(self.round) if self.round.isdigit() else None

    @property
    def within_days(self) -> int | None:
        return int(self.within) if self.within.isdigit() else None


def _reminders_sent(model: type[models.Model]) -> Coalesce:
    """Reminders sent about each row (one correlated subquery, no query per row)."""
    sent = (
        Reminder.objects.filter(
            target_type=ContentType.objects.get_for_model(model),
            target_id=Cast(OuterRef("pk"), CharField()),
            status=Reminder.Status.SENT,
        )
        .order_by()
        .values("target_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sent, output_field=IntegerField()), Value(0))


# Each source: (user, round id or None) -> (pk, title, url, concerns, responsible, due, reminders sent).
_Raw = tuple[int, str, str, str, str, date, int]


def _letters(user: Any, round_id: int | None) -> Iterable[_Raw]:
    rows = (
        InfoRequestLetter.objects.for_user(user)
        .filter(status__in=InfoRequestLetter.AWAITING, deadline__isnull=False)
        .select_related("partner__org_unit")
        .annotate(sent_count=_reminders_sent(InfoRequestLetter))
    )
    if round_id:
        rows = rows.filter(inspection_round_id=round_id)
    for letter in rows:
        if letter.deadline is None:  # none: the filter keeps rows with a date
            continue
        partner = letter.partner.org_unit.display_name
        url = reverse("clues:letter-detail", args=[letter.pk])
        yield letter.pk, str(letter), url, partner, partner, letter.deadline, letter.sent_count


def _secondments(user: Any, round_id: int | None) -> Iterable[_Raw]:
    rows = (
        SecondmentRequest.objects.for_user(user)
        .filter(status__in=SECONDMENT_AWAITING, response_due__isnull=False)
        .select_related("person", "home_unit")
        .annotate(sent_count=_reminders_sent(SecondmentRequest))
    )
    if round_id:
        rows = rows.filter(inspection_round_id=round_id)
    for request in rows:
        if request.response_due is None:  # none: the filter keeps rows with a date
            continue
        title = request.doc_number or str(_("Secondment of %(name)s") % {"name": request.person.name})
        url = reverse("talentpool:secondment-detail", args=[request.pk])
        yield (
            request.pk,
            title,
            url,
            request.person.name,
            request.home_unit.display_name,
            request.response_due,
            request.sent_count,
        )


def _handovers(user: Any, round_id: int | None) -> Iterable[_Raw]:
    rows = (
        HandoverRecord.objects.for_user(user)
        .filter(status=HandoverRecord.Status.REQUESTED, due_at__isnull=False)
        .select_related("inspected_unit__org_unit")
        .annotate(sent_count=_reminders_sent(HandoverRecord))
    )
    if round_id:
        rows = rows.filter(inspected_unit__inspection_round_id=round_id)
    handovers = list(rows)
    # The unit's current liaison officer delivers: one query for all the units on the page.
    officers = dict(
        LiaisonAssignment.objects.filter(
            liaison_office__inspected_unit_id__in={h.inspected_unit_id for h in handovers}, end_date__isnull=True
        ).values_list("liaison_office__inspected_unit_id", "person__name")
    )
    for handover in handovers:
        if handover.due_at is None:  # none: the filter keeps rows with a date
            continue
        unit = handover.inspected_unit.org_unit.display_name
        url = reverse("liaison:handover-list", args=[handover.inspected_unit_id])
        responsible = officers.get(handover.inspected_unit_id, unit)
        yield handover.pk, handover.item, url, unit, responsible, handover.due_at, handover.sent_count


def _transfers(user: Any, round_id: int | None) -> Iterable[_Raw]:
    without_feedback = Clue.objects.filter(transfer_items__transfer=OuterRef("pk"), status__in=NO_FEEDBACK)
    rows = (
        ClueTransfer.objects.for_user(user)
        .filter(transferred_at__isnull=False, feedback_due__isnull=False)
        .filter(Exists(without_feedback))
        .select_related("receiver", "group")
        .annotate(sent_count=_reminders_sent(ClueTransfer))
    )
    if round_id:
        rows = rows.filter(inspection_round_id=round_id)
    for transfer in rows:
        if transfer.feedback_due is None:  # none: the filter keeps rows with a date
            continue
        url = reverse("clues:transfer-detail", args=[transfer.pk])
        concerns = transfer.group.label if transfer.group else transfer.receiver.display_name
        yield (
            transfer.pk,
            str(transfer),
            url,
            concerns,
            transfer.receiver.display_name,
            transfer.feedback_due,
            transfer.sent_count,
        )


def _rectification(user: Any, round_id: int | None) -> Iterable[_Raw]:
    rows = (
        RectificationItem.objects.for_user(user)
        .filter(OPEN_RECTIFICATION)
        .select_related("problem__feedback__inspected_unit__org_unit")
        .annotate(sent_count=_reminders_sent(RectificationItem))
    )
    if round_id:
        rows = rows.filter(problem__feedback__inspected_unit__inspection_round_id=round_id)
    for item in rows:
        unit = item.problem.feedback.inspected_unit.org_unit.display_name
        responsible = " / ".join(part for part in (item.responsible_person, item.lead_department) if part)
        url = reverse("liaison:item-detail", args=[item.pk])
        title = f"{item.problem.seq}.{item.seq} {item.measure[:40]}"
        yield item.pk, title, url, unit, responsible, item.deadline, item.sent_count


_SOURCES: dict[str, Callable[[Any, int | None], Iterable[_Raw]]] = {
    LETTER: _letters,
    SECONDMENT: _secondments,
    HANDOVER: _handovers,
    TRANSFER: _transfers,
    RECTIFICATION: _rectification,
}


def deadlines_for(user: Any, filters: DeadlineFilters | None = None, today: date | None = None) -> list[DeadlineRow]:
    """Everything due that user may see, fewest working days left first (overdue on top)."""
    filters = filters or DeadlineFilters()
    today = today or timezone.localdate()
    if not may_see_board(user):
        return []
    kinds = [filters.kind] if filters.kind in _SOURCES else list(_SOURCES)
    raw = [(kind, row) for kind in kinds for row in _SOURCES[kind](user, filters.round_id)]
    left = working_days_from(today, [row[5] for _kind, row in raw])
    end = table_end()
    rows = [
        DeadlineRow(
            kind=kind,
            pk=pk,
            title=title,
            url=url,
            concerns=concerns,
            responsible=responsible,
            due=due,
            days_left=left[due],
            overdue=due < today,
            reminders_sent=sent,
            natural_days=is_past_table(due, end),
        )
        for kind, (pk, title, url, concerns, responsible, due, sent) in raw
    ]
    if filters.overdue:
        rows = [row for row in rows if row.overdue]
    if filters.within_days is not None:
        rows = [row for row in rows if row.days_left <= filters.within_days]
    rows.sort(key=lambda row: (row.due, list(_SOURCES).index(row.kind), row.pk))
    return rows


def deadline_counts(rows: list[DeadlineRow]) -> list[dict[str, Any]]:
    """Per kind: how many are due and how many of them overdue (for the board head and the digest)."""
    return [
        {
            "kind": kind,
            "label": label,
            "due": sum(1 for row in rows if row.kind == kind),
            "overdue": sum(1 for row in rows if row.kind == kind and row.overdue),
        }
        for kind, label in KINDS.items()
    ]


EXPORT_HEADERS = (
    _("Kind"),
    _("Title"),
    _("Concerns"),
    _("Responsible"),
    _("Due"),
    _("Working days left"),
    _("Overdue"),
    _("Reminders sent"),
)


def export_rows(rows: list[DeadlineRow]) -> Iterable[list[Any]]:
    for row in rows:
        yield [
            row.kind_label,
            row.title,
            row.concerns,
            row.responsible,
            row.due,
            row.days_left,
            str(_("Yes")) if row.overdue else "",
            row.reminders_sent,
        ]
