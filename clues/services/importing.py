"""Staging and committing partner clue workbooks: the one import path of the product.

Uploads, the office's review and `manage.py import_clues` all go through stage_file and
commit_batch. Staging keeps every raw row with its kind, values and issues; clues exist only
after a commit, which creates all of a batch's clues or none.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clues import tallies
from clues.importing import spec
from clues.importing.parser import (
    ParseStream,
    names_restricted_column,
    parse_clue_workbook,
    sealed_columns,
    table_start,
)
from clues.importing.result import ParsedRow, ParseResult
from clues.models import Clue, ClueImportBatch, ClueImportRow, InfoRequestLetter, LetterReply
from clues.services.duplicates import FingerprintIndex, fingerprint, known_fingerprints
from clues.services.numbering import clue_codes
from core import audit, transitions
from core.bulk import ReadAhead, insert_values
from core.excel.errors import Mark, build_error_workbook, build_sealed_copy
from core.excel.units import UnitRef
from core.files import clear_path
from core.models import AuditLog, StoredFile, User

_BULK = 1000


def letter_units(letter: InfoRequestLetter) -> list[UnitRef]:
    units = letter.inspected_units.select_related("org_unit")
    return [
        UnitRef(id=u.pk, names=tuple(n for n in (u.org_unit.name, u.org_unit.short_name, *u.org_unit.aliases) if n))
        for u in units
    ]


def parse_for_letter(*, path: str, kind: str, letter: InfoRequestLetter, today: date | None = None) -> ParseResult:
    year = timezone.localdate(letter.sent_at).year if letter.sent_at else timezone.localdate().year
    return parse_clue_workbook(
        path, kind=kind, units=letter_units(letter), letter_year=year, today=today or timezone.localdate()
    )


def _batch_status(result: ParseResult) -> str:
    return {
        "ok": ClueImportBatch.Status.STAGED,
        "invalid": ClueImportBatch.Status.INVALID,
    }.get(result.status, ClueImportBatch.Status.REJECTED)


def stream_for_letter(
    *,
    path: str,
    kind: str,
    letter: InfoRequestLetter,
    today: date | None = None,
    watch: Callable[[ParsedRow], None] | None = None,
) -> ParseStream:
    """parse_for_letter as a stream: rows as they are read, for staging in flat memory."""
    year = timezone.localdate(letter.sent_at).year if letter.sent_at else timezone.localdate().year
    return ParseStream(
        path, kind=kind, units=letter_units(letter), letter_year=year, today=today or timezone.localdate(), watch=watch
    )


def stage_file(*, reply: LetterReply, stored: StoredFile, today: date | None = None) -> ClueImportBatch:
    """Parse a stored workbook and keep every row; nothing becomes a clue yet. The rows are
    staged as they are parsed, a chunk at a time (memory stays flat however long the file)."""
    with clear_path(stored) as path:
        return stage_stream(
            reply=reply,
            stored=stored,
            stream=stream_for_letter(path=path, kind=stored.kind, letter=reply.letter, today=today),
        )


@transaction.atomic
def stage_result(*, reply: LetterReply, stored: StoredFile, result: ParseResult) -> ClueImportBatch:
    """Keep a parse result as a batch: every raw row with its kind, values and issues."""
    return _stage(reply, stored, result.rows, lambda: result)


@transaction.atomic
def stage_stream(*, reply: LetterReply, stored: StoredFile, stream: ParseStream) -> ClueImportBatch:
    """stage_result from a ParseStream: rows written as they are parsed, the batch's counts and
    status set once the stream ends."""
    return _stage(reply, stored, stream, stream.result)


_STAGE_CHUNK = 1000


def _stage(
    reply: LetterReply,
    stored: StoredFile,
    rows: Iterable[ParsedRow],
    summary: Callable[[], ParseResult],
    then: Callable[[ClueImportBatch, list[ParsedRow], Callable[[], None]], None] | None = None,
) -> ClueImportBatch:
    """Write the rows a chunk at a time (`then` is called after each chunk is staged), then the
    batch's status and counts from the summary the rows leave."""
    # Created first for its key; status and counts are known once every row is read.
    batch = ClueImportBatch.objects.create(reply=reply, file=stored, status=ClueImportBatch.Status.REJECTED)
    total = data = with_errors = warnings = 0
    # The next chunk is parsed while COPY stores this one (core.bulk.ReadAhead): the parse and
    # the server's work overlap, on one connection.
    ahead = ReadAhead(rows, limit=_STAGE_CHUNK)
    # With clues to follow, a third of the next chunk is parsed during the staging COPY, the
    # rest during the clues' COPY: the server spends about three times as long per clue (its search
    # index) as per staged row.
    staging_meanwhile = ahead.step if then is None else ahead.every(3)
    for chunk in _chunks(ahead, _STAGE_CHUNK):
        staged = []
        for row in chunk:
            values = _staged_row(batch.pk, row)
            staged.append(values)
            has_error = values[7]
            total += 1
            data += row.kind == ClueImportRow.Kind.DATA
            with_errors += has_error
            warnings += sum(1 for issue in row.issues if issue.severity == "warning")
        insert_values(ClueImportRow, _STAGED_FIELDS, staged, meanwhile=staging_meanwhile)
        if then is not None:
            then(batch, chunk, ahead.step)
    result = summary()
    if result.status == "rejected":
        # The file turned unreadable part-way: a rejected batch keeps no rows, as before streaming.
        batch.rows.all().delete()
        total = data = with_errors = warnings = 0
    batch.status = _batch_status(result)
    batch.sheet_used = result.sheet[:200]
    batch.header_row = result.header_row
    batch.metadata = result.metadata
    batch.columns = result.columns
    batch.nil_return = result.nil_return
    batch.rows_total, batch.rows_data, batch.rows_with_errors = total, data, with_errors
    batch.warning_count = warnings + sum(1 for i in result.file_issues if i.severity == "warning")
    batch.file_issues = [_issue(i) for i in result.file_issues]
    batch.save()
    return batch


_STAGED_FIELDS = ("batch", "sheet", "row_number", "kind", "raw", "values", "issues", "has_error", "reporter")


def _staged_row(batch_id: int, row: ParsedRow) -> tuple[Any, ...]:
    """The values of one ClueImportRow, in the order of _STAGED_FIELDS."""
    issues = [_issue(i) for i in row.issues]
    has_error = any(i.severity == "error" for i in row.issues)
    return (batch_id, row.sheet[:200], row.row_number, row.kind, row.raw, row.values, issues, has_error, row.reporter)


def _issue(issue: Any) -> dict[str, Any]:
    return {
        "row": issue.row,
        "column": issue.column,
        "severity": issue.severity,
        "message": str(issue.message),
        "sheet": issue.sheet,
    }


def error_workbook(batch: ClueImportBatch, *, watermark: str) -> bytes:
    """The uploaded workbook with every staged problem marked on its cell and commented, the
    reporter's cells sealed."""

    def mark(sheet: str, row: int, issue: dict[str, Any]) -> Mark:
        key = issue["column"]
        column = batch.columns.get(sheet, {}).get(key) if key else None
        label = spec.BY_KEY[key].label if key in spec.BY_KEY else ""
        return Mark(sheet, row, column, issue["severity"], issue["message"], label)

    marks = [mark(i.get("sheet", ""), i["row"], i) for i in batch.file_issues]
    rows = batch.rows.exclude(issues=[]).order_by("sheet", "row_number").values_list("sheet", "row_number", "issues")
    for sheet, row_number, issues in rows.iterator(chunk_size=2000):
        marks += [mark(sheet, row_number, issue) for issue in issues]
    with clear_path(batch.file) as path:
        return build_error_workbook(
            path,
            kind=batch.file.kind,
            marks=marks,
            watermark=watermark,
            sealed=sealed_columns(batch.columns),
            is_label=names_restricted_column,
            table_start=table_start,
        )


def sealed_copy(stored: StoredFile, *, watermark: str) -> bytes:
    """What a download of a partner's workbook serves: every visible sheet with the reporter's
    cells sealed from the header down (header kept, the form's lines above it as written) and the
    reader's watermark, as .xlsx whatever the original kind.
    The columns are those the parser found when the workbook was staged; in a sheet it ignored,
    a column is sealed below any cell naming the reporter."""
    batch = ClueImportBatch.objects.filter(file=stored).only("columns").first()
    with clear_path(stored) as path:
        return build_sealed_copy(
            path,
            kind=stored.kind,
            watermark=watermark,
            sealed=sealed_columns(batch.columns if batch is not None else {}),
            is_label=names_restricted_column,
            table_start=table_start,
        )


B = ClueImportBatch.Status
# A batch is staged (or found invalid or rejected) when it is read, then replaced by a corrected
# upload or committed once; who may do either is the reply service's check (the partner uploading,
# the reviewer accepting), so the moves themselves accept any caller.
BATCH_WORKFLOW = transitions.register(
    transitions.Workflow(
        ClueImportBatch,
        [
            transitions.Transition("supersede", (B.STAGED, B.INVALID, B.REJECTED), B.SUPERSEDED),
            transitions.Transition("commit", (B.STAGED,), B.COMMITTED),
        ],
    )
)


def supersede(*, batch: ClueImportBatch, by: User | None = None) -> None:
    """A corrected upload replaces this batch; its rows stay for the record."""
    if batch.status == ClueImportBatch.Status.COMMITTED:
        raise ValidationError(_("Clues from this workbook are registered already; it cannot be replaced."))
    transitions.perform(batch, "supersede", by=by)


@transaction.atomic
def commit_batch(*, batch: ClueImportBatch, by: User | None, progress: Callable[[int], None] | None = None) -> int:
    """Register one clue per data row of a clean batch: all of them or none. Returns how many.

    Rows that look like a clue already in the round (any partner's reply) are registered with
    possible_duplicate_of set, for the clue custodian to decide; nothing is dropped. Rows are
    read and written in chunks, so memory stays flat however large the workbook; `progress` is
    told the number of rows of each chunk written (a background job's count, core.jobs).
    """
    batch = (
        ClueImportBatch.objects.select_for_update(no_key=True, of=("self",))
        .select_related("reply__letter__partner")
        .get(pk=batch.pk)
    )
    if batch.status != ClueImportBatch.Status.STAGED:
        raise ValidationError(_("Only a workbook without errors can be registered, and only once."))
    letter = batch.reply.letter
    inspection_round = letter.inspection_round
    data_rows = batch.rows.filter(kind=ClueImportRow.Kind.DATA).order_by("sheet", "row_number")
    codes = iter(clue_codes(inspection_round, data_rows.count()))
    units = {u.pk: u for u in letter.inspected_units.all()}
    known = known_fingerprints(inspection_round)
    created = flagged = 0
    # (pk, values, reporter) rows, not model instances: the commit needs nothing else of a staged row.
    for chunk in _chunks(data_rows.values_list("pk", "values", "reporter").iterator(chunk_size=_BULK), _BULK):
        opened = [(row_pk, values, sealed.open()) for row_pk, values, sealed in chunk]
        flagged += _register(opened, [next(codes) for _row in chunk], letter=letter, units=units, known=known, by=by)
        created += len(chunk)
        if progress is not None:
            progress(len(chunk))
    _committed(batch, by=by, created=created, flagged=flagged)
    return created


def _committed(batch: ClueImportBatch, *, by: User | None, created: int, flagged: int) -> None:
    batch = transitions.perform(batch, "commit", by=by, fields={"committed_at": timezone.now()}, locked=True)
    audit.log_action(
        user=by,
        action=AuditLog.Action.CREATE,
        obj=batch,
        note=_("%(count)s clues registered, %(flagged)s flagged as possible duplicates")
        % {"count": created, "flagged": flagged},
    )


class NotClean(Exception):
    """stage_and_commit found an error in the file: nothing was kept (its transaction rolls back)."""

    def __init__(self, result: ParseResult) -> None:
        super().__init__(result.status)
        self.result = result


@transaction.atomic
def stage_and_commit(*, reply: LetterReply, stream: ParseStream, stored: StoredFile, by: User | None) -> int:
    """stage_stream then commit_batch in one pass over the parse (issue 16): each chunk of rows
    is staged, then its data rows become clues at once, from the parsed values, without reading
    the staged values back. Returns how many clues were registered.

    The clues are those commit_batch would register (codes in the order of the rows, the same
    duplicate flags), except that rows are taken in workbook order, where commit_batch takes
    them by sheet name then row. Errors are known only once the whole file is read: on any,
    NotClean is raised and the transaction leaves nothing, as a failure part-way does.
    """
    letter = reply.letter
    units = {u.pk: u for u in letter.inspected_units.all()}
    commit = _StreamCommit(letter=letter, units=units, known=known_fingerprints(letter.inspection_round), by=by)
    batch = _stage(reply, stored, stream, stream.result, then=commit.chunk)
    if batch.status != ClueImportBatch.Status.STAGED:
        raise NotClean(stream.result())
    _committed(batch, by=by, created=commit.created, flagged=commit.flagged)
    return commit.created


class _StreamCommit:
    """Registers the clues of each chunk of rows just staged (stage_and_commit)."""

    def __init__(self, *, letter: InfoRequestLetter, units: dict[int, Any], known: FingerprintIndex, by: User | None):
        self.letter, self.units, self.known, self.by = letter, units, known, by
        self.created = self.flagged = 0
        self.clean = True
        self.last = 0  # the key of the last staged data row registered

    def chunk(self, batch: ClueImportBatch, rows: list[ParsedRow], meanwhile: Callable[[], None]) -> None:
        if self.clean and any(row.has_errors for row in rows):
            # The transaction is rolled back at the end: stop writing clues, read on for the report.
            self.clean = False
        data = [row for row in rows if row.kind == ClueImportRow.Kind.DATA]
        if not self.clean or not data:
            return
        # insert_values returns no keys: the chunk's staged data rows are those after the last
        # one registered (keys grow in the order rows are written; no one else writes this batch).
        staged = ClueImportRow.objects.filter(batch=batch, kind=ClueImportRow.Kind.DATA, pk__gt=self.last)
        pks = list(staged.order_by("pk").values_list("pk", flat=True))
        chunk = [(pk, row.values, row.reporter) for pk, row in zip(pks, data, strict=True)]
        codes = clue_codes(self.letter.inspection_round, len(chunk))
        self.flagged += _register(
            chunk, codes, letter=self.letter, units=self.units, known=self.known, by=self.by, meanwhile=meanwhile
        )
        self.created += len(chunk)
        self.last = pks[-1]


def _register(
    chunk: list[tuple[int, dict[str, Any], str]],
    codes: list[str],
    *,
    letter: InfoRequestLetter,
    units: dict[int, Any],
    known: FingerprintIndex,
    by: User | None,
    meanwhile: Callable[[], None] | None = None,
) -> int:
    """Insert the clues of one chunk of staged (pk, values, reporter in clear) rows, one code
    each, and flag those that look like a clue already known; returns how many were flagged."""
    clues = [
        _clue_from_row(row_pk, values, reporter, code=code, letter=letter, unit=units[values["unit_id"]], by=by)
        for (row_pk, values, reporter), code in zip(chunk, codes, strict=True)
    ]
    insert_values(Clue, _CLUE_FIELDS, clues, meanwhile=meanwhile)
    # insert_values saves no model: the dashboard's counters are told here, from the values written.
    tallies.count_registered(dict(zip(_CLUE_FIELDS, clue, strict=True)) for clue in clues)
    # insert_values returns no keys: read them back by the unique code.
    pks = dict(Clue.objects.filter(code__in=codes).values_list("code", "pk"))
    fingerprints = [
        fingerprint(values["unit_id"], values, pks[code]) for (_pk, values, _r), code in zip(chunk, codes, strict=True)
    ]
    matches = known.match_and_add(fingerprints)
    suspects = [
        (row_pk, pks[code], match.clue_id)
        for (row_pk, _values, _reporter), code, match in zip(chunk, codes, matches, strict=True)
        if match is not None
    ]
    # One UPDATE of a chunk's suspects for the clues and one for their staged rows, not two per
    # suspect: 7,000 statements for the 100,000-row bench workbook, which flags 3.5 % of its rows.
    if suspects:
        flagged = [Clue(pk=clue_pk, possible_duplicate_of_id=original) for _row, clue_pk, original in suspects]
        Clue.objects.bulk_update(flagged, ["possible_duplicate_of"])
        staged = [ClueImportRow(pk=row_pk, duplicate_of_id=original) for row_pk, _clue, original in suspects]
        ClueImportRow.objects.bulk_update(staged, ["duplicate_of"])
    return len(suspects)


def _chunks(rows: Iterable[Any], size: int) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_CLUE_FIELDS = (
    "code",
    "inspection_round",
    "inspected_unit",
    "assigned_group",
    "source_type",
    "source_partner",
    "source_import_row",
    "source_ref",
    "source_channel",
    "received_date",
    "received_date_precision",
    "reported_persons",
    "allegation_summary",
    "allegation_detail",
    "categories",
    "amount_involved_yuan",
    "amount_approximate",
    "handling_status",
    "handling_result",
    "remarks",
    "reporter_name",
    "is_anonymous",
    "created_by",
)


def _clue_from_row(
    row_pk: int,
    values: dict[str, Any],
    reporter: str,
    *,
    code: str,
    letter: InfoRequestLetter,
    unit: Any,
    by: User | None,
) -> tuple[Any, ...]:
    """The values of the clue registered from one staged row, in the order of _CLUE_FIELDS."""
    allegation = values.get("allegation") or ""
    amount = values.get("amount_yuan")
    # In clear here (opened from the staged row, or as parsed) and sealed by the clue's field: a
    # clue's reporter holds at most 100 characters, and 匿名 is recorded as is_anonymous, not as a name.
    reporter = reporter.strip()
    return (
        code,
        letter.inspection_round_id,
        unit.pk,
        unit.group_id,
        Clue.SourceType.PARTNER_LETTER.value,
        letter.partner_id,
        row_pk,
        (values.get("source_ref") or "")[:100],
        values.get("source_channel") or "",
        date.fromisoformat(values["received_date"]),
        values.get("received_date_precision") or Clue.Precision.DAY.value,
        values.get("reported_persons", []),
        allegation[:300],
        allegation,
        values.get("categories", []),
        Decimal(amount) if amount else None,
        bool(values.get("amount_approximate")),
        values.get("handling_status") or "",
        values.get("handling_result") or "",
        values.get("remarks") or "",
        "" if reporter == "匿名" else reporter[:100],
        reporter == "匿名",
        by.pk if by is not None else None,
    )


def issues_of(batches: Iterable[ClueImportBatch]) -> Sequence[ClueImportRow]:
    """Rows with issues of the given batches, in sheet and row order, for the review screens."""
    return list(
        ClueImportRow.objects.filter(batch__in=list(batches))
        .exclude(issues=[])
        .order_by("batch_id", "sheet", "row_number")
    )
