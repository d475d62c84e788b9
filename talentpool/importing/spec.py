"""The roster's columns and the synonym tables that map freely written values to codes.

The Chinese names here are workbook content (headers, list values), not interface text.
"""

from core.excel.columns import RANKS, Column, header_text

COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("人员姓名", "干部姓名"), True, 10),
    Column("gender", "性别", (), width=6),
    Column("birth_year", "出生年份", ("出生年月", "出生年", "出生日期", "出生时间"), width=10),
    Column("home_unit", "原单位", ("工作单位", "所在单位", "现工作单位", "原工作单位", "单位"), True, 24),
    Column("position", "职务", ("现任职务", "现职务", "职位"), width=16),
    Column("rank", "职级", ("级别", "职级层次"), width=12),
    Column("specialty", "专业特长", ("特长", "专业", "专长", "业务专长"), True, 14),
    Column("pool", "人才库", ("所属人才库", "库别", "入库类别", "人才库类别"), True, 14),
    Column("nominated_by", "推荐单位", ("推荐部门",), width=20),
    Column("phone", "联系电话", ("电话", "手机", "手机号码", "联系方式"), width=14),
    Column("status", "状态", ("入库状态", "人员状态"), width=10),
)
BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
_HEADERS = {header_text(name): column.key for column in COLUMNS for name in (column.label, *column.aliases)}

POOLS: dict[str, tuple[str, ...]] = {
    "inspection": ("巡察人才库", "巡察库", "巡察", "巡察干部人才库"),
    "investigation": ("办案人才库", "办案库", "办案", "审查调查人才库"),
}
SPECIALTIES: dict[str, tuple[str, ...]] = {
    "discipline": ("纪检监察", "纪检", "监察", "纪律检查", "执纪审查"),
    "organization_personnel": ("组织人事", "组织", "人事", "干部人事"),
    "finance_audit": ("财务审计", "财务", "审计", "财会", "会计"),
    "legal_police_court": ("政法", "公检法", "公安", "检察", "法院", "法律", "司法"),
    "petition": ("信访",),
    "publicity": ("宣传", "新闻宣传"),
    "other": ("其他", "其它"),
}
GENDERS: dict[str, tuple[str, ...]] = {"male": ("男", "男性"), "female": ("女", "女性")}
# A roster may list cadres already in the pool (在库) next to new nominations.
STATUSES: dict[str, tuple[str, ...]] = {
    "active": ("在库", "已入库", "入库", "在册"),
    "nominated": ("推荐", "拟推荐", "新推荐", "待审核"),
}
RANK_CHOICES = {code: names for code, names in RANKS.items() if code != "unknown"}


def column_key(text: str) -> str | None:
    """The key a header cell names, or None; spacing, full-width forms and (必填) marks do not matter."""
    return _HEADERS.get(header_text(text)) if text else None


def labels(table: dict[str, tuple[str, ...]]) -> list[str]:
    """The first synonym of each code: what the template's drop-down offers."""
    return [names[0] for names in table.values()]
