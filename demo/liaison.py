"""Round 1's liaison offices and officers (docs/domain.md §4.3) and their work (issue 6), through the liaison services."""

import io
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from core import delivery
from core.models import Organisation, Person, User
from core.services.directory import create_person, ensure_organisation
from core.services.reminders import cancel_reminders
from demo import data
from demo.letters import PDF
from inspection.models import InspectedUnit, InspectionRound
from liaison.models import (
    ContactLogEntry,
    Feedback,
    FollowUpCheck,
    LiaisonAssignment,
    LiaisonOffice,
    RectificationReport,
)
from liaison.services import feedback, handovers, ledger
from liaison.services.contact import record_entry
from liaison.services.offices import appoint_officer, set_up_office


def _offices(round_no: int) -> list[tuple[str, str, str, list[tuple[str, str, date, date | None]]]]:
    return data.LIAISON_OFFICES if round_no == 1 else data.LATER_LIAISON_OFFICES.get(round_no, [])


def liaison_people(orgs: dict[str, Organisation]) -> dict[str, Person]:
    """The officers as people of their units (made before the accounts, so 唐颖's and 宋洁's logins link to them)."""
    people = {}
    for round_no in (1, *data.LATER_LIAISON_OFFICES):
        for short, _location, _phone, officers in _offices(round_no):
            for name, position, _start, _end in officers:
                home = orgs[short]
                people[name] = Person.objects.filter(name=name, home_unit=home).first() or create_person(
                    by=None, name=name, home_unit=home, position=position
                )
    return people


@transaction.atomic
def seed_liaison_offices(inspection_round: InspectionRound) -> None:
    """The round's liaison offices and officers, as the office sets them up before entry."""
    if LiaisonOffice.objects.filter(inspected_unit__inspection_round=inspection_round).exists():
        return
    office_staff = User.objects.filter(username="office_staff").first()
    units = {u.org_unit.short_name: u for u in inspection_round.inspected_units.select_related("org_unit")}
    for short, location, phone, officers in _offices(inspection_round.round_no):
        unit = units[short]
        office = set_up_office(
            by=office_staff, inspected_unit=unit, established_at=officers[0][2], location=location, phone=phone
        )
        for name, _position, start, _end in officers:
            person = Person.objects.get(name=name, home_unit=unit.org_unit)
            appoint_officer(by=office_staff, office=office, person=person, start_date=start)


# ---------------------------------------------------------------- the liaison work (issues 6 and 13)
#
# Each round's liaison work fits its stage (issue 13 item 9; `manage.py check_records`). Round 1 is on
# site: contact and handovers, no feedback and no ledger yet. Round 5 (archived) delivered its feedback
# and closed its ledger; round 6 (rectifying) delivered its feedback and its ledger is open. The officer's
# ledger steps (submit plan, start, progress, ask for sign-off) are the current officer's alone, so the
# ledgers that move are those of the units whose officer has an account: round 5's 区应急管理局 (宋洁,
# every closed state) and round 6's 区农业农村局 (唐颖, every open state); round 6's other units' items
# stay issued (and, their deadlines being past, overdue). The items are the former round 1's, split by
# state and dated from each round's feedback, so the rectification figures keep their values.

CONTACTS = {  # round 1's units, on site → (day, channel, subject, follow-up)
    "区住建局": [
        (date(2017, 8, 21), "meeting", "巡察组进驻见面会，明确联络办公室工作职责", "联络员每日下班前报送当天材料调取情况。"),
        (date(2017, 9, 5), "phone", "通知补充报送2016年以来工程项目招投标台账", ""),
    ],
    "区民政局": [
        (date(2017, 8, 22), "meeting", "巡察组进驻见面会", ""),
        (date(2017, 9, 18), "document", "联络员变更：陈红调整岗位，由杜晓接任", "更新联络办公室通讯录。"),
    ],
    "区教育局": [
        (date(2017, 8, 22), "meeting", "巡察组进驻见面会", ""),
        (date(2017, 9, 12), "message", "提醒按时报送干部人事档案目录", ""),
    ],
    "东城街道": [
        (date(2017, 8, 23), "meeting", "巡察组进驻见面会", ""),
        (date(2017, 9, 20), "phone", "沟通惠民资金发放材料调取事宜", ""),
    ],
}  # fmt: skip
# After the feedback, every unit of rounds 5 and 6: (days after the meeting, channel, subject, follow-up).
CONTACTS_AFTER_FEEDBACK = [
    (2, "document", "转交巡察反馈意见及问题清单", "一个月内报送整改方案。"),
    (25, "other", "现场了解整改方案起草情况", "督促按期报送整改方案。"),
    (70, "message", "催报整改进展", "联络员已报送进展并上传佐证材料。"),
]

# round 1's unit → (item, category, due, final status). Requested ones past their due date are the
# overdue requests of the demo; one request is cancelled.
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

# The dates below are those of the first feedback (2017-11-20, a Monday); a round's are moved by whole
# weeks (weekdays kept): round 5's meetings fall on 2019-07-15/16, round 6's on 2019-12-30/31.
FEEDBACK_WEEKS_AFTER = {5: 86, 6: 110}
FEEDBACK_DAYS = [date(2017, 11, 20), date(2017, 11, 20), date(2017, 11, 21), date(2017, 11, 21)]  # per unit, in order
PROBLEMS = [  # (category, description, immediate fix)
    ("党的领导", "党组理论学习中心组学习不经常，传达学习上级精神流于形式。", False),
    ("全面从严治党", "落实“两个责任”不到位，对下属单位监督管理宽松软。", False),
    ("选人用人", "干部选拔任用程序不规范，个别干部档案材料缺失。", True),
]

# The moving ledgers: (problem no., measure, type, deadline, status reached, days it moved on).
# The days are those of the steps after approval: progress at 100 %, sign-off, follow-up check.
# Round 5's 区应急管理局: every item closed (signed off, or kept long-term with its follow-up date).
CLOSED_LEDGER = [
    (1, "建立党组理论学习中心组学习计划和考勤制度", "immediate", date(2017, 12, 31), "signed_off",
     (date(2017, 12, 15), date(2017, 12, 20))),
    (1, "开展专题学习研讨并形成学习记录", "time_bound", date(2018, 1, 31), "signed_off",
     (date(2018, 2, 26), date(2018, 3, 5))),  # signed off after its deadline
    (2, "健全对下属单位的常态化监督检查机制", "long_term", date(2018, 6, 30), "long_term_maintained",
     (date(2018, 6, 20),)),
    (3, "补齐干部人事档案缺失材料", "immediate", date(2017, 12, 31), "signed_off",
     (date(2017, 12, 8), date(2017, 12, 12))),
]  # fmt: skip
# Round 6's 区农业农村局: every open state.
OPEN_LEDGER = [
    (2, "制定党组落实全面从严治党主体责任清单", "time_bound", date(2018, 2, 28), "reopened",
     (date(2018, 2, 10), date(2018, 2, 24), date(2018, 9, 14))),
    (3, "规范干部选拔任用工作流程并公开纪实", "time_bound", date(2018, 4, 30), "pending_signoff",
     (date(2018, 4, 25),)),
    (3, "对近三年提拔干部开展专项复查", "time_bound", date(2018, 3, 31), "returned", (date(2018, 3, 28),)),
    (2, "开展工程建设领域廉政风险排查", "time_bound", date(2018, 5, 31), "plan_approved", ()),
    (1, "完善党组议事规则", "time_bound", date(2018, 6, 15), "plan_submitted", ()),
    (2, "建立廉政谈话常态化制度", "time_bound", date(2018, 6, 30), "issued", ()),
]  # fmt: skip
LEDGERS = {5: CLOSED_LEDGER, 6: OPEN_LEDGER}
# Round 6's other units' ledgers: per problem, one issued item with its deadline.
OTHER_DEADLINES = [date(2018, 1, 31), date(2018, 3, 31), date(2017, 12, 31)]
# The responsible leader and department of a unit's items, by unit type; the person is the officer.
RESPONSIBLE = {"gov_dept": ("局党组书记、局长", "办公室"), "township": ("镇党委书记", "党政办"),
               "soe": ("公司党委书记、董事长", "办公室"), "public_institution": ("院党委书记、院长", "院办")}  # fmt: skip


def later_round_units() -> dict[str, Organisation]:
    """The units of rounds 5 and 6 with liaison offices, made before the accounts (their officers log in)."""
    wanted = {short for offices in data.LATER_LIAISON_OFFICES.values() for short, *_rest in offices}
    specs = cast("list[dict[str, Any]]", data.LATER_ROUNDS)  # its values are of mixed types
    units = [unit for spec in specs for unit in spec["units"]]
    return {
        short: ensure_organisation(by=None, name=name, short_name=short, aliases=aliases, unit_type=unit_type)
        for name, short, aliases, unit_type, _group in units
        if short in wanted
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


def _accounts() -> dict[str, User]:
    names = ["office_head", "office_staff", "group_leader", "group_member", "liaison_officer", "liaison_officer_5"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _officer_account(unit: InspectedUnit, accounts: dict[str, User]) -> User | None:
    """The unit's current officer's login, if the officer has one."""
    for name in ("liaison_officer", "liaison_officer_5"):
        user = accounts.get(name)
        if user is not None and user.person_id and user.person.home_unit_id == unit.org_unit_id:  # type: ignore[union-attr]
            return user
    return None


@transaction.atomic
def seed_liaison_work(round_1: InspectionRound) -> None:
    """Contact log and handovers of round 1's units, on site (issue 6); no feedback or ledger yet."""
    if ContactLogEntry.objects.filter(inspected_unit__inspection_round=round_1).exists():
        return
    accounts = _accounts()
    units = {u.org_unit.short_name: u for u in round_1.inspected_units.select_related("org_unit", "group")}
    for short, unit in units.items():
        # Group 1's member has an account; group 2's work, and the officers' (none has a login), are
        # recorded by the office.
        member = accounts["group_member"] if unit.group.number == 1 else accounts["office_staff"]
        officer = accounts["office_staff"]
        for n, (day, channel, subject, follow_up) in enumerate(CONTACTS[short]):
            record_entry(
                by=officer if n % 2 else member,
                inspected_unit=unit,
                at=_when(day, 9 + n),
                channel=channel,
                subject=subject,
                follow_up=follow_up,
            )
        _handovers(unit, short, member, officer)


def seed_later_round_work(inspection_round: InspectionRound) -> None:
    """Rounds 5 and 6: liaison offices, contact after the feedback, the feedback delivered to every
    unit, and the ledger (closed for round 5, open for round 6). Runs before the round is moved to
    its stage, whose guards need it (demo/history.py)."""
    round_no = inspection_round.round_no
    if round_no not in data.LATER_LIAISON_OFFICES:
        _feedback_only(inspection_round)
        return
    seed_liaison_offices(inspection_round)
    accounts = _accounts()
    shift = timedelta(weeks=FEEDBACK_WEEKS_AFTER[round_no])
    units = list(inspection_round.inspected_units.select_related("org_unit", "group").order_by("group__number", "pk"))
    staff, head = accounts["office_staff"], accounts["office_head"]
    for n, unit in enumerate(units):
        officer = _officer_account(unit, accounts)
        day = FEEDBACK_DAYS[n] + shift
        for k, (after, channel, subject, follow_up) in enumerate(CONTACTS_AFTER_FEEDBACK):
            record_entry(
                by=officer if officer and k % 2 else staff,
                inspected_unit=unit,
                at=_when(day + timedelta(days=after), 10 + k),
                channel=channel,
                subject=subject,
                follow_up=follow_up,
            )
        # The groups have left and their memberships ended: the office writes and delivers the feedback.
        feedback_record = _feedback(unit, day, head, head)
        if officer is not None:
            _officer_ledger(unit, feedback_record, LEDGERS[round_no], shift, head, officer, staff)
        elif round_no == 6:
            _issued_ledger(feedback_record, unit, shift, head)


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


def _feedback_only(inspection_round: InspectionRound) -> None:
    """Rounds 2–4: their feedback is recorded (their ledgers were kept on paper before the platform),
    so their units reach rectified with the archive, as the workflow moves them (docs/domain.md §3.1)."""
    if Feedback.objects.filter(inspected_unit__inspection_round=inspection_round).exists():
        return
    head = _accounts()["office_head"]
    exit_date = inspection_round.actual_exit_date or inspection_round.planned_exit_date
    if exit_date is None:  # every demo round has its exit date (data.LATER_ROUNDS)
        return
    # The Monday four to five weeks after the groups left.
    day = exit_date + timedelta(days=28 + (7 - exit_date.weekday()) % 7)
    for unit in inspection_round.inspected_units.select_related("org_unit", "group").order_by("group__number", "pk"):
        _feedback(unit, day, head, head)


def _feedback(unit: InspectedUnit, day: date, leader: User, head: User) -> Feedback:
    short = unit.org_unit.short_name
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
    delivered = feedback.deliver_feedback(by=leader, feedback=feedback_record, now=_when(day, 15))
    _retire_past_notices(list(RectificationReport.objects.filter(inspected_unit=unit)))
    return delivered


def _plan(unit: InspectedUnit, measure: str, kind: str, deadline: date) -> dict[str, Any]:
    leader, department = RESPONSIBLE[unit.org_unit.unit_type]
    officer = LiaisonAssignment.objects.get(liaison_office__inspected_unit=unit, end_date__isnull=True)
    return {
        "measure": measure,
        "responsible_leader": leader,
        "lead_department": department,
        "responsible_person": officer.person.name,
        "rectification_type": kind,
        "deadline": deadline,
    }


def _issued_ledger(feedback_record: Feedback, unit: InspectedUnit, shift: timedelta, leader: User) -> None:
    """One item per problem, still issued: without an officer's account nobody submits the plan."""
    problems = list(feedback_record.problems.order_by("seq"))
    for problem, deadline in zip(problems, OTHER_DEADLINES, strict=True):
        item = ledger.add_item(
            by=leader,
            problem=problem,
            **_plan(unit, f"针对“{problem.category}”问题制定整改措施", "time_bound", deadline + shift),
        )
        _retire_past_notices([item])


def _officer_ledger(
    unit: InspectedUnit,
    feedback_record: Feedback,
    rows: list[tuple[Any, ...]],
    shift: timedelta,
    leader: User,
    officer: User,
    staff: User,
) -> None:
    """A ledger whose officer has a login: the states of docs/domain.md §3.4 its rows reach, the officer
    doing the unit's steps."""
    problems = {p.seq: p for p in feedback_record.problems.all()}
    reopen = []
    for seq, measure, kind, deadline, final, steps in rows:
        days = [day + shift for day in steps]
        item = ledger.add_item(by=officer, problem=problems[seq], **_plan(unit, measure, kind, deadline + shift))
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
        _retire_past_notices([item])
