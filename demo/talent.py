"""The talent pools, round 1's secondments and recusals, case work and the collaboration zone
(docs/domain.md §4.3 "Pools", "Secondment", "Cross-staffing"), through the product's services.

The inspection pool holds 75 active cadres (25 of them from the discipline commission, its
offices and stationed teams) and 7 that do not count (suspended or removed); the investigation
pool holds the 14 inspection cadres lent to case work and a few case handlers. Round 1's eight
seconded cadres join their groups through confirmed secondment requests, after every member has
declared on the group's units; rounds 2–6 fill their seconded seats from the pool.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction

from core import delivery
from core.models import Organisation, Person, User
from core.services.directory import create_person, ensure_organisation
from demo import data
from inspection.models import InspectedUnit, InspectionRound
from talentpool.models import CaseWorkAssignment, CollaborationZone, SecondmentRequest, TalentPoolEntry
from talentpool.services import cross_staffing, pools, recusals, secondments

SHANGHAI = ZoneInfo("Asia/Shanghai")
POOL = TalentPoolEntry.PoolType

# Names of the generated pool cadres: surname i and given name i (the lengths are coprime, so
# every name differs, and each has three characters, unlike the round 1 cadres').
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶"
GIVEN = [
    "晓东", "建军", "丽华", "志刚", "海峰", "红霞", "永强", "春梅", "国华", "文静", "卫东", "秀兰", "德明", "玉芳",
    "宏伟", "晓燕", "立新", "美玲", "振华", "雪梅", "俊杰", "桂英", "明辉", "婷婷", "光明", "慧敏", "子豪", "佳怡",
    "一鸣", "欣然", "浩然",
]  # fmt: skip

# Round 1's secondment calendar (2017): letters out after kickoff, answers within the week, the
# substitutes asked the next days, members declaring at mobilisation, confirmation before entry.
SENT = (8, 4)
ANSWERED = (8, 8)
SUBSTITUTES_SENT = (8, 9)
SUBSTITUTES_ANSWERED = (8, 11)
ESCALATION_ANSWERED = (8, 15)
DECLARED = (8, 14)
TIE_DECIDED = (8, 15)
CONFIRMED = (8, 17)
CASE_WORK_ROLE = "协助审查调查（谈话、查阅账目等辅助工作）"


def _at(month_day: tuple[int, int], hour: int = 10) -> datetime:
    return datetime.combine(date(2017, *month_day), time(hour), tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Cadre:
    name: str
    unit: str  # home unit, short name
    specialty: str


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]


def roster() -> list[Cadre]:
    """The pool's cadres beyond round 1's, as data.POOL_UNITS lists them (the same every run)."""
    units = [(unit, specialty) for unit, specialty, count in data.POOL_UNITS for _ in range(count)]
    return [Cadre(_name(n), unit, specialty) for n, (unit, specialty) in enumerate(units)]


def leavers() -> list[tuple[Cadre, str, str]]:
    """The suspended and removed entries: (cadre, move, reason)."""
    start = len(roster())
    return [
        (Cadre(_name(start + n), unit, specialty), move, reason)
        for n, (unit, specialty, move, reason) in enumerate(data.POOL_LEAVERS)
    ]


def _of_unit(unit: str) -> list[Cadre]:
    return [cadre for cadre in roster() if cadre.unit == unit]


def _person(cadre: Cadre) -> Person:
    return Person.objects.get(name=cadre.name, home_unit__short_name=cadre.unit)


# ---------------------------------------------------------------- organisations


@transaction.atomic
def seed_discipline_bodies(orgs: dict[str, Organisation]) -> dict[str, Organisation]:
    """The commission's offices and stationed teams the pooled discipline cadres come from."""
    commission = orgs["区纪委监委"]
    bodies = {}
    for name, short, aliases, unit_type in [*data.COMMISSION_OFFICES, *data.DISCIPLINE_BODIES]:
        bodies[short] = ensure_organisation(
            by=None, name=name, short_name=short, aliases=aliases, unit_type=unit_type, parent=commission
        )
    return bodies


# ---------------------------------------------------------------- pools


def _admit(by: User, person: Person, pool_type: str, specialty: str, unit: Organisation) -> TalentPoolEntry:
    """Nominated by the home unit, vetted, approved by the leading group (docs/domain.md §2.7)."""
    entry = pools.nominate(
        by=by,
        pool_type=pool_type,
        specialty=specialty,
        person=person,
        nominated_by_unit=unit,
        today=data.POOL_NOMINATED,
    )
    entry = pools.vet(entry=entry, by=by, today=data.POOL_VETTED)
    return pools.activate(entry=entry, by=by, today=data.POOL_APPROVED)


def case_work_people(people: dict[str, Person]) -> list[tuple[str, Person]]:
    """(batch label, person) for every cadre of data.CASE_WORK_BATCHES."""
    rows = []
    for label, _start, _end, _office, names in data.CASE_WORK_BATCHES:
        for name in names:
            person = people[name] if isinstance(name, str) else _person(_of_unit(name[0])[name[1]])
            rows.append((label, person))
    return rows


@transaction.atomic
def seed_pools(orgs: dict[str, Organisation], people: dict[str, Person]) -> None:
    """75 active inspection-pool cadres, 3 suspended and 4 removed; the investigation pool."""
    if TalentPoolEntry.objects.exists():
        return
    manager = User.objects.get(username="pool_manager")
    specialties = {}
    for name, specialty in data.ROUND_1_SPECIALTIES.items():
        person = people[name]
        _admit(manager, person, POOL.INSPECTION, specialty, person.home_unit)
        specialties[person.pk] = specialty
    for cadre in roster():
        person = create_person(by=manager, name=cadre.name, home_unit=orgs[cadre.unit], position="干部")
        _admit(manager, person, POOL.INSPECTION, cadre.specialty, person.home_unit)
        specialties[person.pk] = cadre.specialty
    for cadre, move, reason in leavers():
        person = create_person(by=manager, name=cadre.name, home_unit=orgs[cadre.unit], position="干部")
        entry = _admit(manager, person, POOL.INSPECTION, cadre.specialty, person.home_unit)
        getattr(pools, move)(entry=entry, by=manager, reason=reason)
    # The inspection cadres lent to case work, and the commission's case handlers of the pool.
    handlers = [_person(c) for c in roster() if c.unit in ("区纪委监委第一审查调查室", "区纪委监委第一纪检监察室")]
    in_investigation = [person for _label, person in case_work_people(people)] + handlers
    for person in in_investigation:
        specialty = specialties.get(person.pk, "discipline")
        _admit(manager, person, POOL.INVESTIGATION, specialty, person.home_unit)


# ---------------------------------------------------------------- the rounds' seats

Seat = tuple[Person, str, bool, bool]  # person, role, seconded, group liaison


def later_seats(round_no: int) -> list[Cadre]:
    """The pool cadres seconded to round 2–6: discipline cadres first, then others, units in turn."""
    discipline = [c for c in roster() if c.specialty == "discipline"]
    rank: dict[str, int] = {}
    others: list[tuple[int, int, Cadre]] = []
    for cadre in roster():
        if cadre.specialty != "discipline":
            others.append((rank.get(cadre.unit, 0), len(others), cadre))
            rank[cadre.unit] = rank.get(cadre.unit, 0) + 1
    others_in_turn = [cadre for _rank, _n, cadre in sorted(others, key=lambda row: row[:2])]
    d_from = sum(data.LATER_SEATS[n][0] for n in range(2, round_no))
    o_from = sum(data.LATER_SEATS[n][1] for n in range(2, round_no))
    d_count, o_count = data.LATER_SEATS[round_no]
    return discipline[d_from : d_from + d_count] + others_in_turn[o_from : o_from + o_count]


def round_staffing(round_no: int, people: dict[str, Person]) -> dict[int, list[Seat]]:
    """The full-time cadres in their places; for rounds 2–6 also 4 seconded pool cadres per group.

    Round 1's seconded cadres join through their confirmed requests (seed_round_1_secondments).
    """
    staffing = {
        group_no: [(people[name], role, False, liaison) for name, role, seconded, liaison in members if not seconded]
        for group_no, members in data.GROUP_MEMBERS.items()
    }
    if round_no > 1:
        for n, cadre in enumerate(later_seats(round_no)):
            staffing[1 + n % 2].append((_person(cadre), "member", True, False))
    return staffing


# ---------------------------------------------------------------- round 1: recusals and secondments


def _declare_recusals(round_1: InspectionRound, people: dict[str, Person], staff: User, head: User) -> None:
    """Every member declares on each unit of their group; the one declared tie is allowed by the office."""
    units = InspectedUnit.objects.filter(inspection_round=round_1).select_related("org_unit", "group")
    tie_name, tie_unit, relationship = data.RECUSAL_TIE
    for unit in units.order_by("group__number", "pk"):
        for name, _role, _seconded, _liaison in data.GROUP_MEMBERS[unit.group.number]:
            person = people[name]
            tie = (name, unit.org_unit.short_name) == (tie_name, tie_unit)
            declaration = recusals.declare_recusal(
                by=getattr(person, "user", None) or staff,
                person=person,
                inspected_unit=unit,
                has_conflict=tie,
                relationships=[relationship] if tie else None,
                now=_at(DECLARED, 9),
            )
            if tie:
                recusals.decide_recusal(declaration=declaration, by=head, decision="allowed", now=_at(TIE_DECIDED))


@transaction.atomic
def seed_round_1_secondments(round_1: InspectionRound, people: dict[str, Person]) -> None:
    """11 requests: 8 confirmed (round 1's seconded members), 2 refused and replaced, 1 refused,
    escalated and then released (kept in reserve)."""
    if SecondmentRequest.objects.filter(inspection_round=round_1).exists():
        return
    users = {user.username: user for user in User.objects.filter(organisation__isnull=False)}
    staff, head = users["office_staff"], users["office_head"]
    _declare_recusals(round_1, people, staff, head)
    groups = {group.number: group for group in round_1.groups.all()}
    entries = {
        entry.person_id: entry
        for entry in TalentPoolEntry.objects.filter(pool_type=POOL.INSPECTION, status=TalentPoolEntry.Status.ACTIVE)
    }

    def send(request: SecondmentRequest, day: tuple[int, int]) -> SecondmentRequest:
        request = secondments.send_request(request=request, by=staff, now=_at(day))
        delivery.deliver_record(request)  # the queued delivery then finds it done
        return request

    def contact(request: SecondmentRequest) -> User:
        return users[data.HOME_UNIT_CONTACTS[request.home_unit.short_name]]

    substitutes = {then for *_spec, then in data.DECLINED}
    seconded = [
        (name, group_no)
        for group_no, members in data.GROUP_MEMBERS.items()
        for name, _role, seconded_from, _liaison in members
        if seconded_from
    ]
    accepted: dict[str, SecondmentRequest] = {}
    for name, group_no in seconded:
        if name not in substitutes:
            request = secondments.create_request(entry=entries[people[name].pk], group=groups[group_no], by=staff)
            accepted[name] = send(request, SENT)
    refused = []
    for unit, group_no, code, reason, then in data.DECLINED:
        person = _person(_of_unit(unit)[0])
        request = secondments.create_request(entry=entries[person.pk], group=groups[group_no], by=staff)
        refused.append((send(request, SENT), code, reason, then))
    for request in accepted.values():
        secondments.accept_request(request=request, by=contact(request), now=_at(ANSWERED, 15))
    for request, code, reason, then in refused:
        request = secondments.decline_request(
            request=request, by=contact(request), decline_code=code, decline_reason=reason, now=_at(ANSWERED, 16)
        )
        if then in people:
            substitute = secondments.replace_request(request=request, by=staff, entry=entries[people[then].pk])
            substitute = send(substitute, SUBSTITUTES_SENT)
            accepted[then] = secondments.accept_request(
                request=substitute, by=contact(substitute), now=_at(SUBSTITUTES_ANSWERED, 15)
            )
        else:
            request = secondments.escalate_request(request=request, by=head, escalated_to=then)
            secondments.accept_request(request=request, by=contact(request), now=_at(ESCALATION_ANSWERED, 15))
    for name, _group_no in seconded:
        secondments.confirm_request(request=accepted[name], by=staff, now=_at(CONFIRMED))


# ---------------------------------------------------------------- cross-staffing


@transaction.atomic
def seed_case_work(orgs: dict[str, Organisation], people: dict[str, Person]) -> None:
    """14 inspection cadres lent to the commission's case work in two batches between rounds."""
    if CaseWorkAssignment.objects.exists():
        return
    staff = User.objects.get(username="office_staff")
    batches = {label: (start, end, office) for label, start, end, office, _names in data.CASE_WORK_BATCHES}
    for label, person in case_work_people(people):
        start, end, office = batches[label]
        cross_staffing.assign_case_work(
            by=staff,
            person=person,
            batch_label=label,
            start_date=start,
            end_date=end,
            handling_office=orgs[office],
            role=CASE_WORK_ROLE,
        )


@transaction.atomic
def seed_zone(orgs: dict[str, Organisation]) -> None:
    """One planned collaboration zone: three towns with a supervision and an investigation office."""
    spec = data.ZONE
    if CollaborationZone.objects.filter(name=spec["name"]).exists():
        return
    townships = list(
        Organisation.objects.filter(short_name__in=spec["townships"], unit_type=Organisation.UnitType.TOWNSHIP)
    )
    cross_staffing.create_zone(
        by=User.objects.get(username="office_staff"),
        name=spec["name"],
        supervision_office=orgs[spec["supervision_office"]],
        investigation_office=orgs[spec["investigation_office"]],
        townships=townships,
        linked_group_number=spec["linked_group_number"],
        lead_leader=spec["lead_leader"],
        active_from=spec["active_from"],
    )
