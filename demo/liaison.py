"""Round 1's liaison offices and officers (docs/domain.md §4.3) and their work (issue 6), through the liaison services."""

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import delivery
from core.models import Organisation, Person, User
from core.services.directory import create_person
from core.services.reminders import cancel_reminders
from demo import data
from demo.letters import PDF
from inspection.models import InspectedUnit, InspectionRound
from liaison.models import Feedback, FollowUpCheck, LiaisonOffice
from liaison.services import feedback, handovers, ledger
from liaison.services.contact import record_entry
from liaison.services.offices import appoint_officer, set_up_office


def liaison_people(orgs: dict[str, Organisation]) -> dict[str, Person]:
    """The officers as people of their units (made before the accounts, so 周敏's login links to her)."""
    people = {}
    for short, _location, _phone, officers in data.LIAISON_OFFICES:
        for name, position, _start, _end in officers:
            home = orgs[short]
            people[name] = Person.objects.filter(name=name, home_unit=home).first() or create_person(
                by=None, name=name, home_unit=home, position=position
            )
    return people


@transaction.atomic
def seed_liaison_offices(round_1: InspectionRound, orgs: dict[str, Organisation], people: dict[str, Person]) -> None:
    if LiaisonOffice.objects.filter(inspected_unit__inspection_round=round_1).exists():
        return
    office_staff = User.objects.filter(username="office_staff").first()
    units = {u.org_unit_id: u for u in round_1.inspected_units.all()}
    for short, location, phone, officers in data.LIAISON_OFFICES:
        unit = units[orgs[short].pk]
        office = set_up_office(
            by=office_staff, inspected_unit=unit, established_at=officers[0][2], location=location, phone=phone
        )
        for name, _position, start, _end in officers:
            appoint_officer(by=office_staff, office=office, person=people[name], start_date=start)


# ---------------------------------------------------------------- the liaison work of round 1 (issue 6)
#
# Contact, handovers, feedback and the rectification ledger of round 1's four units, made through
# the liaison services by the accounts that would do each step. Only 区住建局's officer (周敏) has
# an account, and the officer's ledger steps (submit plan, start, progress, ask for sign-off) are
# the current officer's alone, so 区住建局's ledger walks every state of docs/domain.md §3.4 and the other
# three units' items stay issued (and, their deadlines being past, overdue).

CONTACTS = {  # unit → (day, channel, subject, follow-up)
    "区住建局": [
        (date(2017, 8, 21), "meeting", "巡察组进驻见面会，明确联络办公室工作职责", "联络员每日下班前报送当天材料调取情况。"),
        (date(2017, 9, 5), "phone", "通知补充报送2016年以来工程项目招投标台账", ""),
        (date(2017, 11, 22), "document", "转交巡察反馈意见及问题清单", "一个月内报送整改方案。"),
        (date(2018, 3, 12), "message", "催报第一季度整改进展", "联络员已报送进展并上传佐证材料。"),
    ],
    "区民政局": [
        (date(2017, 8, 22), "meeting", "巡察组进驻见面会", ""),
        (date(2017, 9, 18), "document", "联络员变更：陈红调整岗位，由杜晓接任", "更新联络办公室通讯录。"),
        (date(2017, 11, 23), "phone", "约定整改方案报送时间", ""),
    ],
    "区教育局": [
        (date(2017, 8, 22), "meeting", "巡察组进驻见面会", ""),
        (date(2017, 9, 12), "message", "提醒按时报送干部人事档案目录", ""),
        (date(2017, 12, 15), "other", "现场了解整改工作推进情况", "整改方案尚未报送，再次督促。"),
    ],
    "东城街道": [
        (date(2017, 8, 23), "meeting", "巡察组进驻见面会", ""),
        (date(2017, 9, 20), "phone", "沟通惠民资金发放材料调取事宜", ""),
        (date(2018, 1, 10), "document", "发送整改督办通知", "要求一周内报送整改方案。"),
    ],
}  # fmt: skip

# unit → (item, category, due, final status). Requested ones past their due date are the overdue
# requests of the demo; one request is cancelled.
HANDOVERS = {
    "区住建局": [
        ("2016年以来党组会议记录", "minutes", date(2017, 8, 25), "returned"),
        ("工程项目招投标台账", "contracts", date(2017, 9, 8), "received"),
        ("2016—2017年度财务凭证", "accounts", date(2017, 9, 15), "delivered"),
        ("住房保障资金分配明细", "documents", date(2017, 9, 29), "requested"),
    ],
    "区民政局": [
        ("低保审批档案（抽查）", "documents", date(2017, 8, 28), "returned"),
        ("2017年度预算执行情况", "accounts", date(2017, 9, 6), "cancelled"),
        ("中层干部任免材料", "personnel_files", date(2017, 9, 20), "delivered"),
    ],
    "区教育局": [
        ("干部人事档案目录", "personnel_files", date(2017, 8, 30), "returned"),
        ("校舍维修工程合同", "contracts", date(2017, 9, 14), "received"),
        ("教育收费专项检查报告", "other", date(2017, 9, 28), "requested"),
    ],
    "东城街道": [
        ("党工委会议纪要", "minutes", date(2017, 8, 30), "returned"),
        ("惠民资金发放花名册", "accounts", date(2017, 9, 22), "received"),
        ("征地拆迁补偿协议", "contracts", date(2017, 9, 29), "delivered"),
    ],
}  # fmt: skip
HANDOVER_STEPS = ["requested", "delivered", "received", "returned"]

FEEDBACK_DAY = {"区住建局": date(2017, 11, 20), "区民政局": date(2017, 11, 20),
                "区教育局": date(2017, 11, 21), "东城街道": date(2017, 11, 21)}  # fmt: skip
PROBLEMS = [  # (category, description, immediate fix)
    ("党的领导", "党组理论学习中心组学习不经常，传达学习上级精神流于形式。", False),
    ("全面从严治党", "落实“两个责任”不到位，对下属单位监督管理宽松软。", False),
    ("选人用人", "干部选拔任用程序不规范，个别干部档案材料缺失。", True),
]

# 区住建局's ledger: (problem no., measure, type, deadline, status reached, days it moved on).
# The days are those of the steps after approval: progress at 100 %, sign-off, follow-up check.
LEDGER = [
    (1, "建立党组理论学习中心组学习计划和考勤制度", "immediate", date(2017, 12, 31), "signed_off",
     (date(2017, 12, 15), date(2017, 12, 20))),
    (1, "开展专题学习研讨并形成学习记录", "time_bound", date(2018, 1, 31), "signed_off",
     (date(2018, 2, 26), date(2018, 3, 5))),  # signed off after its deadline
    (2, "制定党组落实全面从严治党主体责任清单", "time_bound", date(2018, 2, 28), "reopened",
     (date(2018, 2, 10), date(2018, 2, 24), date(2018, 9, 14))),
    (2, "健全对下属单位的常态化监督检查机制", "long_term", date(2018, 6, 30), "long_term_maintained",
     (date(2018, 6, 20),)),
    (3, "补齐干部人事档案缺失材料", "immediate", date(2017, 12, 31), "signed_off",
     (date(2017, 12, 8), date(2017, 12, 12))),
    (3, "规范干部选拔任用工作流程并公开纪实", "time_bound", date(2018, 4, 30), "pending_signoff",
     (date(2018, 4, 25),)),
    (3, "对近三年提拔干部开展专项复查", "time_bound", date(2018, 3, 31), "returned", (date(2018, 3, 28),)),
    (2, "开展工程建设领域廉政风险排查", "time_bound", date(2018, 5, 31), "plan_approved", ()),
    (1, "完善党组议事规则", "time_bound", date(2018, 6, 15), "plan_submitted", ()),
    (2, "建立廉政谈话常态化制度", "time_bound", date(2018, 6, 30), "issued", ()),
]  # fmt: skip
# The other units' ledgers: per problem, one issued item with its deadline.
OTHER_DEADLINES = [date(2018, 1, 31), date(2018, 3, 31), date(2017, 12, 31)]
RESPONSIBLE = {  # unit → (leader, department, person)
    "区住建局": ("局党组书记、局长", "办公室", "周敏"),
    "区民政局": ("局党组书记、局长", "办公室", "杜晓"),
    "区教育局": ("局党委书记、局长", "人事科", "高峰"),
    "东城街道": ("街道党工委书记", "党政办", "江涛"),
}


def _when(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _pdf() -> io.BytesIO:
    return io.BytesIO(PDF)


def _retire_past_notices(targets: list[Any]) -> None:
    """Cancel, through the reminder engine, the notices of these records already due at seeding time.

    The demo's rectification deadlines (2017–2018) and handover due dates are long past; left
    pending, the worker's first sweep under `make run` would send dozens of "overdue" notices at
    once, dated today, about a round of 2017. Overdue items and requests still show as such: it is
    derived from the deadline, not from the notices. Items that close (signed off, long-term) have
    their notices cancelled by the ledger service itself; handovers by delivery or cancelling.
    """
    now = timezone.now()
    for target in targets:
        cancel_reminders(target=target, due_before=now)


@transaction.atomic
def seed_liaison_work(round_1: InspectionRound) -> None:
    """Contact log, handovers, feedback and ledgers of round 1's units (issue 6)."""
    if Feedback.objects.filter(inspected_unit__inspection_round=round_1).exists():
        return
    accounts = {
        u.username: u
        for u in User.objects.filter(
            username__in=["office_head", "office_staff", "group_leader", "group_member", "liaison_officer"]
        )
    }
    units = {u.org_unit.short_name: u for u in round_1.inspected_units.select_related("org_unit", "group")}
    for short, unit in units.items():
        group_1 = unit.group.number == 1
        # Group 1's leader and member have accounts; group 2's work is recorded by the office.
        member = accounts["group_member"] if group_1 else accounts["office_staff"]
        leader = accounts["group_leader"] if group_1 else accounts["office_head"]
        officer = accounts["liaison_officer"] if short == "区住建局" else accounts["office_staff"]
        _contacts(unit, short, member, officer)
        _handovers(unit, short, member, officer)
        feedback_record = _feedback(unit, short, leader, accounts["office_head"])
        if short == "区住建局":
            _officer_ledger(unit, feedback_record, leader, officer, accounts["office_staff"])
        else:
            _issued_ledger(feedback_record, short, leader)


def _contacts(unit: InspectedUnit, short: str, member: User, officer: User) -> None:
    for n, (day, channel, subject, follow_up) in enumerate(CONTACTS[short]):
        by = officer if n % 2 else member
        record_entry(
            by=by, inspected_unit=unit, at=_when(day, 9 + n), channel=channel, subject=subject, follow_up=follow_up
        )


def _handovers(unit: InspectedUnit, short: str, member: User, officer: User) -> None:
    """Each step dated in the round: asked a few days before it is due, delivered by then, returned later."""
    for item, category, due, final in HANDOVERS[short]:
        asked = _when(due - timedelta(days=4), 10)
        handover = handovers.request_materials(
            by=member, inspected_unit=unit, item=item, category=category, due_at=due, now=asked
        )
        delivery.deliver_record(handover)  # the queued delivery then finds it done
        if final == "cancelled":
            handovers.cancel(by=member, handover=handover)
            continue
        reached = HANDOVER_STEPS.index(final)
        if reached >= 1:
            handovers.deliver(
                by=officer, handover=handover, note="已按清单移交", now=_when(due - timedelta(days=1), 15)
            )
        if reached >= 2:
            handovers.confirm_receipt(by=member, handover=handover, now=_when(due, 9))
        if reached >= 3:
            handovers.record_return(by=member, handover=handover, now=_when(due + timedelta(days=10), 16))
        _retire_past_notices([handover])


def _feedback(unit: InspectedUnit, short: str, leader: User, head: User) -> Feedback:
    day = FEEDBACK_DAY[short]
    feedback_record = feedback.record_feedback(
        by=leader,
        inspected_unit=unit,
        meeting_date=day,
        principal_oneonone_date=day - timedelta(days=1),
        document=_pdf(),
        document_name=f"关于对{short}巡察情况的反馈意见.pdf",
    )
    for category, description, immediate in PROBLEMS:
        feedback.add_problem(
            by=leader, feedback=feedback_record, category=category, description=description, is_immediate_fix=immediate
        )
    feedback.approve_feedback(by=head, feedback=feedback_record)
    return feedback.deliver_feedback(by=leader, feedback=feedback_record, now=_when(day, 15))


def _plan(short: str, measure: str, kind: str, deadline: date) -> dict[str, Any]:
    leader, department, person = RESPONSIBLE[short]
    return {
        "measure": measure,
        "responsible_leader": leader,
        "lead_department": department,
        "responsible_person": person,
        "rectification_type": kind,
        "deadline": deadline,
    }


def _issued_ledger(feedback_record: Feedback, short: str, leader: User) -> None:
    """One item per problem, still issued: without an officer's account nobody submits the plan."""
    problems = list(feedback_record.problems.order_by("seq"))
    for problem, deadline in zip(problems, OTHER_DEADLINES, strict=True):
        item = ledger.add_item(
            by=leader,
            problem=problem,
            **_plan(short, f"针对“{problem.category}”问题制定整改措施", "time_bound", deadline),
        )
        _retire_past_notices([item])


def _officer_ledger(unit: InspectedUnit, feedback_record: Feedback, leader: User, officer: User, staff: User) -> None:
    """区住建局's ledger: every state of docs/domain.md §3.4, the officer (周敏) doing the unit's steps."""
    problems = {p.seq: p for p in feedback_record.problems.all()}
    reopen = []
    for seq, measure, kind, deadline, final, days in LEDGER:
        item = ledger.add_item(by=officer, problem=problems[seq], **_plan("区住建局", measure, kind, deadline))
        if final == "issued":
            _retire_past_notices([item])
            continue
        ledger.submit_plan(by=officer, item=item)
        if final == "plan_submitted":
            _retire_past_notices([item])
            continue
        ledger.approve_plan(by=leader, item=item)
        if final == "plan_approved":
            _retire_past_notices([item])
            continue
        ledger.start_work(by=officer, item=item)
        done = days[0]
        ledger.record_progress(
            by=officer, item=item, note="已制定工作方案，正在推进。", progress_pct=40, on=done - timedelta(days=7)
        )
        ledger.record_progress(
            by=officer,
            item=item,
            note="整改措施已落实到位。" if kind != "long_term" else "阶段性任务已完成，长效机制持续运行。",
            progress_pct=100,
            files=[(_pdf(), "整改佐证材料.pdf")],
            on=done,
        )
        if final == "long_term_maintained":
            ledger.keep_as_long_term(
                by=staff, item=item, note="阶段任务完成，转入长效机制。", follow_up_on=done + timedelta(days=180)
            )
            continue
        ledger.submit_for_signoff(by=officer, item=item)
        if final == "returned":
            ledger.return_item(by=leader, item=item, note="佐证材料不足，请补充复查台账。")
        elif final in ("signed_off", "reopened"):
            ledger.sign_off(by=staff, item=item, note="经办、组、单位三方核验，同意销号。", now=_when(days[1], 16))
            if final == "reopened":
                reopen.append((item, days[2]))
        _retire_past_notices([item])
    for item, day in reopen:
        ledger.record_follow_up_check(
            by=staff,
            inspected_unit=unit,
            on=day,
            rating=FollowUpCheck.Rating.FAIRLY_GOOD,
            team_text="区委巡察办回头看检查组",
            reopen=[item],
        )
