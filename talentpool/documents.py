"""The secondment letter (商调函) as the official document the office prints and stamps, rendered
from the office's Word template (core.documents; default in talentpool/document_templates/).
Document text, so in Chinese."""

from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import documents
from core.documents import PENDING_NUMBER, DocumentKind, OfficialDocument
from core.wording import day_text
from talentpool.models import SecondmentRequest

SECONDMENT = "secondment_letter"
_DEFAULTS = Path(__file__).resolve().parent / "document_templates"


def secondment_document(request: SecondmentRequest) -> OfficialDocument:
    """Number, home unit, the person and the group, the period, and the date by which to answer;
    the staff member who drafted the request is the 联系人."""
    person = request.person
    group = f"第{request.group.number}巡察组" if request.group else "巡察组"
    # A round titled 「第一轮巡察」 must not read 「第一轮巡察巡察工作」.
    round_title = request.inspection_round.title.removesuffix("巡察")
    who = f"{person.name}同志" + (f"（{person.position}）" if person.position else "")
    period = (
        f"，时间自{day_text(request.period_from)}至{day_text(request.period_to)}"
        if request.period_from and request.period_to
        else ""
    )
    due = (
        f"请于{day_text(request.response_due)}前"
        if request.response_due
        else f"请于收函后{settings.SECONDMENT_REPLY_WORKING_DAYS}个工作日内"
    )
    drafter = request.created_by
    return OfficialDocument(
        title=f"关于商调{person.name}同志参加{round_title}巡察工作的函",
        body=[
            f"根据巡察工作安排，经研究，拟商调你单位{who}参加{request.inspection_round.title}{group}工作{period}。"
            "巡察期间，该同志原则上脱离原岗位工作，由巡察组统一管理，工作结束后将考核鉴定情况反馈你单位。",
            f"{due}通过巡察工作平台回复是否同意抽调；确有困难的，请说明理由。",
        ],
        recipient=request.home_unit.name,
        doc_number=request.doc_number or PENDING_NUMBER,
        dated=timezone.localdate(request.sent_at) if request.sent_at else None,
        contact=drafter.display_name if drafter else "",
        phone=drafter.phone if drafter else "",
        extra={"person": person.name, "group": group, "reply_by": due},
    )


def secondment_letter_docx(request: SecondmentRequest, *, watermark: str) -> bytes:
    return documents.render(SECONDMENT, secondment_document(request), watermark=watermark)


def _sample() -> OfficialDocument:
    return documents.sample_document(person="王某某", group="第1巡察组", reply_by="请于2017年8月8日前")


def register() -> None:
    """Called from TalentpoolConfig.ready."""
    documents.register_kind(
        DocumentKind(SECONDMENT, _("Secondment request letter"), _DEFAULTS / f"{SECONDMENT}.docx", _sample)
    )
