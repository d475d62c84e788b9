"""The clue-transfer history of rounds 1–6 (docs/domain.md §4.3 "History"), through the product's services.

Each round's clues are screened and handed to the groups by the custodian, assessed by the
group leader (the office head for a group whose leader has no login), approved and sent by
the office head, acknowledged by the receiver, and then handled by the receiver step by step
(TRANSFER_PLAN in data.py), with the standing-committee meetings that decided them. Round 1
transfers 21 of its partner clues; rounds 2–6 register theirs by hand, as found on site.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from clues.models import CaseRecord, Clue, ClueAssessment, ClueDisposition, ClueTransfer, Receiver
from clues.services import dispositions, screening, transfers
from clues.services.registry import register_clue
from core import delivery
from core.models import Organisation, Person, User
from core.services.directory import ensure_organisation
from core.workdays import add_working_days, is_working_day
from demo import data, liaison, talent
from demo.rounds import build_round
from inspection import services as rounds
from inspection.models import GroupMembership, InspectedUnit, InspectionRound
from inspection.services.workflow import move_round

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The stage a later round is built in, one short of the stage it is moved to once its work is recorded.
BUILT_IN = {
    InspectionRound.Status.ARCHIVED: InspectionRound.Status.REVIEWING,
    InspectionRound.Status.RECTIFYING: InspectionRound.Status.ONSITE,
}
# The stages a later round passes on its way, in order, from the one it was built in.
ON_THE_WAY = [InspectionRound.Status.REPORTING, InspectionRound.Status.FEEDBACK]
D = ClueDisposition.Type
O = ClueDisposition.Outcome  # noqa: E741

# ---------------------------------------------------------------- what the groups found on site

# (categories, source, level of the person, allegation, things it may concern, amounts in 万元)
# (categories, source, level, allegation, things, amounts in 10,000 yuan)
_Template = tuple[list[str], str, str, str, list[str], list[int]]
SERIOUS: list[_Template] = [
    (["integrity"], "petition", "leader",
     "反映{person}（{position}）在{item}工程招投标中为其亲属控制的企业提供帮助，收受好处费约{amount}万元。",
     ["办公楼维修改造", "信息化平台建设", "道路维修", "绿化养护"], [8, 12, 15, 20]),
    (["integrity", "suspected_crime"], "document_review", "middle",
     "查阅账目发现{unit}{year}年{item}存在虚列支出套取资金问题，经手人{person}（{position}）涉嫌截留私分{amount}万元。",
     ["专项工作经费", "培训经费", "课题调研经费"], [6, 9, 13]),
    (["integrity"], "document_review", "leader",
     "{unit}账外设立“小金库”，{person}（{position}）授意以会议费、培训费名义套取资金{amount}万元用于发放福利。",
     [""], [11, 23, 17]),
    (["integrity"], "petition", "middle",
     "实名举报{person}（{position}）在{item}采购中收受供应商回扣，并指定供应商。",
     ["办公设备", "信息化设备", "执法装备"], []),
    (["mass", "integrity"], "sink_visit", "middle",
     "走访中群众反映{person}（{position}）在{item}发放中虚报冒领、优亲厚友，涉及资金{amount}万元。",
     ["惠民补贴", "困难群众救助金", "农机购置补贴"], [3, 5, 7]),
    (["integrity", "suspected_crime"], "petition", "leader",
     "反映{person}（{position}）在行政审批中故意刁难企业，暗示企业送钱送物。", [""], []),
    (["integrity"], "sink_visit", "leader",
     "群众反映{person}（{position}）违规入股辖区企业并领取分红。", [""], []),
]  # fmt: skip
GENERAL: list[_Template] = [
    (["eight_point_rules"], "document_review", "leader",
     "{unit}{year}年公务接待费报销凭证显示多次超标准接待，{person}（{position}）审批签字的接待清单与实际不符。", [""], []),
    (["eight_point_rules"], "petition", "leader",
     "反映{person}（{position}）违规收受管理服务对象所送购物卡，并在节假日期间接受宴请。", [""], []),
    (["eight_point_rules"], "sink_visit", "middle",
     "下沉走访中群众反映{person}（{position}）长期公车私用，周末驾驶单位车辆外出办私事。", [""], []),
    (["mass"], "petition", "middle",
     "反映{person}（{position}）在{item}中吃拿卡要，向办事群众索要“好处费”。", ["项目审批", "证照办理", "补贴申报"], []),
    (["work"], "interview", "leader",
     "谈话中反映{person}（{position}）在{item}验收中把关不严，致使工程质量不达标、国有资金损失。",
     ["办公楼维修改造", "道路维修", "管网改造"], []),
    (["integrity"], "document_review", "middle",
     "专项检查发现{unit}违规出借资金给企业，{person}（{position}）收取利息{amount}万元未入账。", [""], [2, 4]),
    (["life"], "petition", "leader",
     "匿名反映{person}（{position}）生活作风不检点，与管理服务对象存在不正当关系。", [""], []),
    (["political"], "interview", "leader",
     "反映{person}（{position}）对巡察工作不配合，授意下属统一口径、隐匿相关资料。", [""], []),
    (["work"], "document_review", "middle",
     "审阅资料发现{unit}{item}资金长期闲置、未按规定拨付，{person}（{position}）履职不力。",
     ["专项扶持", "基础设施建设", "民生实事"], []),
    (["eight_point_rules"], "document_review", "middle",
     "{unit}违规发放津贴补贴，{person}（{position}）审批发放未经批准的加班补助{amount}万元。", [""], [3, 6]),
    (["mass"], "sink_visit", "middle",
     "走访中反映{person}（{position}）在低保、危房改造对象认定中弄虚作假。", [""], []),
    (["integrity"], "interview", "middle",
     "反映{person}（{position}）违规报销个人费用，将私人加油费、通讯费列入单位开支。", [""], []),
]  # fmt: skip
ORGANISATIONAL: list[_Template] = [
    (["personnel_selection"], "interview", "leader",
     "个别谈话中反映{unit}{year}年中层干部调整时，{person}（{position}）违规提拔未经民主推荐的人员，程序不规范。", [""], []),
    (["organizational"], "document_review", "leader",
     "抽查个人有关事项报告发现，{person}（{position}）未如实报告其配偶经商办企业情况。", [""], []),
    (["personnel_selection"], "petition", "middle",
     "反映{unit}编外人员招聘中{person}（{position}）打招呼、递条子，招录其亲属。", [""], []),
    (["organizational", "personnel_selection"], "interview", "leader",
     "反映{person}（{position}）超职数配备干部，擅自设立内设机构并任命负责人。", [""], []),
]  # fmt: skip
# A general problem the unit itself is told to put right (交办).
FOR_THE_UNIT: _Template = (["work"], "sink_visit", "middle",
                "群众反映{unit}窗口办事效率低、“门难进、脸难看”，{person}（{position}）对投诉推诿扯皮。", [""], [])  # fmt: skip

POSITIONS = {
    "gov_dept": {"leader": ["局长", "副局长", "党组成员、副局长"],
                 "middle": ["办公室主任", "财务科科长", "规划建设科科长", "审批科科长", "执法大队队长"]},
    "street": {"leader": ["党工委副书记、办事处主任", "办事处副主任"], "middle": ["财政所所长", "社区党委书记", "城建办主任"]},
    "township": {"leader": ["镇长", "副镇长", "党委委员、副镇长"], "middle": ["财政所所长", "村党支部书记", "民政办主任"]},
    "soe": {"leader": ["董事长", "总经理", "副总经理"], "middle": ["财务部经理", "工程部经理", "采购部副经理"]},
    "public_institution": {"leader": ["院长", "副院长"], "middle": ["设备科科长", "总务科科长", "财务科科长"]},
}  # fmt: skip
SURNAMES = "郑梁谢宋唐韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹孟熊秦邱"
GIVEN = ["振华", "国栋", "玉兰", "德明", "春燕", "志刚", "学军", "淑芬", "永康", "晓东", "建平", "桂英", "宏伟",
         "长青", "凤霞", "兆林", "文涛", "秋菊", "海波", "瑞祥"]  # fmt: skip
REPORTERS = [("孟庆余", "13903710101"), ("姜文秀", "13837120202"), ("廖春生", "13598730303"), ("鲍国栋", "13700370404")]
SOURCE_REF = {"petition": "巡察组来信第{n}号", "interview": "个别谈话记录第{n}号",
              "document_review": "调阅资料记录第{n}号", "sink_visit": "走访记录第{n}号"}  # fmt: skip

# ---------------------------------------------------------------- what the receivers did

NOTES = {
    "commission": "经巡察组组务会研判，反映问题具体、可查性较强，建议移交区纪委监委处置。",
    "panel": "经巡察办、巡察组会同区纪委监委案管室、监督检查室联合研判，建议移交区纪委监委处置。",
    "org": "涉及选人用人和干部管理问题，建议移交区委组织部处理。",
    "unit": "属一般性问题，建议交由被巡察单位党组织自行整改。",
}
TALK_CLOSED = [
    (O.CLOSED_MINOR, "经谈话函询，本人对反映问题作了说明，部分问题属实但情节轻微，予以谈话提醒。"),
    (O.CLOSED_UNTRUE, "经函询，本人如实说明情况并提供佐证材料，反映问题失实，予以了结。"),
]
VERIFIED_CLOSED = [
    (O.CLOSED_UNTRUE, "经初步核实，反映问题查无实据，予以了结。"),
    (O.CLOSED_MINOR, "经初步核实，问题情节轻微，给予批评教育。"),
    (O.CLOSED_ORG_HANDLING, "经初步核实，反映问题部分属实，给予诫勉处理。"),
    (O.CLOSED_UNTRUE, "经初步核实，相关款项已按规定入账，反映问题不实。"),
    (O.REFERRED, "经初步核实，问题属行业主管部门职责，移交相关部门处理。"),
]
ORG_CLOSED = [
    (O.CLOSED_ORG_HANDLING, "经谈话核实，对本人进行诫勉，并责令单位规范干部选任程序。"),
    (O.CLOSED_MINOR, "经函询，本人作出说明，予以提醒谈话。"),
]
CASE_RESULTS = [
    CaseRecord.Result.PARTY_SANCTION,
    CaseRecord.Result.BOTH,
    CaseRecord.Result.PARTY_SANCTION,
    CaseRecord.Result.ADMIN_SANCTION,
    CaseRecord.Result.REFERRED_TO_PROSECUTION,
    CaseRecord.Result.BOTH,
]
CASE_NUMBER = "示纪立〔{year}〕{n}号"
# Cases are filed at a standing-committee meeting twelve weeks after the transfer.
CASES_FILED_AFTER = timedelta(days=84)


@dataclass
class Planned:
    """One clue of a round and what becomes of it."""

    receiver: str  # "commission", "org" or "unit" (交办)
    path: str  # a path of data.TRANSFER_PLAN ("" for 交办)
    variant: int  # its place among the round's clues of the same receiver and path
    clue: Clue | None = None
    pv_at_meeting: bool = False  # preliminary verification decided at the standing committee

    @property
    def registered(self) -> Clue:
        """The clue, once registered: every step after registration works on it."""
        if self.clue is None:
            raise LookupError(f"{self} has no clue yet")
        return self.clue


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _workday(day: date) -> date:
    """The day itself if it is a working day, else the next one (core.workdays)."""
    return day if is_working_day(day) else add_working_days(day, 1)


def _session(day: date) -> str:
    return f"{day.year}年第{day.timetuple().tm_yday // 14 + 1}次"


def _paths(round_no: int) -> list[Planned]:
    """The round's transferred clues, receivers and paths dealt out in turn so each unit gets a mix."""
    queues: list[list[Any]] = [  # [receiver, path, clues left]
        [receiver, path, count]
        for receiver, paths in data.TRANSFER_PLAN[round_no].items()
        for path, count in paths.items()
    ]
    seen: dict[tuple[str, str], int] = {}
    planned = []
    while any(q[2] for q in queues):
        for queue in queues:
            if queue[2]:
                key = (queue[0], queue[1])
                planned.append(Planned(queue[0], queue[1], seen.get(key, 0)))
                seen[key] = seen.get(key, 0) + 1
                queue[2] -= 1
    return planned


def _case_numbers(round_no: int) -> list[str]:
    """Numbers for the round's cases, running on through the year they are filed in.

    The commission files other cases too, so inspection-sourced ones are a few numbers apart.
    """

    def year_filed(number: int) -> int:
        return (data.TRANSFER_DATES[number] + CASES_FILED_AFTER).year

    def cases(number: int) -> int:
        return data.TRANSFER_PLAN[number]["commission"].get("case", 0) - (number in data.TWO_CLUE_CASES)

    year = year_filed(round_no)
    before = sum(cases(n) for n in range(1, round_no) if year_filed(n) == year)
    return [CASE_NUMBER.format(year=year, n=4 + 3 * k) for k in range(before, before + cases(round_no))]


class _Round:
    """Everything one round's history needs: the actors, the dates, the receivers."""

    def __init__(self, inspection_round: InspectionRound, orgs: dict[str, Organisation], offices: list[Organisation]):
        self.round = inspection_round
        self.no = inspection_round.round_no
        self.orgs = orgs
        self.offices = offices
        users = {u.username: u for u in User.objects.filter(username__in=_USERNAMES)}
        self.custodian = users["clue_custodian"]
        self.head = users["office_head"]
        self.staff = users["office_staff"]
        self.receivers = {"commission": users["commission_receiver"], "org": users["orgdept_receiver"]}
        self.assessors = {}
        for membership in GroupMembership.objects.filter(
            inspection_round=inspection_round, role=GroupMembership.Role.LEADER
        ).select_related("person__user"):
            leader_login = getattr(membership.person, "user", None)
            self.assessors[membership.group_id] = leader_login or self.head
        sent = data.TRANSFER_DATES[self.no]
        self.sent = sent
        self.received = add_working_days(sent, 2)
        self.talk = _workday(sent + timedelta(days=21))
        self.verification_meeting = _workday(sent + timedelta(days=28))
        self.later_verification = _workday(sent + timedelta(days=56))
        self.deferred = _workday(sent + timedelta(days=70))
        self.case_meeting = _workday(sent + CASES_FILED_AFTER)

    def talk_closed(self, n: int) -> date:
        return _workday(self.sent + timedelta(days=42 + 7 * (n % 4)))

    def verified_closed(self, n: int) -> date:
        return _workday(self.sent + timedelta(days=98 + 7 * (n % 5)))

    def case_concluded(self, k: int) -> date:
        return _workday(self.case_meeting + timedelta(days=150 + 14 * (k % 4)))


_USERNAMES = ("clue_custodian", "office_head", "office_staff", "commission_receiver", "orgdept_receiver")


# ---------------------------------------------------------------- entry point


def seed_history(orgs: dict[str, Organisation], people: dict[str, Person], round_1: InspectionRound) -> None:
    """Round 1's transfers, then rounds 2–6 with theirs; each round is created whole or not at all."""
    commission = orgs["区纪委监委"]
    offices = [
        ensure_organisation(
            by=None, name=name, short_name=short, aliases=aliases, unit_type=unit_type, parent=commission
        )
        for name, short, aliases, unit_type in data.COMMISSION_OFFICES
    ]
    _seed_round_1(round_1, orgs, offices)
    for spec in data.LATER_ROUNDS:
        _seed_later_round(spec, orgs, people, offices)


@transaction.atomic
def _seed_round_1(round_1: InspectionRound, orgs: dict[str, Organisation], offices: list[Organisation]) -> None:
    """21 of the partner clues go to the receivers, one back to its unit (交办)."""
    if ClueTransfer.objects.filter(inspection_round=round_1).exists():
        return
    partner_clues = list(
        Clue.objects.filter(inspection_round=round_1, source_type=Clue.SourceType.PARTNER_LETTER)
        .exclude(status=Clue.Status.DUPLICATE)
        .order_by("code")
    )
    if not partner_clues:
        return  # the letters have not been answered: nothing to transfer yet
    ctx = _Round(round_1, orgs, offices)
    # The organisation department gets the clues about personnel selection, the unit a work-style
    # complaint, the commission the first of the rest.
    planned = _paths(1)
    org_queue = [c for c in partner_clues if "personnel_selection" in c.categories]
    unit_clue = next(c for c in partner_clues if c.categories == ["work"])
    others = [c for c in partner_clues if c not in org_queue and c != unit_clue]
    for item in planned:
        if item.receiver == "org":
            item.clue = org_queue.pop(0)
        else:
            # Cases come from the integrity clues (the audit and petition findings).
            wanted = [c for c in others if "integrity" in c.categories] if item.path == "case" else others
            item.clue = wanted[0]
            others.remove(item.registered)
    planned.append(Planned("unit", "", 0, clue=unit_clue))
    for item in planned:
        grade, verifiability = _grade(item)
        screening.screen(clue=item.registered, by=ctx.custodian, grade=grade, verifiability=verifiability)
    # Handed to the groups the working day before they went in; assessed a week after they left.
    entry, exit_date = data.ROUND_1["planned_entry_date"], data.ROUND_1["planned_exit_date"]
    handed = _workday(entry - timedelta(days=3))
    screening.hand_over(clues=[item.registered for item in planned], by=ctx.custodian, now=_at(handed))
    _transfer_and_handle(ctx, planned, assessed=_workday(exit_date + timedelta(days=7)))


@transaction.atomic
def _seed_later_round(
    spec: dict, orgs: dict[str, Organisation], people: dict[str, Person], offices: list[Organisation]
) -> None:
    facts = spec["round"]
    if InspectionRound.objects.filter(committee_term=facts["committee_term"], round_no=facts["round_no"]).exists():
        return
    head = User.objects.get(username="office_head")
    units = [
        (
            ensure_organisation(by=None, name=name, short_name=short, aliases=aliases, unit_type=unit_type),
            group_no,
        )
        for name, short, aliases, unit_type, group_no in spec["units"]
    ]
    # A round is built one stage short of its own and moved there through the workflow once its work
    # is recorded, so that stage's guards pass on its records and its effects run: an archived round
    # is built in evaluation (archiving ends the groups' reading of its clues, docs/domain.md §5.2
    # rule 3), a rectifying one on site: it leaves once its clues are sent (its groups withdraw) and
    # reaches rectification once its feedback is delivered to every unit.
    stage = facts["status"]
    staged = {**facts, "status": BUILT_IN.get(stage, stage)}
    inspection_round = build_round(staged, units, talent.round_staffing(facts["round_no"], people), by=head)
    ctx = _Round(inspection_round, orgs, offices)
    round_units = list(
        InspectedUnit.objects.filter(inspection_round=inspection_round)
        .select_related("org_unit")
        .order_by("group__number", "pk")
    )
    planned = _paths(ctx.no)
    planned.append(Planned("unit", "", 0))
    _register(ctx, planned, round_units)
    _transfer_and_handle(ctx, planned, assessed=_workday(facts["actual_exit_date"] + timedelta(days=7)))
    # The groups' work is over: access ends with the membership (the leaders read their clues until the archive).
    for membership in GroupMembership.objects.filter(inspection_round=inspection_round).select_related("person"):
        rounds.end_membership(by=head, membership=membership, end_date=ctx.sent)
    if stage == InspectionRound.Status.RECTIFYING:
        for on_the_way in ON_THE_WAY:
            move_round(inspection_round=inspection_round, to=on_the_way, by=head)
    liaison.seed_later_round_work(inspection_round)
    if stage in BUILT_IN:
        move_round(inspection_round=inspection_round, to=stage, by=head)


# ---------------------------------------------------------------- registration (rounds 2–6)


def _grade(item: Planned) -> tuple[str, str]:
    if item.path == "case":
        return Clue.Grade.A, Clue.Verifiability.HIGH
    if item.path == "closed" or item.receiver == "unit":
        return Clue.Grade.C, Clue.Verifiability.LOW
    return Clue.Grade.B, Clue.Verifiability.MEDIUM


def _positions(org_unit: Organisation) -> dict[str, list[str]]:
    if org_unit.unit_type == Organisation.UnitType.TOWNSHIP:
        return POSITIONS["street" if org_unit.short_name.endswith("街道") else "township"]
    return POSITIONS.get(org_unit.unit_type, POSITIONS["gov_dept"])


def _template(item: Planned, counters: dict[str, int]) -> _Template:
    if item.receiver == "unit":
        return FOR_THE_UNIT
    key = "org" if item.receiver == "org" else "serious" if item.path == "case" else "general"
    pool = {"org": ORGANISATIONAL, "serious": SERIOUS, "general": GENERAL}[key]
    n = counters.get(key, 0)
    counters[key] = n + 1
    return pool[n % len(pool)]


def _register(ctx: _Round, planned: list[Planned], units: list[InspectedUnit]) -> None:
    """The clues the groups found on site, registered by the custodian, graded and handed over."""
    facts = ctx.round
    entered, exited = facts.actual_entry_date, facts.actual_exit_date
    if entered is None or exited is None:  # a round with clues has been on site
        raise LookupError(f"{facts} has no on-site dates")
    span = (exited - entered).days
    offset = ctx.no * 17  # each round draws different names
    counters: dict[str, int] = {}
    pair_first: Planned | None = None
    batches: dict[date, list[Clue]] = {}
    for i, item in enumerate(planned):
        unit = units[(i + i // 4) % len(units)]
        categories, source, level, text, things, amounts = _template(item, counters)
        person = SURNAMES[(offset + i * 7) % len(SURNAMES)] + GIVEN[(offset + i * 3) % len(GIVEN)]
        positions = _positions(unit.org_unit)[level]
        position = positions[i % len(positions)]
        if item.path == "case" and ctx.no in data.TWO_CLUE_CASES and item.variant < 2:
            # One case of the round absorbs two clues about the same person from two sources.
            if item.variant == 0:
                pair_first = item
            elif pair_first is None:  # variant 0 is dealt first
                raise LookupError("the first clue of the pair is missing")
            else:
                first = pair_first.registered
                unit = first.inspected_unit
                person, position = first.reported_persons[0]["name"], first.reported_persons[0]["position"]
        amount = amounts[i % len(amounts)] if amounts else None
        received = entered + timedelta(days=3 + (i * 11) % max(span - 5, 1))
        reporter = REPORTERS[i % len(REPORTERS)] if "实名举报" in text else ("", "")
        item.clue = register_clue(
            by=ctx.custodian,
            inspected_unit=unit,
            source_type=source,
            received_date=received,
            allegation_summary=text.format(
                unit=unit.org_unit.short_name,
                person=person,
                position=position,
                item=things[i % len(things)],
                year=facts.year - 1,
                amount=amount,
            ),
            categories=categories,
            reported_persons=[{"name": person, "position": position}],
            source_ref=SOURCE_REF[source].format(n=f"{ctx.no}-{i + 1:02d}"),
            amount_involved_yuan=Decimal(amount * 10000) if amount else None,
            reporter_name=reporter[0],
            reporter_contact=reporter[1],
            is_anonymous=text.startswith("匿名"),
        )
        grade, verifiability = _grade(item)
        screening.screen(clue=item.registered, by=ctx.custodian, grade=grade, verifiability=verifiability)
        # The custodian hands over what came in every fortnight.
        fortnight = (received - entered).days // 14 + 1
        handed = _workday(min(entered + timedelta(days=14 * fortnight), exited))
        batches.setdefault(handed, []).append(item.registered)
    for handed, clues in sorted(batches.items()):
        screening.hand_over(clues=clues, by=ctx.custodian, now=_at(handed, 16))


# ---------------------------------------------------------------- assessment, transfer and handling


def _transfer_and_handle(ctx: _Round, planned: list[Planned], *, assessed: date) -> None:
    for n, item in enumerate(planned):
        clue = item.registered
        joint = item.path == "case" and n % 2 == 0
        transfers.record_assessment(
            clue=clue,
            by=ctx.assessors[clue.assigned_group_id],
            conclusion=ClueAssessment.Conclusion.RECOMMEND_TRANSFER,
            forum=ClueAssessment.Forum.JOINT_PANEL if joint else ClueAssessment.Forum.GROUP_MEETING,
            recommended_receiver=_RECEIVER[item.receiver],
            notes=NOTES["panel" if joint else item.receiver],
            now=_at(assessed, 15),
        )
    met = _workday(ctx.sent - timedelta(days=3))
    meeting = transfers.Meeting(
        name="区委书记专题会", held_on=met, minutes=f"区委书记专题会议纪要〔{met.year}〕{ctx.no}号"
    )
    for receiver in ("commission", "org", "unit"):
        clues = [item.registered for item in planned if item.receiver == receiver]
        organisation = ctx.orgs.get(_RECEIVER_ORG[receiver])
        sent = transfers.approve_and_send(
            choices=[transfers.Choice(clue, _RECEIVER[receiver], organisation) for clue in clues],
            by=ctx.head,
            meeting=meeting,
            now=_at(ctx.sent),
        )
        for transfer in sent:
            delivery.deliver_record(transfer)  # the queued delivery then finds it done
            transfers.acknowledge_receipt(
                transfer=transfer, by=ctx.receivers.get(receiver, ctx.staff), now=_at(ctx.received, 9)
            )
    for item in planned:
        if item.receiver != "unit":
            _first_steps(ctx, item)
    cases = _cases(ctx, [item for item in planned if item.path == "case"])
    _meetings(ctx, planned, cases)
    for item in planned:
        if item.receiver != "unit":
            _conclusion(ctx, item)
    if ctx.no in data.UNIT_DONE:
        for item in planned:
            if item.receiver == "unit":
                transfers.record_unit_done(
                    clue=item.registered, by=ctx.staff, summary="被巡察单位已完成整改，并报送整改情况报告。"
                )


_RECEIVER = {
    "commission": Receiver.DISCIPLINE_COMMISSION,
    "org": Receiver.ORGANIZATION_DEPT,
    "unit": Receiver.INSPECTED_UNIT,
}
_RECEIVER_ORG = {"commission": "区纪委监委", "org": "区委组织部", "unit": ""}


def _step(ctx: _Round, item: Planned, kind: str, day: date, decided_by: str, summary: str) -> None:
    dispositions.record_disposition(
        clue=item.registered,
        by=ctx.receivers[item.receiver],
        disposition_type=kind,
        decided_at=day,
        decided_by_text=decided_by,
        handling_office=_office(ctx, item),
        summary=summary,
    )


def _office(ctx: _Round, item: Planned) -> Organisation | None:
    """The commission's clues are shared between its two offices; the department handles its own."""
    return ctx.offices[item.variant % 2] if item.receiver == "commission" else None


def _first_steps(ctx: _Round, item: Planned) -> None:
    """What the receiver decided on the clue, up to the step it is at before any conclusion."""
    path, n = item.path, item.variant
    if item.receiver == "org":
        by_text = f"区委组织部部务会（{ctx.talk.isoformat()}）"
        if path == "closed":
            _step(ctx, item, D.CLOSED_NO_ACTION, ctx.talk, by_text, "反映问题已在干部考察中作出结论，予以了结。")
        else:
            _step(ctx, item, D.TALK_OR_LETTER_INQUIRY, ctx.talk, by_text, "由干部监督科对本人进行函询。")
        return
    review = f"区纪委监委线索处置专题会（{ctx.talk.isoformat()}）"
    meeting = f"区纪委常委会（{_session(ctx.verification_meeting)}）"
    approved = f"区纪委监委主要负责人审批（{ctx.later_verification.isoformat()}）"
    if path == "closed":
        _step(ctx, item, D.CLOSED_NO_ACTION, ctx.talk, review, "反映问题笼统、缺乏可查性，予以了结。")
        return
    if path in ("talk", "open_talk"):
        _step(ctx, item, D.TALK_OR_LETTER_INQUIRY, ctx.talk, review, "采取谈话函询方式处置。")
        return
    talk_first = (path in ("case", "verified") and n % 3 == 2) or (path == "open_verification" and n % 2 == 1)
    deferred_first = (path == "case" and ctx.no == 3 and n == 3) or (path == "deferred" and n % 2 == 0)
    if deferred_first:
        _step(ctx, item, D.DEFERRED, ctx.talk, review, "被反映人正接受其他审查调查，线索暂存待查。")
        if path == "deferred":
            return
        _step(ctx, item, D.PRELIMINARY_VERIFICATION, ctx.later_verification, approved, "出现新的证据，启动初步核实。")
    elif talk_first:
        _step(ctx, item, D.TALK_OR_LETTER_INQUIRY, ctx.talk, review, "先行谈话函询。")
        _step(
            ctx,
            item,
            D.PRELIMINARY_VERIFICATION,
            ctx.later_verification,
            approved,
            "函询说明与掌握情况不符，转初步核实。",
        )
    else:
        item.pv_at_meeting = True
        _step(ctx, item, D.PRELIMINARY_VERIFICATION, ctx.verification_meeting, meeting, "成立初核组开展初步核实。")
    if path == "deferred":
        _step(ctx, item, D.DEFERRED, ctx.deferred, review, "关键证人暂无法取证，暂存待查。")


def _conclusion(ctx: _Round, item: Planned) -> None:
    path, n = item.path, item.variant
    if path == "talk":
        outcome, summary = (ORG_CLOSED if item.receiver == "org" else TALK_CLOSED)[n % 2]
        dispositions.conclude(
            clue=item.registered,
            by=ctx.receivers[item.receiver],
            outcome=outcome,
            outcome_date=ctx.talk_closed(n),
            summary=summary,
        )
    elif path == "verified":
        outcome, summary = VERIFIED_CLOSED[n % len(VERIFIED_CLOSED)]
        dispositions.conclude(
            clue=item.registered,
            by=ctx.receivers[item.receiver],
            outcome=outcome,
            outcome_date=ctx.verified_closed(n),
            summary=summary,
        )


def _cases(ctx: _Round, planned: list[Planned]) -> list[CaseRecord]:
    """File the round's cases at the second meeting; one of them may absorb two clues."""
    groups = [[item] for item in planned]
    if ctx.no in data.TWO_CLUE_CASES:
        groups = [[planned[0], planned[1]], *groups[2:]]
    numbers = _case_numbers(ctx.no)
    cases = []
    for k, (group, number) in enumerate(zip(groups, numbers, strict=True)):
        subjects = list(dict.fromkeys(p["name"] for item in group for p in item.registered.reported_persons))
        case = dispositions.open_case(
            clues=[item.registered for item in group],
            by=ctx.receivers["commission"],
            case_number=number,
            filed_at=ctx.case_meeting,
            subjects=subjects,
            handling_office=_office(ctx, group[0]),  # the office that verified the clue
        )
        if ctx.no in data.CASES_CONCLUDED:
            dispositions.record_case_result(
                case=case,
                by=ctx.receivers["commission"],
                concluded_at=ctx.case_concluded(k),
                result=CASE_RESULTS[k % len(CASE_RESULTS)],
                persons_sanctioned=len(subjects),
            )
        cases.append(case)
    return cases


def _meetings(ctx: _Round, planned: list[Planned], cases: list[CaseRecord]) -> None:
    for kind in data.MEETINGS[ctx.no]:
        day = ctx.verification_meeting if kind == "verification" else ctx.case_meeting
        absent = (ctx.no, kind) == data.OFFICE_HEAD_ABSENT
        dispositions.record_meeting(
            by=ctx.receivers["commission"],
            commission=ctx.orgs["区纪委监委"],
            date=day,
            session_no=_session(day),
            office_head_invited=True,
            office_head_attended=not absent,
            clues=[item.registered for item in planned if item.pv_at_meeting] if kind == "verification" else [],
            cases=cases if kind == "cases" else [],
            notes=(
                f"研究{ctx.round.title}移交问题线索处置意见。"
                if kind == "verification"
                else f"研究{ctx.round.title}移交线索立案审查调查事项。"
            )
            + ("区委巡察办主任受邀列席，因参加上级培训请假未到会。" if absent else "区委巡察办主任列席会议。"),
        )
