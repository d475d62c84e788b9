"""The letter and the transfer letter as official documents (docs/domain.md §2.4 fields), rendered
from the office's Word templates (core.documents; defaults in clues/document_templates/)."""

from collections.abc import Collection
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clues import texts
from clues.models import ClueTransfer, ClueTransferItem, InfoRequestLetter
from core import documents
from core.documents import PENDING_NUMBER, DocumentKind, OfficialDocument
from core.sealing import opened
from core.wording import day_text

LETTER = "info_request_letter"
TRANSFER = "transfer_letter"
_DEFAULTS = Path(__file__).resolve().parent / "document_templates"
# Document content, so in Chinese whatever the reader's interface language.
_SECRECY: dict[str, str] = {InfoRequestLetter.Secrecy.CONFIDENTIAL: "秘密"}
_URGENCY: dict[str, str] = {InfoRequestLetter.Urgency.URGENT: "加急", InfoRequestLetter.Urgency.VERY_URGENT: "特急"}


def _contact(letter: InfoRequestLetter) -> str:
    if letter.contact_person:
        return letter.contact_person.name
    drafter = letter.created_by
    return drafter.display_name if drafter else ""


def letter_document(letter: InfoRequestLetter) -> OfficialDocument:
    units = [u.org_unit.name for u in letter.inspected_units.select_related("org_unit").order_by("group__number", "pk")]
    body = [letter.body, "被巡察单位：" + "、".join(units) + "。"]
    if letter.period_from and letter.period_to:
        body.append(f"时间范围：{day_text(letter.period_from)}至{day_text(letter.period_to)}。")
    body.append("请提供以下情况：")
    body += [f"{i}. {item}" for i, item in enumerate(letter.request_items, 1)]
    if letter.format_requirements:
        body.append("报送要求：")
        body += letter.format_requirements.splitlines()
    deadline = day_text(letter.deadline) if letter.deadline else "收函后5个工作日内"
    body.append(f"请于{deadline}前反馈。")
    return OfficialDocument(
        title=letter.title,
        body=body,
        recipient=letter.partner.org_unit.name,
        doc_number=letter.doc_number or PENDING_NUMBER,
        secrecy=_SECRECY.get(letter.secrecy_level, ""),
        urgency=_URGENCY.get(letter.urgency, ""),
        attachments=["问题线索情况统计表"],
        signer=letter.signed_by or None,
        dated=timezone.localdate(letter.sent_at) if letter.sent_at else None,
        # The 联系人 is the letter's contact person, else the staff member who drafted it.
        contact=_contact(letter),
        phone=letter.contact_phone or (letter.created_by.phone if letter.created_by else ""),
        extra={"units": units, "request_items": list(letter.request_items), "deadline": deadline},
    )


def letter_docx(letter: InfoRequestLetter, *, watermark: str) -> bytes:
    return documents.render(LETTER, letter_document(letter), watermark=watermark)


def transfer_document(
    transfer: ClueTransfer, items: list[ClueTransferItem], *, reveal: Collection[int]
) -> OfficialDocument:
    """The transfer letter (移交函): number, receiver, the listed clues and their materials, feedback date.

    The letter is made per reader (clues.services.transfers.letter_for_reader): `items` are the
    clues that reader may open, and the reporter's identity is printed only for the clues in
    `reveal`, when the transfer includes it (docs/domain.md §5.2 rule 4).
    """
    group = (
        f"{transfer.inspection_round.title}第{transfer.group.number}巡察组" if transfer.group else texts.office_name()
    )
    due = day_text(transfer.feedback_due) if transfer.feedback_due else "规定时限内"
    body = [
        f"{group}在巡察中发现问题线索{len(items)}件，经{transfer.approved_by_text or '审批'}同意，现移交你单位，"
        f"请按照有关规定处置，并于{due}前将处置情况反馈{texts.office_name()}。",
        "问题线索清单：",
    ]
    attachments = []
    for number, item in enumerate(items, 1):
        clue = item.clue
        persons = "、".join(
            " ".join(filter(None, (p.get("name", ""), p.get("position", "")))) for p in clue.reported_persons
        )
        body.append(
            f"{number}. {clue.code}　{clue.inspected_unit.org_unit.name}　{persons or '（未具名）'}：{clue.allegation_summary}"
        )
        if item.materials_note:
            body.append(f"相关材料：{item.materials_note}")
            attachments.append(f"{clue.code}相关材料")
        if transfer.include_reporter and clue.pk in reveal and (clue.reporter_name or clue.is_anonymous):
            name, contact = opened(clue.reporter_name), opened(clue.reporter_contact)
            reporter = "匿名" if clue.is_anonymous else f"{name} {contact}".strip()
            body.append(f"反映人：{reporter}")
    return OfficialDocument(
        title="关于移交问题线索的函",
        body=body,
        recipient=transfer.receiver.name,
        doc_number=transfer.doc_number or PENDING_NUMBER,
        attachments=attachments,
        dated=timezone.localdate(transfer.transferred_at) if transfer.transferred_at else None,
        extra={"group": group, "feedback_due": due, "clue_count": len(items)},
    )


def transfer_docx(
    transfer: ClueTransfer, items: list[ClueTransferItem], *, reveal: Collection[int], watermark: str
) -> bytes:
    return documents.render(TRANSFER, transfer_document(transfer, items, reveal=reveal), watermark=watermark)


def _letter_sample() -> OfficialDocument:
    return documents.sample_document(units=["示例单位"], request_items=["示例事项"], deadline="2017年8月10日")


def _transfer_sample() -> OfficialDocument:
    return documents.sample_document(group="第一轮第1巡察组", feedback_due="2018年1月18日", clue_count=1)


def register() -> None:
    """Called from ClueConfig.ready: the two kinds and their default templates."""
    documents.register_kind(
        DocumentKind(LETTER, _("Information-request letter"), _DEFAULTS / f"{LETTER}.docx", _letter_sample)
    )
    documents.register_kind(
        DocumentKind(TRANSFER, _("Clue transfer letter"), _DEFAULTS / f"{TRANSFER}.docx", _transfer_sample)
    )
