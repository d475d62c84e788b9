"""Responsiveness scorecards (issue 7 bullet 3): partner departments per round, home units.

Every figure comes from one aggregate query per kind of record (letters, replies, clues,
secondment requests), so a page costs the same number of queries at 2 rows as at 200.
Counts only: no clue content leaves these selectors, so office staff may read them
(docs/domain.md §5.2 rule 6).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clues.models import Clue, InfoRequestLetter, LetterReply
from clues.selectors.registry import transferred_clues
from core.excel.export import write_table
from talentpool.models import SecondmentRequest

# The roles that read the scorecards (the statistics side of docs/domain.md §5.3); everyone else gets 404.
SCORECARD_ROLES = ("office_head", "office_staff", "leading_group_viewer")


def may_see_scorecards(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(*SCORECARD_ROLES))


@dataclass
class PartnerScore:
    """One partner department in one round."""

    round_id: int
    round_title: str
    partner_id: int
    partner_name: str
    sort_key: tuple = ()
    letters: int = 0
    on_time: int = 0
    late: int = 0
    # Sent, past the deadline and still not answered today.
    overdue: int = 0
    # Calendar days past the deadline, summed over the late and the overdue letters.
    days_late: int = 0
    max_days_late: int = 0
    returned: int = 0
    nil_returns: int = 0
    clues: int = 0
    transferred: int = 0
    filed: int = 0


def _round_filter(round_id: int | None, field_name: str) -> Q:
    return Q(**{field_name: round_id}) if round_id else Q()


def partner_scorecard(round_id: int | None = None, today: date | None = None) -> list[PartnerScore]:
    """Per (round, partner): letters answered on time or late, days late, returns, nil returns, clues.

    A letter counts once it is sent and not withdrawn. It is on time when answered (the partner
    submitted) on or before its deadline, in the office's time zone, the rule of
    InfoRequestLetter.answered_late. Clues supplied follow docs/domain.md §4.1 #3 (partner-letter clues,
    duplicates excluded); transferred and filed follow #9 and #11 among those clues.
    """
    today = today or timezone.localdate()
    rows: dict[tuple[int, int], PartnerScore] = {}

    def score(row: dict, round_key: str, partner_key: str, prefix: str) -> PartnerScore:
        key = (row[round_key], row[partner_key])
        if key not in rows:
            rows[key] = PartnerScore(
                round_id=row[round_key],
                round_title=row[f"{prefix}inspection_round__title"],
                partner_id=row[partner_key],
                partner_name=row[f"{prefix}partner__org_unit__short_name"] or row[f"{prefix}partner__org_unit__name"],
                sort_key=(
                    -row[f"{prefix}inspection_round__year"],
                    -row[f"{prefix}inspection_round__round_no"],
                    row[f"{prefix}partner__sort_order"],
                    row[partner_key],
                ),
            )
        return rows[key]

    labels = [
        "inspection_round__title",
        "inspection_round__year",
        "inspection_round__round_no",
        "partner__org_unit__short_name",
        "partner__org_unit__name",
        "partner__sort_order",
    ]
    letters = (
        InfoRequestLetter.objects.filter(sent_at__isnull=False)
        .exclude(status=InfoRequestLetter.Status.WITHDRAWN)
        .filter(_round_filter(round_id, "inspection_round"))
    )
    # Lateness needs the local date of answered_at, which is the same on every database in Python.
    for row in letters.order_by().values("inspection_round_id", "partner_id", "deadline", "answered_at", *labels):
        entry = score(row, "inspection_round_id", "partner_id", "")
        entry.letters += 1
        deadline, answered_at = row["deadline"], row["answered_at"]
        if answered_at is not None:
            days = (timezone.localdate(answered_at) - deadline).days if deadline else 0
            if days > 0:
                entry.late += 1
            else:
                entry.on_time += 1
        else:
            days = (today - deadline).days if deadline else 0
            if days > 0:
                entry.overdue += 1
        if days > 0:
            entry.days_late += days
            entry.max_days_late = max(entry.max_days_late, days)

    replies = (
        LetterReply.objects.filter(letter__in=letters)
        .order_by()
        .values("letter__inspection_round_id", "letter__partner_id", *(f"letter__{label}" for label in labels))
        .annotate(
            returned=Count("pk", filter=Q(status=LetterReply.Status.RETURNED)),
            # A nil return counts once per letter, and only once submitted and not sent back.
            nil_returns=Count(
                "letter",
                filter=Q(is_nil_return=True, status__in=[LetterReply.Status.PENDING, LetterReply.Status.ACCEPTED]),
                distinct=True,
            ),
        )
    )
    for row in replies:
        entry = score(row, "letter__inspection_round_id", "letter__partner_id", "letter__")
        entry.returned = row["returned"]
        entry.nil_returns = row["nil_returns"]

    clue_labels = [label.replace("partner__", "source_partner__") for label in labels]
    clues = (
        Clue.objects.filter(source_type=Clue.SourceType.PARTNER_LETTER, source_partner__isnull=False)
        .exclude(status=Clue.Status.DUPLICATE)
        .filter(_round_filter(round_id, "inspection_round"))
        .order_by()
        .values("inspection_round_id", "source_partner_id", *clue_labels)
        .annotate(
            supplied=Count("pk"),
            transferred=Count("pk", filter=Q(pk__in=transferred_clues().values("pk"))),
            filed=Count("pk", filter=Q(pk__in=transferred_clues().values("pk"), status=Clue.Status.CASE_FILED)),
        )
    )
    for row in clues:
        renamed = {key.replace("source_partner", "partner"): value for key, value in row.items()}
        entry = score(renamed, "inspection_round_id", "partner_id", "")
        entry.clues = row["supplied"]
        entry.transferred = row["transferred"]
        entry.filed = row["filed"]

    return sorted(rows.values(), key=lambda entry: entry.sort_key)


@dataclass
class HomeUnitScore:
    """One home unit's answers to secondment requests: how many, how many refused and why."""

    home_unit_id: int
    home_unit: str
    requests: int = 0
    refusals: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)

    def reason_counts(self) -> list[int]:
        """The refusals per coded reason, in the order of SecondmentRequest.DeclineReason."""
        return [self.by_reason.get(code, 0) for code in SecondmentRequest.DeclineReason.values]


def home_unit_scorecard(round_id: int | None = None) -> list[HomeUnitScore]:
    """Per home unit: requests sent (drafts are not requests yet), refusals by coded reason.

    A refusal keeps its code when the request is later escalated or replaced, as in
    talentpool.selectors.secondments.refusals_by_home_unit, so a unit that refused is counted as refusing.
    """
    requests: QuerySet[SecondmentRequest] = SecondmentRequest.objects.exclude(
        status=SecondmentRequest.Status.DRAFT
    ).filter(_round_filter(round_id, "inspection_round"))
    rows = (
        requests.order_by()
        .values("home_unit_id", "home_unit__name", "home_unit__short_name", "decline_code")
        .annotate(count=Count("pk"))
    )
    units: dict[int, HomeUnitScore] = {}
    for row in rows:
        unit = units.setdefault(
            row["home_unit_id"],
            HomeUnitScore(row["home_unit_id"], row["home_unit__short_name"] or row["home_unit__name"]),
        )
        unit.requests += row["count"]
        if row["decline_code"]:
            unit.refusals += row["count"]
            unit.by_reason[row["decline_code"]] = unit.by_reason.get(row["decline_code"], 0) + row["count"]
    return sorted(units.values(), key=lambda unit: (-unit.refusals, unit.home_unit))


def partner_scorecard_workbook(scores: list[PartnerScore], *, watermark: str, filters: str = "") -> tuple[bytes, int]:
    """The partner table as shown on the page, one row per partner and round."""
    headers = [
        _("Round"),
        _("Partner unit"),
        _("Letters"),
        _("Answered on time"),
        _("Answered late"),
        _("Overdue, unanswered"),
        _("Days late (total)"),
        _("Days late (most)"),
        _("Replies returned"),
        _("Nil returns"),
        _("Clues supplied"),
        pgettext("count", "Transferred"),
        _("Case filed"),
    ]
    rows = (
        [
            s.round_title,
            s.partner_name,
            s.letters,
            s.on_time,
            s.late,
            s.overdue,
            s.days_late,
            s.max_days_late,
            s.returned,
            s.nil_returns,
            s.clues,
            s.transferred,
            s.filed,
        ]
        for s in scores
    )
    return write_table(_("Partner scorecard"), headers, rows, watermark=watermark, filters=filters)


def home_unit_scorecard_workbook(
    scores: list[HomeUnitScore], *, watermark: str, filters: str = ""
) -> tuple[bytes, int]:
    """The home-unit table as shown on the page: requests, refusals, then one column per reason."""
    headers = [
        _("Home unit"),
        _("Secondment requests"),
        _("Refusals"),
        *(str(label) for label in SecondmentRequest.DeclineReason.labels),
    ]
    rows = ([s.home_unit, s.requests, s.refusals, *s.reason_counts()] for s in scores)
    return write_table(_("Home unit scorecard"), headers, rows, watermark=watermark, filters=filters)
