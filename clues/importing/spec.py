"""The partner clue workbook's columns (docs/domain.md §6.2): keys, headers, header aliases, and the
synonym tables that map freely written enumerations to codes."""

import re
from decimal import Decimal
from functools import lru_cache

from clues.models.categories import CATEGORIES
from core.excel import columns
from core.excel.columns import Column, header_text
from core.excel.normalize import compact

COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", ("编号", "序", "No", "No.", "NO"), width=6),
    Column(
        "inspected_unit", "被巡察单位", ("单位", "被巡察单位名称", "涉及单位", "被巡察单位(部门)", "单位名称"), True, 20
    ),
    Column(
        "reported_name",
        "被反映人姓名",
        ("被反映人", "姓名", "反映对象", "被反映人员", "反映对象姓名", "被反映对象"),
        True,
        12,
    ),
    Column(
        "reported_position",
        "单位及职务",
        (
            "职务",
            "现任职务",
            "工作单位及职务",
            "被反映人职务",
            "被反映人单位及职务",
            "现职务",
            "单位职务",
            "所在单位及职务",
        ),
        width=20,
    ),
    Column("reported_rank", "职级", ("级别", "职级层次", "干部级别", "被反映人职级"), width=12),
    Column("is_party_member", "是否中共党员", ("政治面貌", "党员", "是否党员", "是否为中共党员"), width=10),
    Column("category", "问题类别", ("问题类型", "类别", "违纪类型", "问题性质", "线索类别", "问题分类"), True, 14),
    Column(
        "allegation",
        "反映的主要问题",
        (
            "主要问题",
            "问题线索",
            "反映问题",
            "具体问题",
            "反映的问题",
            "主要问题线索",
            "问题线索内容",
            "反映内容",
            "主要内容",
            "问题描述",
            "反映的主要问题线索",
        ),
        True,
        50,
    ),
    Column("source_channel", "线索来源", ("来源", "线索来源渠道", "来源渠道"), True, 14),
    Column(
        "source_ref",
        "来源编号或文号",
        ("文号", "编号", "案号", "信访件编号", "信访编号", "来源编号", "来源编号/文号", "审计报告文号"),
        width=20,
    ),
    Column(
        "received_date",
        "收到(发现)时间",
        ("受理时间", "收到时间", "发现时间", "时间", "收到日期", "受理日期", "发现日期", "日期", "收到(发现)日期"),
        True,
        14,
    ),
    Column(
        "amount",
        "涉及金额(万元)",
        ("金额", "涉及金额", "涉案金额(元)", "涉案金额", "涉案金额(万元)", "金额(万元)", "金额(元)", "涉及金额(元)"),
        width=12,
    ),
    Column("handling_status", "办理情况", ("处理情况", "办理状态", "处置情况", "办理进度", "办理进展"), width=12),
    Column("handling_result", "办理结果", ("处理结果", "处理意见", "处置结果", "办理结果及处理意见"), width=24),
    Column(
        "reporter_name",
        "反映人",
        ("举报人", "信访人", "实名/匿名", "反映人姓名", "举报人姓名", "反映人(实名/匿名)"),
        width=12,
    ),
    Column("evidence_note", "佐证材料", ("附件", "证明材料", "佐证资料", "相关材料"), width=16),
    Column("remarks", "备注", ("说明", "其他"), width=16),
)
BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
# Only these are copied down a vertically merged range (docs/domain.md §6.3 quirk 3).
FORWARD_FILL = frozenset({"inspected_unit", "source_channel", "category"})
# A lone dash means "same as above" only where an empty cell would make no sense.
DASH_IS_DITTO = frozenset({"inspected_unit", "category", "source_channel", "received_date", "reported_rank"})
RESTRICTED = frozenset({"reporter_name"})  # sealed: never in a row's raw cells or values (ParsedRow.reporter)
TEXT_KEYS = ("reported_position", "source_ref", "handling_result", "reporter_name", "evidence_note", "remarks")

SOURCES: dict[str, tuple[str, ...]] = {
    "petition": ("信访举报", "信访", "举报", "来信来访", "信访件", "12388"),
    "audit": ("审计发现", "审计"),
    "case_investigation": ("案件查办发现", "案件查办", "查办案件", "办案发现", "审查调查"),
    "law_enforcement": ("执法检查发现", "执法检查", "执法"),
    "judicial_referral": ("司法机关移送", "司法移送", "法院移送", "检察院移送", "公安移送", "司法机关"),
    "organization_review": ("组织考察发现", "组织考察", "干部考察", "考察"),
    "media": ("媒体反映", "媒体", "网络舆情", "舆情", "网络"),
    "other": ("其他", "其它"),
}
STATUSES: dict[str, tuple[str, ...]] = {
    "not_started": ("未办理", "未处理", "待办理", "尚未办理", "未办"),
    "in_progress": ("正在办理", "办理中", "在办", "正在核查", "核查中", "正在处理", "处理中"),
    "concluded": ("已办结", "办结", "已处理", "处理完毕"),
    "closed": ("已了结", "了结", "予以了结"),
    "forwarded": ("已转办", "转办", "已移交", "移交", "已移送"),
    "unknown": ("不详", "未知", "不清楚"),
}
SEQ_HEADERS = frozenset({"序号", "序", "no", "no."})
_PARENS = re.compile(r"\([^()]*\)")
_CATEGORY_NOISE = re.compile(r"^(违反|违背)|^中央(?=八项)|(问题|方面|类)$")
_FLAG_MARKS = frozenset({"✓", "√", "✔", "●", "○", "▲", "★", "☑", "■", "v", "y", "是", "1", "有", "x", "×"})


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.label, *column.aliases):
            for variant in (header_text(name), _PARENS.sub("", header_text(name))):
                table.setdefault(variant, column.key)
    return table


_HEADERS = _table()


@lru_cache(maxsize=4096)
def column_key(text: str, *, first_column: bool = False) -> str | None:
    """The key a header cell names, or None. 编号 is the row number in the first column and a
    reference number elsewhere (§6.2 lists it under both)."""
    reduced = header_text(text)
    if not reduced:
        return None
    if reduced == "编号" and first_column:
        return "seq"
    key = _HEADERS.get(reduced) or _HEADERS.get(_PARENS.sub("", reduced))
    return key


def category_flag(text: str) -> str | None:
    """The category a per-category tick column stands for (政治纪律 | 组织纪律 | …), or None."""
    return lookup(CATEGORIES, text, exact=True)


def is_tick(text: str) -> bool:
    return compact(text).lower() in _FLAG_MARKS


def amount_unit(header: str) -> Decimal | None:
    """Yuan per unit of a bare number in the amount column: 元 → 1, 万元 → 10000, none → None."""
    reduced = header_text(header)
    if "万元" in reduced or reduced.endswith("万"):
        return Decimal(10000)
    if "元" in reduced:
        return Decimal(1)
    return None


def lookup(table: dict[str, tuple[str, ...]], text: str, *, exact: bool = False) -> str | None:
    """core.excel.columns.lookup, with the category table's framing words (违反…问题) ignored."""
    return columns.lookup(table, text, exact=exact, strip=_CATEGORY_NOISE if table is CATEGORIES else None)
