"""Write the default Word templates of the office's documents (GB/T 9704 layout, docxtpl tags).

The .docx files are committed; this script rebuilds them reproducibly:

    .venv/bin/python scripts/make_document_templates.py

Every default has the same shape (the context is core.documents.OfficialDocument's): 密级 and
紧急程度 top left when set, the 红头 (the office's name in red, centred, large) with the red rule
under the 文号, the title, 主送, the body, the 附件 line, 落款 and 成文日期, the 附注 with the
联系人 and phone, and the 版记 (抄送, the issuing office and date). The office replaces any of
them in the app (settings, document templates); the watermark is added to the page header and
footer when a document is rendered, whatever the template.
"""

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent

# kind -> the app folder its default lives in (core.documents registers them by these names).
KINDS = {
    "info_request_letter": "clues",
    "transfer_letter": "clues",
    "secondment_letter": "talentpool",
    "handover_list": "liaison",
    "rectification_notice": "liaison",
    "summary": "reports",
}

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEI_FONT = "黑体"
RED = RGBColor(0xFF, 0x00, 0x00)
SIZE_3 = Pt(16)  # 三号: body
SIZE_2 = Pt(22)  # 二号: title
SIZE_4 = Pt(14)  # 四号: 版记
MASTHEAD = Pt(26)  # 发文机关标志: red, large, set narrower (MASTHEAD_SCALE) so a long name keeps to one line
MASTHEAD_SCALE = 80  # per cent of the characters' width


# What follows w:pBdr in a paragraph's properties, and w:w in a run's (ECMA-376 CT_PPr, CT_RPr).
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_SCALE = (
    "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish",
    "w:oMath",
)  # fmt: skip


def _fonts(run_or_style_element, name: str) -> None:
    r_pr = run_or_style_element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _rule(paragraph: Paragraph, edge: str, *, red: bool = False, size: int = 12) -> None:
    """A line along the paragraph's top or bottom edge: the red rule under the 文号, the 版记's rules."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # Word reads a paragraph's properties in the schema's order: the borders come first.
        p_pr.insert_element_before(borders, *_AFTER_BORDERS)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), "FF0000" if red else "000000")
    borders.append(line)


def _add(
    document,
    text: str,
    *,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    font: str = BODY_FONT,
    size=SIZE_3,
    bold: bool = False,
    color: RGBColor | None = None,
    indent: bool = False,
    right_indent_chars: int = 0,
    space_before: int = 0,
    space_after: int = 0,
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28) if size <= SIZE_3 else Pt(size.pt + 8)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    if right_indent_chars:
        fmt.right_indent = Pt(16 * right_indent_chars)
    if text:
        run = paragraph.add_run(text)
        run.font.size = size
        run.bold = bold
        if color is not None:
            run.font.color.rgb = color
        _fonts(run._r, font)
    return paragraph


def build(kind: str) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(17.5)
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    _fonts(normal.element, BODY_FONT)
    # The default document's empty first paragraph goes: the masthead starts the page.
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)

    left = WD_ALIGN_PARAGRAPH.LEFT
    center = WD_ALIGN_PARAGRAPH.CENTER
    right = WD_ALIGN_PARAGRAPH.RIGHT

    # 版头: 密级, 紧急程度 (黑体 三号, top left), 发文机关标志 in red, 文号 above the red rule.
    _add(document, "{%p if secrecy %}", align=left)
    _add(document, "{{ secrecy }}", align=left, font=HEI_FONT)
    _add(document, "{%p endif %}", align=left)
    _add(document, "{%p if urgency %}", align=left)
    _add(document, "{{ urgency }}", align=left, font=HEI_FONT)
    _add(document, "{%p endif %}", align=left)
    masthead = _add(
        document,
        "{{ office_name }}",
        align=center,
        font=TITLE_FONT,
        size=MASTHEAD if kind != "handover_list" else SIZE_2,
        color=RED,
        space_before=12,
        space_after=12,
    )
    scale = OxmlElement("w:w")
    scale.set(qn("w:val"), str(MASTHEAD_SCALE))
    masthead.runs[0]._r.get_or_add_rPr().insert_element_before(scale, *_AFTER_SCALE)
    number = _add(document, "{{ doc_number }}", align=center, space_after=6)
    _rule(number, "bottom", red=True, size=18)
    _add(document, "")

    # 主体: title, 主送, body, 附件, 落款, 成文日期, 附注.
    _add(document, "{{ title }}", align=center, font=TITLE_FONT, size=SIZE_2, space_after=16)
    _add(document, "{%p if recipient %}", align=left)
    _add(document, "{{ recipient }}：", align=left)
    _add(document, "{%p endif %}", align=left)
    _add(document, "{%p for line in body %}")
    _add(document, "{{ line }}", indent=True)
    _add(document, "{%p endfor %}")
    _add(document, "{%p for name in attachments %}")
    _add(
        document,
        "{% if loop.first %}附件：{% else %}　　　{% endif %}{{ loop.index }}．{{ name }}",
        align=left,
        indent=True,
        space_before=0,
    )
    _add(document, "{%p endfor %}")
    _add(document, "")
    _add(document, "{%p if signer %}", align=right)
    _add(document, "{{ signer }}", align=right, right_indent_chars=4)
    _add(document, "{%p endif %}", align=right)
    _add(document, "{{ date }}", align=right, right_indent_chars=4)
    _add(document, "{%p if contact or phone %}")
    # Either part may be missing (a drafter without a phone): no empty 「联系电话：」 is printed.
    _add(
        document,
        "（{% if contact %}联系人：{{ contact }}{% endif %}{% if contact and phone %}，{% endif %}"
        "{% if phone %}联系电话：{{ phone }}{% endif %}）",
        indent=True,
    )
    _add(document, "{%p endif %}")

    # 版记: 抄送, the issuing office and the date it is printed, between rules.
    _add(document, "")
    _add(document, "{%p if cc %}", align=left)
    cc = _add(document, "抄送：{{ cc }}。", align=left, size=SIZE_4)
    _rule(cc, "top")
    _add(document, "{%p endif %}", align=left)
    issued = _add(document, "{{ office_name }}　　　　{{ printed_on }}印发", align=left, size=SIZE_4)
    _rule(issued, "top")
    _rule(issued, "bottom")

    core = document.core_properties
    core.author = core.last_modified_by = "巡察协同平台"
    core.title = kind
    # Fixed timestamps (here and on the zip entries) make a rebuild byte-for-byte the same.
    core.created = core.modified = datetime(2026, 1, 1)  # noqa: DTZ001 - a fixed document stamp
    core.revision = 1

    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every entry dated alike, so a rebuild gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


def main() -> int:
    for kind, app in KINDS.items():
        target = ROOT / app / "document_templates" / f"{kind}.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(build(kind))
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
