"""The letter as the .docx an office prints and stamps (DOMAIN §2.4 fields, official layout)."""

from django.utils import timezone

from clues.models import InfoRequestLetter
from core.docx import TITLE_FONT, Paragraph, build_docx

_CN_NUMERALS = "〇一二三四五六七八九"


def chinese_date(day) -> str:
    """2017年8月3日 written the way official documents date themselves: 二〇一七年八月三日."""

    def digits(n: int) -> str:
        return "".join(_CN_NUMERALS[int(d)] for d in str(n))

    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return _CN_NUMERALS[ones]
        return ("" if tens == 1 else _CN_NUMERALS[tens]) + "十" + ("" if ones == 0 else _CN_NUMERALS[ones])

    return f"{digits(day.year)}年{small(day.month)}月{small(day.day)}日"


def letter_docx(letter: InfoRequestLetter) -> bytes:
    units = [u.org_unit.name for u in letter.inspected_units.select_related("org_unit").order_by("group__number", "pk")]
    sent_on = timezone.localdate(letter.sent_at) if letter.sent_at else timezone.localdate()
    paragraphs = [
        Paragraph(letter.doc_number or "（文号待发出时生成）", align="right", space_after=240),
        Paragraph(letter.title, align="center", bold=True, size=44, font=TITLE_FONT, space_after=360),
        Paragraph(f"{letter.partner.org_unit.name}：", align="left"),
        Paragraph(letter.body, indent_first_line=True),
        Paragraph("被巡察单位：" + "、".join(units) + "。", indent_first_line=True),
    ]
    if letter.period_from and letter.period_to:
        paragraphs.append(
            Paragraph(
                f"时间范围：{letter.period_from:%Y年%m月%d日}至{letter.period_to:%Y年%m月%d日}。",
                indent_first_line=True,
            )
        )
    paragraphs.append(Paragraph("请提供以下情况：", indent_first_line=True))
    paragraphs += [Paragraph(f"{i}. {item}", indent_first_line=True) for i, item in enumerate(letter.request_items, 1)]
    if letter.format_requirements:
        paragraphs.append(Paragraph("报送要求：", indent_first_line=True))
        paragraphs += [Paragraph(line, indent_first_line=True) for line in letter.format_requirements.splitlines()]
    deadline = f"{letter.deadline:%Y年%m月%d日}" if letter.deadline else "收函后5个工作日内"
    paragraphs.append(Paragraph(f"请于{deadline}前反馈。", indent_first_line=True))
    contact = letter.contact_person.name if letter.contact_person else ""
    if contact or letter.contact_phone:
        paragraphs.append(Paragraph(f"联系人：{contact}　联系电话：{letter.contact_phone}", indent_first_line=True))
    paragraphs += [
        Paragraph("", space_after=240),
        Paragraph(letter.signed_by, align="right"),
        Paragraph(chinese_date(sent_on), align="right"),
    ]
    return build_docx(paragraphs)
