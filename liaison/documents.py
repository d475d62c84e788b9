"""The .docx files of the liaison side: the handover list (交接清单) both sides print and sign,
and the rectification notice (整改督办通知) for one item of the ledger, rendered from the office's
Word templates (core.documents; defaults in liaison/document_templates/)."""

from datetime import date, datetime
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import documents
from core.documents import DocumentKind, OfficialDocument
from core.wording import day_text
from inspection.models import InspectedUnit
from liaison.models import HandoverRecord, RectificationItem

HANDOVER_LIST = "handover_list"
NOTICE = "rectification_notice"
_DEFAULTS = Path(__file__).resolve().parent / "document_templates"

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


def handover_list_document(inspected_unit: InspectedUnit) -> OfficialDocument:
    """Every handover of the unit that was not cancelled, oldest first, with both signature lines."""
    rows = (
        HandoverRecord.objects.filter(inspected_unit=inspected_unit)
        .exclude(status=HandoverRecord.Status.CANCELLED)
        .order_by("requested_at", "pk")
    )
    group = f"{inspected_unit.inspection_round.title}第{inspected_unit.group.number}巡察组"
    lines = [
        f"{number}. {row.item}（{_CATEGORY[row.category]}）"
        f"　调取：{_day(row.requested_at)}"
        f"　提供：{_day(row.delivered_at)}"
        f"　归还：{_day(row.returned_at)}"
        for number, row in enumerate(rows, 1)
    ]
    body = [f"被巡察单位：{inspected_unit.org_unit.name}", f"巡察组：{group}", *(lines or ["（无交接事项）"])]
    body += [
        "巡察组经办人（签字）：____________　日期：__________",
        "被巡察单位联络员（签字）：____________　日期：__________",
    ]
    return OfficialDocument(
        title="巡察材料交接清单",
        body=body,
        signer="",
        extra={"unit": inspected_unit.org_unit.name, "group": group, "rows": lines},
    )


def handover_list_docx(inspected_unit: InspectedUnit, *, watermark: str) -> bytes:
    return documents.render(HANDOVER_LIST, handover_list_document(inspected_unit), watermark=watermark)


def rectification_document(item: RectificationItem, *, today: date) -> OfficialDocument:
    """A notice to the unit naming the problem, the measure, its owners and its deadline."""
    unit = item.problem.feedback.inspected_unit
    days_late = (today - item.deadline).days
    if days_late > 0:
        state = f"该事项已超过整改时限{days_late}天，请立即整改并报送整改情况。"
    else:
        state = f"该事项整改时限为{day_text(item.deadline)}，距时限还有{-days_late}天，请抓紧推进。"
    return OfficialDocument(
        title="整改督办通知",
        body=[
            f"根据巡察反馈问题清单第{item.problem.seq}项（{item.problem.category}），"
            f"你单位整改台账第{item.problem.seq}.{item.seq}项整改措施如下：",
            item.measure,
            f"责任领导：{item.responsible_leader}；牵头部门：{item.lead_department}；"
            f"责任人：{item.responsible_person}；当前进度：{item.progress_pct}%。",
            state,
        ],
        recipient=unit.org_unit.name,
        dated=today,
        extra={"measure": item.measure, "deadline": day_text(item.deadline), "days_late": days_late},
    )


def rectification_notice(item: RectificationItem, *, today: date, watermark: str) -> bytes:
    return documents.render(NOTICE, rectification_document(item, today=today), watermark=watermark)


def _handover_sample() -> OfficialDocument:
    return documents.sample_document(unit="示例单位", group="第一轮第1巡察组", rows=["1. 示例材料"])


def _notice_sample() -> OfficialDocument:
    return documents.sample_document(measure="示例整改措施", deadline="2017年12月31日", days_late=0)


def register() -> None:
    """Called from LiaisonConfig.ready."""
    documents.register_kind(
        DocumentKind(HANDOVER_LIST, _("Handover list"), _DEFAULTS / f"{HANDOVER_LIST}.docx", _handover_sample)
    )
    documents.register_kind(
        DocumentKind(NOTICE, _("Rectification notice"), _DEFAULTS / f"{NOTICE}.docx", _notice_sample)
    )
