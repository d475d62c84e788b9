"""The letter as the .docx an office prints and stamps (docs/domain.md §2.4 fields, official layout)."""

from collections.abc import Collection

from django.utils import timezone

from clues import texts
from clues.models import ClueTransfer, ClueTransferItem, InfoRequestLetter
from core.docx import TITLE_FONT, Paragraph, build_docx
from core.sealing import opened
from core.wording import chinese_date


def letter_docx(letter: InfoRequestLetter, *, watermark: str) -> bytes:
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
    return build_docx(paragraphs, watermark=watermark)


def transfer_docx(
    transfer: ClueTransfer, items: list[ClueTransferItem], *, reveal: Collection[int], watermark: str
) -> bytes:
    """The transfer letter (移交函): number, receiver, the listed clues and their materials, feedback date.

    The letter is made per reader (clues.services.transfers.letter_for_reader): `items` are the
    clues that reader may open, and the reporter's identity is printed only for the clues in
    `reveal`, when the transfer includes it (docs/domain.md §5.2 rule 4).
    """
    sent_on = timezone.localdate(transfer.transferred_at) if transfer.transferred_at else timezone.localdate()
    group = (
        f"{transfer.inspection_round.title}第{transfer.group.number}巡察组" if transfer.group else texts.office_name()
    )
    paragraphs = [
        Paragraph(transfer.doc_number or "（文号待发出时生成）", align="right", space_after=240),
        Paragraph("关于移交问题线索的函", align="center", bold=True, size=44, font=TITLE_FONT, space_after=360),
        Paragraph(f"{transfer.receiver.name}：", align="left"),
        Paragraph(
            f"{group}在巡察中发现问题线索{len(items)}件，经{transfer.approved_by_text or '审批'}同意，现移交你单位，"
            f"请按照有关规定处置，并于{transfer.feedback_due:%Y年%m月%d日}前将处置情况反馈{texts.office_name()}。",
            indent_first_line=True,
        ),
        Paragraph("问题线索清单：", indent_first_line=True),
    ]
    for number, item in enumerate(items, 1):
        clue = item.clue
        persons = "、".join(
            " ".join(filter(None, (p.get("name", ""), p.get("position", "")))) for p in clue.reported_persons
        )
        text = f"{number}. {clue.code}　{clue.inspected_unit.org_unit.name}　{persons or '（未具名）'}：{clue.allegation_summary}"
        paragraphs.append(Paragraph(text, indent_first_line=True))
        if item.materials_note:
            paragraphs.append(Paragraph(f"相关材料：{item.materials_note}", indent_first_line=True))
        if transfer.include_reporter and clue.pk in reveal and (clue.reporter_name or clue.is_anonymous):
            name, contact = opened(clue.reporter_name), opened(clue.reporter_contact)
            reporter = "匿名" if clue.is_anonymous else f"{name} {contact}".strip()
            paragraphs.append(Paragraph(f"反映人：{reporter}", indent_first_line=True))
    paragraphs += [
        Paragraph("", space_after=240),
        Paragraph(texts.office_name(), align="right"),
        Paragraph(chinese_date(sent_on), align="right"),
    ]
    return build_docx(paragraphs, watermark=watermark)
