"""The rectification notice (整改督办通知) for one item, as .docx."""

from datetime import date

from core.docx import TITLE_FONT, Paragraph, build_docx
from liaison.models import RectificationItem


def rectification_notice(item: RectificationItem, *, today: date, watermark: str) -> bytes:
    """A notice to the unit naming the problem, the measure, its owners and its deadline."""
    unit = item.problem.feedback.inspected_unit
    days_late = (today - item.deadline).days
    if days_late > 0:
        state = f"该事项已超过整改时限{days_late}天，请立即整改并报送整改情况。"
    else:
        state = f"该事项整改时限为{item.deadline:%Y年%m月%d日}，距时限还有{-days_late}天，请抓紧推进。"
    paragraphs = [
        Paragraph("整改督办通知", align="center", bold=True, size=44, font=TITLE_FONT, space_after=360),
        Paragraph(f"{unit.org_unit.name}：", align="left"),
        Paragraph(
            f"根据巡察反馈问题清单第{item.problem.seq}项（{item.problem.category}），"
            f"你单位整改台账第{item.problem.seq}.{item.seq}项整改措施如下：",
            indent_first_line=True,
        ),
        Paragraph(item.measure, indent_first_line=True),
        Paragraph(
            f"责任领导：{item.responsible_leader}；牵头部门：{item.lead_department}；"
            f"责任人：{item.responsible_person}；当前进度：{item.progress_pct}%。",
            indent_first_line=True,
        ),
        Paragraph(state, indent_first_line=True, space_after=360),
        Paragraph(f"{today:%Y年%m月%d日}", align="right"),
    ]
    return build_docx(paragraphs, watermark=watermark)
