from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StoredFile
from core.sealing import SealedTextField


class ClueImportBatch(models.Model):
    """One uploaded clue workbook of a reply, staged row by row; clues exist only after commit."""

    class Status(models.TextChoices):
        STAGED = "staged", _("Checked, no errors")
        INVALID = "invalid", _("Has errors")
        REJECTED = "rejected", _("File refused")
        SUPERSEDED = "superseded", _("Replaced by a newer upload")
        COMMITTED = "committed", _("Clues registered")

    reply = models.ForeignKey(
        "clues.LetterReply", verbose_name=_("reply"), on_delete=models.CASCADE, related_name="batches"
    )
    file = models.ForeignKey(StoredFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    sheet_used = models.CharField(_("sheet"), max_length=200, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=0)
    metadata = models.JSONField(_("form details"), default=dict, blank=True)
    # Sheet → column key → 1-based column, to mark problems on the right cells later.
    columns = models.JSONField(_("column positions"), default=dict, blank=True)
    nil_return = models.BooleanField(_("nothing to report"), default=False)
    rows_total = models.PositiveIntegerField(_("rows read"), default=0)
    rows_data = models.PositiveIntegerField(_("data rows"), default=0)
    rows_with_errors = models.PositiveIntegerField(_("rows with errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    file_issues = models.JSONField(_("file problems"), default=list, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    permission_via = "reply"

    class Meta:
        verbose_name = _("clue import batch")
        verbose_name_plural = _("clue import batches")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file} ({self.get_status_display()})"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.STAGED


class ClueImportRow(models.Model):
    """One raw row of an uploaded workbook, kept whole, with its kind, normalised values and issues."""

    class Kind(models.TextChoices):
        DATA = "data", _("Data")
        BLANK = "blank", _("Blank")
        SUBTOTAL = "subtotal", _("Subtotal")
        NOTE = "note", _("Note")
        SECTION_HEADING = "section_heading", _("Section heading")
        REPEATED_HEADER = "repeated_header", _("Repeated header")
        SIGNATURE = "signature", _("Signature")

    batch = models.ForeignKey(ClueImportBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(_("sheet"), max_length=200)
    row_number = models.PositiveIntegerField(_("row"))
    kind = models.CharField(_("row kind"), max_length=20, choices=Kind.choices)
    raw = models.JSONField(_("cells as written"), default=dict)
    values = models.JSONField(_("normalised values"), default=dict)
    issues = models.JSONField(_("issues"), default=list)
    has_error = models.BooleanField(_("has errors"), default=False)
    # The reporter cell, taken out of raw and values at parse time (raw shows SEALED_MARK):
    # the clue's reporter is registered from it.
    reporter = SealedTextField(_("reporter"))
    # Rows elsewhere in the round that look like the same clue: flagged for the custodian, never dropped.
    duplicate_of = models.ForeignKey(
        "clues.Clue",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    permission_via = "batch"

    class Meta:
        verbose_name = _("clue import row")
        verbose_name_plural = _("clue import rows")
        ordering = ["batch", "sheet", "row_number"]
        indexes = [
            models.Index(fields=["batch", "has_error"], name="import_row_errors_idx"),
            # The batch page's keyset pages (core.pagination) in sheet order.
            models.Index(fields=["batch", "sheet", "row_number", "id"], name="import_row_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row_number}"
