"""The office's official documents, rendered from Word templates the office owns (docxtpl).

Each kind of document (a letter, a transfer letter, a notice...) is registered by its app from
`AppConfig.ready` with a default template shipped in the app (`<app>/document_templates/`,
rebuilt by scripts/make_document_templates.py, GB/T 9704 layout). The office head may upload a
replacement per kind (core.services.documents, a DocumentTemplate row) and revert to the
default. Every document is filled from one context shape, OfficialDocument, so every template
can use the same variables: an app fills the parts and may add its own under `extra`.

Safety: templates are Jinja run in an immutable sandbox with autoescaping and strict
undefined variables, fed only plain values (text, numbers, lists, dicts), never model
instances. An upload is refused unless it renders with the kind's sample context.

Watermark (docs/domain.md §5.2 rule 9): the reader's watermark is written into the page header
and footer of every section after rendering, whatever the template holds, so an office's own
template cannot drop it.
"""

import io
import logging
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from core.files import FileRejected, open_stored
from core.models import DocumentTemplate
from core.sealing import SealBroken
from core.wording import chinese_date, day_text, office_name

logger = logging.getLogger(__name__)

PENDING_NUMBER = "（文号待发出时生成）"


@dataclass
class OfficialDocument:
    """The parts of an official document (GB/T 9704), as plain text for a template.

    body: one paragraph a line; attachments: the names the 附件 line lists; signer: the 落款
    (the issuing office by default); dated: the 成文日期, written in Chinese numerals.
    """

    title: str
    body: list[str]
    recipient: str = ""
    doc_number: str = ""
    secrecy: str = ""
    urgency: str = ""
    attachments: list[str] = field(default_factory=list)
    signer: str | None = None
    dated: date | None = None
    contact: str = ""
    phone: str = ""
    cc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def context(self) -> dict[str, Any]:
        dated = self.dated or timezone.localdate()
        values = asdict(self)
        values.pop("dated")
        values["signer"] = office_name() if self.signer is None else self.signer
        values["date"] = chinese_date(dated)
        values["office_name"] = office_name()
        values["printed_on"] = day_text(dated)
        return values


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: Any  # a lazy translation
    default: Path
    sample: Callable[[], OfficialDocument]


_KINDS: dict[str, DocumentKind] = {}


def register_kind(kind: DocumentKind) -> None:
    """Called from an app's AppConfig.ready: a kind of document, its default template and a
    sample (what an upload is checked against, and what the settings page lists)."""
    _KINDS[kind.code] = kind


def kinds() -> list[DocumentKind]:
    return list(_KINDS.values())


def kind_named(code: str) -> DocumentKind | None:
    return _KINDS.get(code)


def sample_document(**extra: Any) -> OfficialDocument:
    """A filled-in example every kind's sample starts from (every part present)."""
    return OfficialDocument(
        title="关于示例事项的函",
        body=["正文第一段。", "正文第二段。"],
        recipient="示例单位",
        doc_number="示巡办函〔2017〕1号",
        secrecy="秘密",
        urgency="特急",
        attachments=["示例附件一", "示例附件二"],
        dated=date(2017, 8, 3),
        contact="张三",
        phone="0000-00000000",
        cc="示例抄送单位",
        extra=extra,
    )


def _environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def _render_template(template: IO[bytes], context: dict[str, Any]) -> bytes:
    document = DocxTemplate(template)
    document.render(context, jinja_env=_environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _mark(container: Any, watermark: str) -> None:
    paragraphs = container.paragraphs
    paragraph = paragraphs[0] if len(paragraphs) == 1 and not paragraphs[0].text else container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(watermark).font.size = Pt(9)


def _watermarked(data: bytes, watermark: str) -> bytes:
    """The watermark in the page header and footer of every section (first-page and even-page
    ones too where the template has them), outside the body that offices stamp and sign."""
    document = Document(io.BytesIO(data))
    odd_even = document.settings.odd_and_even_pages_header_footer
    for index, section in enumerate(document.sections):
        parts = [section.header, section.footer]
        if section.different_first_page_header_footer:
            parts += [section.first_page_header, section.first_page_footer]
        if odd_even:
            parts += [section.even_page_header, section.even_page_footer]
        for part in parts:
            if index and part.is_linked_to_previous:
                continue  # it shows the previous section's, marked already
            _mark(part, watermark)
    document.core_properties.comments = watermark
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _own_template(kind: DocumentKind) -> IO[bytes] | None:
    own = DocumentTemplate.objects.select_related("file").filter(kind=kind.code).first()
    if own is None:
        return None
    try:
        with open_stored(own.file) as handle:
            return io.BytesIO(handle.read())
    except (OSError, SealBroken):
        logger.exception("The office's template for %s cannot be read; the default is used", kind.code)
        return None


def _template_of(kind: DocumentKind) -> IO[bytes]:
    return _own_template(kind) or io.BytesIO(kind.default.read_bytes())


def render(code: str, document: OfficialDocument, *, watermark: str) -> bytes:
    """The document of a kind from the office's template (or the default), with the reader's
    watermark: the one way the app writes a .docx.

    An office template passed the sample at upload, but real values can still trip it (a
    `{{ body[5] }}` on a shorter body): then the default fills the document, and the error is
    logged, rather than the reader getting a server error.
    """
    kind = _KINDS[code]
    context = document.context()
    own = _own_template(kind)
    if own is not None:
        try:
            return _watermarked(_render_template(own, context), watermark)
        except Exception:  # whatever the office's template does wrong with these values
            logger.exception("The office's template for %s failed on a document; the default is used", code)
    return _watermarked(_render_template(io.BytesIO(kind.default.read_bytes()), context), watermark)


def template_bytes(code: str) -> bytes:
    """The template in use for a kind: the office's own, or the default."""
    return _template_of(_KINDS[code]).read()


def render_sample(code: str, *, watermark: str) -> bytes:
    return _watermarked(_render_template(_template_of(_KINDS[code]), _KINDS[code].sample().context()), watermark)


def _message(exc: Exception) -> str:
    """In the uploader's language; the detail is the template engine's own words."""
    detail = str(getattr(exc, "message", None) or exc).rstrip("。.")
    if isinstance(exc, UndefinedError):
        return _("The template uses a field that does not exist: %(detail)s. The fields are listed on this page.") % {
            "detail": detail
        }
    if isinstance(exc, TemplateError):
        return _("The template has a tag that cannot be filled in: %(detail)s. Check its {{ }} and {%% %%} tags.") % {
            "detail": detail
        }
    return _("The template could not be filled in: %(detail)s.") % {"detail": detail}


def check_template(code: str, path: str) -> None:
    """Raise FileRejected (a message in the reader's language) unless the Word file at path is
    a template of the kind that renders with the kind's sample context."""
    kind = _KINDS[code]
    try:
        with Path(path).open("rb") as handle:
            _watermarked(_render_template(handle, kind.sample().context()), "水印")
    except FileRejected:
        raise
    except (zipfile.BadZipFile, KeyError) as exc:
        raise FileRejected(_("The file is not a Word document (.docx).")) from exc
    except Exception as exc:  # anything a template can do wrong: tags, XML, variables
        raise FileRejected(_message(exc)) from exc


def context_names(code: str) -> list[str]:
    """The variables a template of the kind may use, for the settings page."""
    values = _KINDS[code].sample().context()
    extra = values.pop("extra")
    return sorted(values) + [f"extra.{name}" for name in sorted(extra)]


def _block_text(block: Paragraph | Table) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    return ["\t".join(cell.text for cell in row.cells) for row in block.rows]


def document_text(data: bytes, *, margins: bool = False) -> str:
    """The text of a rendered .docx, one non-empty paragraph (or table row) a line, for checks
    and tests; with margins, the first page header first and its footer last."""
    document = Document(io.BytesIO(data))
    lines = [line for block in document.iter_inner_content() for line in _block_text(block)]
    if margins:
        section = document.sections[0]
        lines = [p.text for p in section.header.paragraphs] + lines + [p.text for p in section.footer.paragraphs]
    return "\n".join(line for line in lines if line.strip())
