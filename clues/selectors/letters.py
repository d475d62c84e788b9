from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from clues.importing import spec
from clues.models import ClueImportBatch, ClueImportRow, InfoRequestLetter, LetterReply, OnlineOpinionItem, PartnerUnit
from clues.models.categories import CATEGORY_LABELS
from core.deadlines import reminders_sent
from core.models import User
from core.roles import Role
from core.workdays import working_days_from
from inspection.models import InspectedUnit, InspectionRound


class _LetterBoardValues(TypedDict):
    reminders_sent: int
    reachable: bool  # an active partner user of the partner's organisation exists (else 线下送达)
    days_left: int | None  # set by letter_board, not by the query


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A letter of letter_board(): reminders sent (annotated) and working days left.
    BoardLetter = WithAnnotations[InfoRequestLetter, _LetterBoardValues]


def partner_reachable() -> Exists:
    """Whether a letter's partner has an active partner user to receive it (issue 13 item 5)."""
    return Exists(
        User.objects.filter(
            is_active=True, organisation_id=OuterRef("partner__org_unit_id"), groups__name=Role.PARTNER_USER
        )
    )


# The letter list's keyset order (core.pagination): the latest sent first, drafts (not sent) last.
# Not indexed: an office sends a few dozen letters a round, and the partner's order is a join.
LETTER_LIST_ORDER = ("-sent_at", "partner__sort_order", "pk")
# A round's online opinion items, the latest published first (undated last), on opinion_round_idx.
OPINION_ORDER = ("-published_at", "pk")


def letters_for(user: Any) -> QuerySet[InfoRequestLetter]:
    return InfoRequestLetter.objects.for_user(user).select_related("partner__org_unit", "inspection_round")


def letter_board(user: Any, inspection_round: InspectionRound, *, overdue_only: bool = False) -> list[BoardLetter]:
    """The round's letters the user may see, each with reminders sent and working days left."""
    letters = cast(
        "list[BoardLetter]",  # days_left is set below
        list(
            letters_for(user)
            .filter(inspection_round=inspection_round)
            .annotate(reminders_sent=reminders_sent(InfoRequestLetter), reachable=partner_reachable())
            .order_by("partner__sort_order", "kind", "pk")
        ),
    )
    today = timezone.localdate()
    left = working_days_from(today, [letter.deadline for letter in letters if letter.deadline])
    for letter in letters:
        letter.days_left = left.get(letter.deadline) if letter.deadline else None
    if overdue_only:
        letters = [letter for letter in letters if letter.is_overdue]
    return letters


def replies_of(letter: InfoRequestLetter) -> list[LetterReply]:
    batches = ClueImportBatch.objects.select_related("file").order_by("uploaded_at", "pk")
    return list(
        letter.replies.select_related("cover_letter", "submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("batches", queryset=batches))
        .order_by("-version")
    )


def board_summary(letters: Sequence[InfoRequestLetter]) -> dict[str, int]:
    """Counts for the head of the round's board, from the rows already loaded."""
    status = InfoRequestLetter.Status
    return {
        "sent": sum(1 for x in letters if x.sent_at),
        "awaiting": sum(1 for x in letters if x.status in InfoRequestLetter.AWAITING),
        "overdue": sum(1 for x in letters if x.is_overdue),
        "answered": sum(1 for x in letters if x.status == status.ANSWERED),
        "accepted": sum(1 for x in letters if x.status == status.ACCEPTED),
        "late": sum(1 for x in letters if x.answered_late),
        "offline": sum(1 for x in letters if not getattr(x, "reachable", True)),
    }


def partners_without_main_letter(inspection_round: InspectionRound) -> int:
    have = InfoRequestLetter.objects.filter(
        inspection_round=inspection_round, kind=InfoRequestLetter.Kind.MAIN
    ).exclude(status=InfoRequestLetter.Status.WITHDRAWN)
    return PartnerUnit.objects.filter(active=True).exclude(pk__in=have.values("partner_id")).count()


def batches_of(reply: LetterReply) -> list[ClueImportBatch]:
    return list(reply.batches.select_related("file").order_by("uploaded_at", "pk"))


# The columns the acceptance preview shows of each row, as read (normalised).
PREVIEW_COLUMNS = (
    "inspected_unit",
    "reported_name",
    "reported_position",
    "category",
    "allegation",
    "source_channel",
    "received_date",
)
PREVIEW_FIRST_ROWS = 10


def _as_read(values: dict[str, Any], units: dict[int, str]) -> list[str]:
    """A staged row's normalised values in PREVIEW_COLUMNS order, in the workbook's words."""
    persons = values.get("reported_persons") or []
    source = values.get("source_channel")
    cells = [
        units.get(values.get("unit_id") or 0, ""),
        "、".join(str(p.get("name", "")) for p in persons if isinstance(p, dict)),
        values.get("reported_position") or "",
        "、".join(CATEGORY_LABELS.get(code, code) for code in values.get("categories") or []),
        values.get("allegation") or "",
        spec.SOURCES[source][0] if source in spec.SOURCES else "",
        values.get("received_date") or "",
    ]
    return [str(cell) or "—" for cell in cells]


def accept_preview(batches: Sequence[ClueImportBatch], first: int = PREVIEW_FIRST_ROWS) -> list[dict[str, Any]]:
    """What accepting an answer will register, as the importer read it: per usable workbook its
    first `first` data rows and every flagged row (an issue or a possible duplicate), in sheet
    order. Two queries per workbook, whatever its size."""
    preview = []
    units = dict(
        InspectedUnit.objects.filter(inspection_round__letters__replies__batches__in=batches).values_list(
            "pk", "org_unit__name"
        )
    )
    for batch in batches:
        data = batch.rows.filter(kind=ClueImportRow.Kind.DATA).order_by("sheet", "row_number")
        head = list(data[:first])
        seen = {row.pk for row in head}
        flagged = [
            row
            for row in data.exclude(issues=[], duplicate_of__isnull=True).select_related("duplicate_of")
            if row.pk not in seen
        ]
        rows = sorted([*head, *flagged], key=lambda row: (row.sheet, row.row_number))
        preview.append(
            {
                "batch": batch,
                "rows": [{"row": row, "cells": _as_read(row.values, units)} for row in rows],
                "flagged": sum(1 for row in rows if row.issues or row.duplicate_of_id),
                "hidden": max(batch.rows_data - len(rows), 0),
            }
        )
    return preview


# A staged workbook's rows in sheet order, paged by cursor (core.pagination) on import_row_order_idx:
# a 100,000-row workbook's late page is no OFFSET over the rows before it.
ISSUE_ROWS_ORDER = ("sheet", "row_number", "pk")


def rows_with_issues(batch: ClueImportBatch) -> QuerySet[ClueImportRow]:
    return batch.rows.exclude(issues=[]).order_by(*ISSUE_ROWS_ORDER)


def opinion_items_for(user: Any, inspection_round: InspectionRound) -> QuerySet[OnlineOpinionItem]:
    return (
        OnlineOpinionItem.objects.for_user(user)
        .filter(inspection_round=inspection_round)
        .select_related("inspected_unit__org_unit", "captured_by", "converted_clue")
        .order_by(*OPINION_ORDER)
    )
