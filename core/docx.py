"""A minimal .docx writer for the office's letters and notices.

python-docx would pull in lxml, which slows openpyxl on Chinese text, so the few
WordprocessingML parts a letter needs are written directly. Offices open, print and stamp
these files in Word or WPS.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, unescape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/header1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/footer1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    "</Types>"
)
# The watermark goes in the page header and footer: on every printed page, outside the body
# that offices stamp and sign.
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdHeader1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rIdFooter1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    "</Relationships>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

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


def _margin_part(tag: str, watermark: str) -> str:
    line = _paragraph(Paragraph(watermark, align="center", size=18))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{tag} {_NS}>{line}</w:{tag}>'


def build_docx(paragraphs: list[Paragraph], *, watermark: str) -> bytes:
    """A Word document of the given paragraphs on A4 with official-document margins, the
    reader's watermark (core.watermark) in its page header and footer."""
    body = "".join(_paragraph(p) for p in paragraphs)
    section = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/>'
        '<w:footerReference w:type="default" r:id="rIdFooter1"/>'
        '<w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/>'
        "</w:sectPr>"
    )
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS} {_NS_R}><w:body>{body}{section}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
        archive.writestr("word/header1.xml", _margin_part("hdr", watermark))
        archive.writestr("word/footer1.xml", _margin_part("ftr", watermark))
    return buffer.getvalue()


def document_text(data: bytes, *, margins: bool = False) -> str:
    """The plain text of a .docx written by build_docx, one paragraph a line (for checks and
    tests); with margins, the page header first and the footer last."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = ["word/document.xml"]
        if margins:
            names = set(archive.namelist())
            parts = [p for p in ("word/header1.xml", *parts, "word/footer1.xml") if p in names]
        xml = "".join(archive.read(part).decode("utf-8") for part in parts)
    paragraphs = re.findall(r"<w:p>(.*?)</w:p>", xml)
    return "\n".join(unescape("".join(re.findall(r"<w:t[^>]*>(.*?)</w:t>", p))) for p in paragraphs)
