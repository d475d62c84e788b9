"""The secondment letter (商调函) as the .docx the office prints and stamps. Document text, so in Chinese."""

from django.conf import settings
from django.utils import timezone

from core.docx import TITLE_FONT, Paragraph, build_docx
from core.wording import chinese_date, office_name
from talentpool.models import SecondmentRequest


def _day(value) -> str:
    return f"{value:%Y年%m月%d日}"


def secondment_letter_docx(request: SecondmentRequest, *, watermark: str) -> bytes:
    """Number, home unit, the person and the group, the period, and the date by which to answer."""
    person = request.person
    group = f"第{request.group.number}巡察组" if request.group else "巡察组"
    sent_on = timezone.localdate(request.sent_at) if request.sent_at else timezone.localdate()
    who = f"{person.name}同志" + (f"（{person.position}）" if person.position else "")
    period = (
        f"，时间自{_day(request.period_from)}至{_day(request.period_to)}"
        if request.period_from and request.period_to
        else ""
    )
    due = (
        f"请于{_day(request.response_due)}前"
        if request.response_due
        else f"请于收函后{settings.SECONDMENT_REPLY_WORKING_DAYS}个工作日内"
    )
    paragraphs = [
        Paragraph(request.doc_number or "（文号待发出时生成）", align="right", space_after=240),
        Paragraph(
            f"关于商调{person.name}同志参加{request.inspection_round.title}巡察工作的函",
            align="center",
            bold=True,
            size=44,
            font=TITLE_FONT,
            space_after=360,
        ),
        Paragraph(f"{request.home_unit.name}：", align="left"),
        Paragraph(
            f"根据巡察工作安排，经研究，拟商调你单位{who}参加{request.inspection_round.title}{group}工作{period}。"
            "巡察期间，该同志原则上脱离原岗位工作，由巡察组统一管理，工作结束后将考核鉴定情况反馈你单位。",
            indent_first_line=True,
        ),
        Paragraph(f"{due}通过巡察工作平台回复是否同意抽调；确有困难的，请说明理由。", indent_first_line=True),
        Paragraph("", space_after=240),
        Paragraph(office_name(), align="right"),
        Paragraph(chinese_date(sent_on), align="right"),
    ]
    return build_docx(paragraphs, watermark=watermark)
