"""A minimal .docx writer for the office's letters and notices.

python-docx would pull in lxml, which slows openpyxl on Chinese text, so the few
WordprocessingML parts a letter needs are written directly. Offices open, print and stamp
these files in Word or WPS.
"""

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# Official documents: titles in 方正小标宋, body in 仿宋 (三号 = 16pt = 32 half-points).
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"


@dataclass(frozen=True)
class Paragraph:
    text: str
    align: str = "both"  # left/both/center/right
    bold: bool = False
    size: int = 32  # half-points
    font: str = BODY_FONT
    indent_first_line: bool = False  # two characters, as Chinese body text is set
    space_after: int = 0  # twentieths of a point


def _run(p: Paragraph) -> str:
    props = (
        f'<w:rFonts w:ascii="{p.font}" w:hAnsi="{p.font}" w:eastAsia="{p.font}"/>'
        + ("<w:b/>" if p.bold else "")
        + f'<w:sz w:val="{p.size}"/><w:szCs w:val="{p.size}"/>'
    )
    lines = p.text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r><w:rPr>{props}</w:rPr>{body}</w:r>"


def _paragraph(p: Paragraph) -> str:
    indent = '<w:ind w:firstLineChars="200" w:firstLine="640"/>' if p.indent_first_line else ""
    spacing = f'<w:spacing w:after="{p.space_after}" w:line="560" w:lineRule="exact"/>'
    return f'<w:p><w:pPr><w:jc w:val="{p.align}"/>{spacing}{indent}</w:pPr>{_run(p)}</w:p>'


def build_docx(paragraphs: list[Paragraph]) -> bytes:
    """A Word document of the given paragraphs on A4 with official-document margins."""
    body = "".join(_paragraph(p) for p in paragraphs)
    section = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/>'
        "</w:sectPr>"
    )
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS}><w:body>{body}{section}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def document_text(data: bytes) -> str:
    """The plain text of a .docx written by build_docx, one paragraph a line (for checks and tests)."""
    import re

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p>(.*?)</w:p>", xml)
    from xml.sax.saxutils import unescape

    return "\n".join(unescape("".join(re.findall(r"<w:t[^>]*>(.*?)</w:t>", p))) for p in paragraphs)
