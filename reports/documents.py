"""The dashboard's summary (情况汇报) as an official document, rendered from the office's Word
template (core.documents; default in reports/document_templates/)."""

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import documents
from core.documents import DocumentKind, OfficialDocument

SUMMARY = "summary"
_DEFAULTS = Path(__file__).resolve().parent / "document_templates"


def summary_docx(lines: list[str], *, watermark: str, title: str = "") -> bytes:
    """The figures as sentences the office can paste into its report, signed by the office; the
    title names the round the figures are of, when one was chosen."""
    document = OfficialDocument(title=title or _("Inspection work in figures"), body=lines, extra={"lines": lines})
    return documents.render(SUMMARY, document, watermark=watermark)


def _sample() -> OfficialDocument:
    return documents.sample_document(lines=["示例数字一。", "示例数字二。"])


def register() -> None:
    """Called from ReportsConfig.ready."""
    documents.register_kind(
        DocumentKind(SUMMARY, gettext_lazy("Summary of figures"), _DEFAULTS / f"{SUMMARY}.docx", _sample)
    )
