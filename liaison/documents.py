"""The .docx files of the liaison side: the handover list (交接清单) both sides print and sign,
and the rectification notice (整改督办通知) for one item of the ledger."""

from datetime import date, datetime

from django.utils import timezone

from core.docx import TITLE_FONT, Paragraph, build_docx
from inspection.models import InspectedUnit
from liaison.models import HandoverRecord, RectificationItem

# The printed list is Chinese whatever the reader's interface language.
_CATEGORY: dict[str, str] = {
    HandoverRecord.Category.DOCUMENTS: "文件资料",
    HandoverRecord.Category.ACCOUNTS: "账簿凭证",
    HandoverRecord.Category.MINUTES: "会议记录",
    HandoverRecord.Category.PERSONNEL_FILES: "人事档案",
    HandoverRecord.Category.CONTRACTS: "合同协议",
    HandoverRecord.Category.OTHER: "其他",
}


def _day(moment: datetime | None) -> str:
    return f"{timezone.localdate(moment):%Y-%m-%d}" if moment else "—"


def handover_list_docx(inspected_unit: InspectedUnit, *, watermark: str) -> bytes:
    """Every handover of the unit that was not cancelled, oldest first, with both signature lines."""
    rows = (
        HandoverRecord.objects.filter(inspected_unit=inspected_unit)
        .exclude(status=HandoverRecord.Status.CANCELLED)
        .order_by("requested_at", "pk")
    )
    group = f"{inspected_unit.inspection_round.title}第{inspected_unit.group.number}巡察组"
    paragraphs = [
        Paragraph("巡察材料交接清单", align="center", bold=True, size=44, font=TITLE_FONT, space_after=360),
        Paragraph(f"被巡察单位：{inspected_unit.org_unit.name}", align="left"),
        Paragraph(f"巡察组：{group}", align="left", space_after=240),
    ]
    for number, row in enumerate(rows, 1):
        paragraphs.append(
            Paragraph(
                f"{number}. {row.item}（{_CATEGORY[row.category]}）"
                f"　调取：{_day(row.requested_at)}"
                f"　提供：{_day(row.delivered_at)}"
                f"　归还：{_day(row.returned_at)}",
                align="left",
                size=28,
            )
        )
    if len(paragraphs) == 3:
        paragraphs.append(Paragraph("（无交接事项）", align="left"))
    paragraphs += [
        Paragraph("", space_after=240),
        Paragraph("巡察组经办人（签字）：____________　日期：__________", align="left"),
        Paragraph("被巡察单位联络员（签字）：____________　日期：__________", align="left"),
    ]
    return build_docx(paragraphs, watermark=watermark)


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
