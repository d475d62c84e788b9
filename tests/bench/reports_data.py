"""A large office data set for the reports benchmark: rounds, groups and units through the
services, then 200,000 clues, their transfers and 20,000 rectification items written with
`core.bulk.insert_values` (COPY on PostgreSQL). Statuses are written directly: the benchmark
measures reading, not the state machine."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from clues import tallies
from clues.models import Clue, ClueTransfer, ClueTransferItem
from clues.models.categories import CATEGORY_LABELS
from clues.services import letters
from clues.services.partners import register_partner
from core.bulk import insert_values
from core.models import Organisation, User
from inspection import services as rounds
from inspection.models import InspectedUnit, InspectionRound
from liaison.models import Feedback, FeedbackProblem, HandoverRecord, RectificationItem
from tests.factories import OrganisationFactory

ROUNDS = 3
GROUPS_PER_ROUND = 4
UNITS_PER_GROUP = 5
PARTNERS = (("区审计局", "audit"), ("区信访局", "petition"), ("区财政局", "finance"), ("区公安分局", "police"))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
SUMMARIES = (
    "违规发放津贴补贴，涉及资金未经集体研究",
    "工程项目招投标中存在围标串标问题",
    "利用职务便利为亲属经营活动谋取利益",
    "公车私用，节假日驾驶公车外出旅游",
    "违规收受管理服务对象礼品礼金",
    "选人用人程序不规范，突击提拔干部",
    "=SUM(A1:A2) 反映人称账目不清",  # a formula-looking cell: the export must neutralise it
)
# A spread over the lifecycle, weights out of 100: a third of the clues end up transferred.
STATUS_WEIGHTS = {
    Clue.Status.REGISTERED: 14,
    Clue.Status.SCREENED: 8,
    Clue.Status.HANDED_TO_GROUP: 10,
    Clue.Status.UNDER_ASSESSMENT: 8,
    Clue.Status.GENERAL_PROBLEM: 8,
    Clue.Status.INSUFFICIENT: 6,
    Clue.Status.DUPLICATE: 4,
    Clue.Status.OUT_OF_SCOPE: 4,
    Clue.Status.PROPOSED_FOR_TRANSFER: 3,
    Clue.Status.TRANSFER_APPROVED: 2,
    # transferred and after: each gets a ClueTransferItem in a sent transfer
    Clue.Status.TRANSFERRED: 6,
    Clue.Status.RECEIVED: 4,
    Clue.Status.TALK_OR_LETTER_INQUIRY: 5,
    Clue.Status.PRELIMINARY_VERIFICATION: 4,
    Clue.Status.DEFERRED: 2,
    Clue.Status.CASE_FILED: 4,
    Clue.Status.CONCLUDED_NO_CASE: 8,
}
IN_TRANSFER = set(list(STATUS_WEIGHTS)[10:])


@dataclass
class BenchData:
    head: User
    rounds: list[InspectionRound]
    clues: int
    transfer_items: int
    rectification_items: int
    open_rectification_items: int
    handovers: int
    seconds: dict[str, float]


def build(n_clues: int, n_items: int, *, seed: int = 7) -> BenchData:
    import time

    from tests.conftest import make_user

    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    office = OrganisationFactory(name="巡察办", short_name="巡察办", unit_type=Organisation.UnitType.PARTY_DEPT)
    head = make_user("bench_head", "office_head", organisation=office)
    commission = OrganisationFactory(name="区纪委监委", unit_type=Organisation.UnitType.DISCIPLINE_COMMISSION)
    org_dept = OrganisationFactory(name="区委组织部", unit_type=Organisation.UnitType.PARTY_DEPT)
    partners = [
        register_partner(
            by=None, org_unit=OrganisationFactory(name=name), category=cat, sort_order=i, request_items=["问题线索"]
        )
        for i, (name, cat) in enumerate(PARTNERS, start=1)
    ]
    unit_orgs = [
        OrganisationFactory(name=f"区第{i}局", short_name=f"{i}局") for i in range(GROUPS_PER_ROUND * UNITS_PER_GROUP)
    ]
    all_rounds, units = [], []
    for r in range(1, ROUNDS + 1):
        inspection_round = rounds.create_round(
            by=None, committee_term=13, year=2017, round_no=r, title=f"十三届第{r}轮巡察"
        )
        all_rounds.append(inspection_round)
        for g in range(GROUPS_PER_ROUND):
            group = rounds.create_group(by=None, inspection_round=inspection_round, number=g + 1)
            for u in range(UNITS_PER_GROUP):
                org = unit_orgs[g * UNITS_PER_GROUP + u]
                units.append(rounds.assign_unit(by=None, group=group, org_unit=org))
        # The partner letters of each round, drafted and sent through the services (awaiting replies).
        for letter in letters.create_round_letters(inspection_round=inspection_round, by=None):
            letters.submit_for_approval(letter=letter, by=None)
            letters.approve_and_send(letter=letter, by=None)
    seconds["services (rounds, groups, units, letters)"] = time.perf_counter() - started

    # Clues ------------------------------------------------------------------------------------
    started = time.perf_counter()
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    categories = list(CATEGORY_LABELS)
    unit_rows = [(u.pk, u.inspection_round_id, u.group_id) for u in units]
    sources = [s for s, _label in Clue.SourceType.choices]

    def clue_rows():
        for i in range(n_clues):
            unit_id, round_id, group_id = unit_rows[i % len(unit_rows)]
            source = Clue.SourceType.PARTNER_LETTER if i % 3 else sources[i % len(sources)]
            partner = partners[i % len(partners)].pk if source == Clue.SourceType.PARTNER_LETTER else None
            name = SURNAMES[i % len(SURNAMES)] + SURNAMES[(i // 20) % len(SURNAMES)] + "某"
            status = rng.choices(statuses, weights)[0]
            yield (
                f"XC{round_id:02d}-{i:07d}",
                round_id,
                unit_id,
                group_id,
                source,
                partner,
                date(2017, 1, 1) + timedelta(days=i % 900),
                [{"name": name, "position": "科长"}],
                SUMMARIES[i % len(SUMMARIES)],
                f"反映{name}的问题，第{i}号线索的详细情况。",
                rng.sample(categories, 1 + i % 2),
                status,
                "ABC"[i % 3] if status not in (Clue.Status.REGISTERED, Clue.Status.SCREENED) else "",
            )

    insert_values(
        Clue,
        (
            "code",
            "inspection_round",
            "inspected_unit",
            "assigned_group",
            "source_type",
            "source_partner",
            "received_date",
            "reported_persons",
            "allegation_summary",
            "allegation_detail",
            "categories",
            "status",
            "grade",
        ),
        clue_rows(),
        batch_size=5000,
    )
    seconds["clues"] = time.perf_counter() - started

    # Transfers: one sent letter per (group, receiver); every clue transferred or later is in one.
    started = time.perf_counter()
    now = datetime(2018, 6, 1, tzinfo=UTC)
    transfer_of: dict[tuple[int, str], int] = {}
    receivers = (
        (ClueTransfer.Receiver.DISCIPLINE_COMMISSION, commission),
        (ClueTransfer.Receiver.ORGANIZATION_DEPT, org_dept),
    )
    for inspection_round in all_rounds:
        for group in inspection_round.groups.all():
            for kind, org in receivers:
                transfer = ClueTransfer.objects.create(
                    inspection_round=inspection_round,
                    group=group,
                    receiver_type=kind,
                    receiver=org,
                    doc_number=f"巡移〔{inspection_round.round_no}〕{group.number}-{kind[:3]}",
                    approved_at=now,
                    transferred_at=now,
                    delivered_at=now,
                    feedback_due=date(2018, 7, 1) + timedelta(days=group.number * 10),
                )
                transfer_of[(group.pk, kind)] = transfer.pk
    moved = Clue.objects.filter(status__in=IN_TRANSFER).values_list("pk", "assigned_group_id").order_by("pk")
    items = [(transfer_of[(g, receivers[pk % 2][0])], pk) for pk, g in moved.iterator(chunk_size=20000)]
    insert_values(ClueTransferItem, ("transfer", "clue"), items, batch_size=10000)
    seconds["transfers"] = time.perf_counter() - started
    # The clues and items above were written around the services: count them (clues.tallies).
    started = time.perf_counter()
    tallies.rebuild()
    seconds["counters"] = time.perf_counter() - started

    # Feedback delivered to every unit, problems, and the rectification ledger -------------------
    started = time.perf_counter()
    problems_per_unit = 20
    problem_rows = []
    for unit in units:
        feedback = Feedback.objects.create(
            inspected_unit=unit, status=Feedback.Status.DELIVERED, delivered_at=now, meeting_date=date(2018, 5, 1)
        )
        problem_rows += [
            (feedback.pk, seq, "党的建设", f"{unit.org_unit.name}问题{seq}：制度执行不严格", False)
            for seq in range(1, problems_per_unit + 1)
        ]
    insert_values(FeedbackProblem, ("feedback", "seq", "category", "description", "is_immediate_fix"), problem_rows)
    problems = list(FeedbackProblem.objects.order_by("pk").values_list("pk", flat=True))
    item_statuses = [s for s, _label in RectificationItem.Status.choices]
    done = {RectificationItem.Status.SIGNED_OFF, RectificationItem.Status.LONG_TERM_MAINTAINED}
    item_rows = []
    for i in range(n_items):
        status = item_statuses[i % len(item_statuses)]
        item_rows.append(
            (
                problems[i % len(problems)],
                i // len(problems) + 1,
                f"整改措施{i}：完善制度并开展专项检查",
                "分管副局长",
                "办公室",
                "张某某",
                RectificationItem.Type.TIME_BOUND,
                date(2018, 6, 1) + timedelta(days=i % 400),
                status,
                100 if status in done else (i * 7) % 100,
                date(2018, 9, 1) if status in done else None,
                now if status == RectificationItem.Status.SIGNED_OFF else None,
            )
        )
    insert_values(
        RectificationItem,
        (
            "problem",
            "seq",
            "measure",
            "responsible_leader",
            "lead_department",
            "responsible_person",
            "rectification_type",
            "deadline",
            "status",
            "progress_pct",
            "completed_at",
            "signed_off_at",
        ),
        item_rows,
    )
    open_items = sum(1 for row in item_rows if row[8] not in done)

    # Handovers still owed by the units (the board's third source).
    handovers = [
        (unit.pk, head.pk, now, f"{unit.org_unit.name}资料{k}", "documents", date(2018, 6, 10) + timedelta(days=k))
        for unit in units
        for k in range(5)
    ]
    insert_values(
        HandoverRecord, ("inspected_unit", "requested_by", "requested_at", "item", "category", "due_at"), handovers
    )
    seconds["feedback, rectification, handovers"] = time.perf_counter() - started
    assert InspectedUnit.objects.count() == len(units)
    return BenchData(
        head=head,
        rounds=all_rounds,
        clues=n_clues,
        transfer_items=len(items),
        rectification_items=n_items,
        open_rectification_items=open_items,
        handovers=len(handovers),
        seconds=seconds,
    )
