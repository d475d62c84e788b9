"""Issue 16's data set: a city office's years of rounds with a million clues, on PostgreSQL.

The 200,000-clue generator of issue 7 (tests/bench/reports_data.py) scaled up and widened:
12 rounds × 4 groups × 5 units, partners and their letters through the services (few objects),
the three users the page benchmark logs in as, then with COPY (core.bulk.insert_values):

- 1,000,000 clues over the lifecycle (reports_data's status weights: a third transferred);
- one sent transfer per (group, receiver) holding every clue transferred or later (~330k items);
- the guardian grants the services write (~3.8M rows of clues_cluegroupobjectpermission):
  clues.services.screening._grant_group gives every clue handed to its group view + assess to
  the group's scope group and view + reveal to its leaders' circle, and
  clues.services.transfers._grant_receiver gives view + dispose to the receiver's "receive"
  circle for every transferred clue (no reveal: the transfers do not include the reporter);
- delivered feedback, 20 problems a unit, 40,000 rectification items, owed handovers;
- 100,000 pending reminders (the rectification ladder's kinds), 1,000 of them due; 101,000
  deliveries and 101,000 e-mails of which 1,000 each are due and 1,000 back off: the sweeps'
  worst case, most rows done as in a long-running office.

Statuses are written directly (the benchmarks measure reading, not the state machine).

Run it with `make bench-data` (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/xc_scale):
it creates the database if missing, migrates, refuses a database that already holds clues
unless --rebuild (which drops and recreates it), builds, then VACUUM ANALYZE (the planner's
statistics and the visibility map index-only scans need).

Speed (issue 16: under 5 minutes): the three big tables (BULK_TABLES) lose their indexes, unique
constraints and foreign keys before their COPY and get them back after it, exactly as migrated
(their definitions are read from the catalogue): an index built once from the whole table instead
of updated row by row, the search index's expression computed in one pass, a foreign key checked
by one join instead of a lookup and a row lock per row. The clues' indexes are built on a second
connection while this one writes the transfers and the grants (PostgreSQL 15 builds a GIN index
in one process); each COPY streams its rows as they are made (core.bulk).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any
from urllib.parse import urlsplit

CLUES = 1_000_000
ROUNDS = 12
GROUPS_PER_ROUND = 4
UNITS_PER_GROUP = 5
UNIT_ORGS = 60  # each round inspects 20 of them: a unit comes back every third round
RECTIFICATION_ITEMS = 40_000
REMINDERS = 100_000
DUE_REMINDERS = 1_000
DONE_DELIVERIES = 100_000
DUE_DELIVERIES = 1_000
BACKING_OFF = 1_000
PASSWORD = "Bench-pass-2026!"
USERS = {"head": "bench_head", "member": "bench_member", "leader": "bench_leader", "receiver": "bench_receiver"}
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/xc_scale"
# The tables COPY fills with millions of rows, built without their indexes (see the docstring).
BULK_TABLES = ("clues_clue", "clues_cluetransferitem", "clues_cluegroupobjectpermission")
# One COPY per big table: core.bulk streams it, no batch of rows is held in memory.
ONE_COPY = sys.maxsize
# The clues' GIN search index (clues.models.search): a million documents tokenised in one process.
SEARCH_INDEX = "clue_search_idx"
# Per index build: the clue search index's GIN build and the grants' sorts fit in memory.
INDEX_SESSION = ("SET maintenance_work_mem = '1GB'", "SET synchronous_commit = off")

# Two-character given names and one-character ones: the search helper's 2-character queries
# (a surname and a given name, 王伟) must find people, and three-character names (王建国) exist too.
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "建国", "红梅", "志强", "秀英")  # fmt: skip
POSITIONS = ("科长", "副科长", "局长", "副局长", "主任", "副主任", "科员", "站长", "所长", "会计")
UNIT_NAMES = (
    "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "人力资源和社会保障局",
    "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局",
    "文化和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "市场监督管理局", "统计局",
    "医疗保障局", "城市管理局", "林业局", "体育局", "机关事务管理局", "信访局办公室", "国有资产监督管理委员会",
    "投资促进局", "粮食和物资储备局", "行政审批局",
)  # fmt: skip
UNIT_SHORT = (
    "发改局", "教育局", "科技局", "工信局", "民政局", "司法局", "人社局", "自然资源局", "生态环境局", "住建局",
    "交通局", "水务局", "农业农村局", "商务局", "文旅局", "卫健委", "退役军人局", "应急局", "市场监管局", "统计局",
    "医保局", "城管局", "林业局", "体育局", "机关事务局", "信访办", "国资委", "投促局", "粮储局", "审批局",
)  # fmt: skip
TOWNS = ("城关街道", "东城街道", "西城街道", "南湖镇", "北山镇", "清河乡", "石桥镇", "长安街道", "新华街道", "云台镇")


@dataclass
class ScaleData:
    users: dict[str, str]
    clues: int = 0
    transfer_items: int = 0
    grants: int = 0
    rectification_items: int = 0
    reminders: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _unit_names() -> list[tuple[str, str]]:
    """UNIT_ORGS inspected units: the district's bureaus, then its towns' offices."""
    names = [(f"区{name}", short) for name, short in zip(UNIT_NAMES, UNIT_SHORT, strict=True)]
    for town in TOWNS:
        for office, short in (("党工委", "党工委"), ("办事处", "办"), ("经济发展办公室", "经发办")):
            if len(names) < UNIT_ORGS:
                names.append((f"区{town}{office}", f"{town[:2]}{short}"))
    return names[:UNIT_ORGS]


def build(*, n_clues: int = CLUES, seed: int = 16, log: Callable[[str], None] | None = None) -> ScaleData:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from clues import tallies
    from clues.models import Clue, ClueGroupObjectPermission, ClueTransfer, ClueTransferItem
    from clues.models.categories import CATEGORY_LABELS
    from clues.services import letters
    from clues.services.partners import register_partner
    from clues.services.transfers import receiving_scope
    from core import delivery
    from core.bulk import insert_values
    from core.models import Delivery, Organisation, OutboundEmail, Reminder
    from core.permissions import grant, scope_group
    from core.services.directory import create_person, create_user_account, ensure_organisation
    from inspection import services as rounds
    from inspection.models import GroupMembership
    from liaison.models import Feedback, FeedbackProblem, HandoverRecord, RectificationItem
    from liaison.reminders import RECTIFICATION
    from tests.bench.reports_data import IN_TRANSFER, PARTNERS, STATUS_WEIGHTS, SUMMARIES, SURNAMES

    log = log or _say
    rng = random.Random(seed)
    data = ScaleData(users=dict(USERS))
    clock = time.perf_counter()

    def lap(label: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        data.seconds[label] = now - clock
        log(f"  {label}: {now - clock:.1f} s")
        clock = now

    # Few objects, through the services --------------------------------------------------------
    def org(name: str, unit_type: str = Organisation.UnitType.GOV_DEPT, **fields: Any) -> Organisation:
        return ensure_organisation(by=None, name=name, unit_type=unit_type, **fields)

    office = org("区委巡察办", Organisation.UnitType.PARTY_DEPT, short_name="巡察办")
    commission = org("区纪委监委", Organisation.UnitType.DISCIPLINE_COMMISSION)
    org_dept = org("区委组织部", Organisation.UnitType.PARTY_DEPT)
    partners = [
        register_partner(by=None, org_unit=org(name), category=cat, sort_order=i, request_items=["问题线索"])
        for i, (name, cat) in enumerate(PARTNERS, start=1)
    ]
    unit_orgs = [org(name, short_name=short) for name, short in _unit_names()]
    head = create_user_account(
        by=None, username=USERS["head"], password=PASSWORD, roles=["office_head"], organisation=office
    )
    member_person = create_person(by=None, name="巡察组员甲", home_unit=office)
    leader_person = create_person(by=None, name="巡察组长乙", home_unit=office)
    create_user_account(
        by=None,
        username=USERS["member"],
        password=PASSWORD,
        roles=["group_member"],
        organisation=office,
        person=member_person,
    )
    create_user_account(
        by=None,
        username=USERS["leader"],
        password=PASSWORD,
        roles=["group_leader"],
        organisation=office,
        person=leader_person,
    )
    # The receiver's login joins its commission's "receive" circle (core.services.directory).
    create_user_account(
        by=None, username=USERS["receiver"], password=PASSWORD, roles=["commission_receiver"], organisation=commission
    )
    all_rounds, units, groups = [], [], []
    per_round = GROUPS_PER_ROUND * UNITS_PER_GROUP
    for r in range(1, ROUNDS + 1):
        year = 2017 + (r - 1) // 3
        inspection_round = rounds.create_round(
            by=None, committee_term=13, year=year, round_no=r, title=f"十三届区委第{r}轮巡察"
        )
        all_rounds.append(inspection_round)
        for g in range(GROUPS_PER_ROUND):
            group = rounds.create_group(by=None, inspection_round=inspection_round, number=g + 1)
            groups.append(group)
            for u in range(UNITS_PER_GROUP):
                unit_org = unit_orgs[((r - 1) * per_round + g * UNITS_PER_GROUP + u) % len(unit_orgs)]
                units.append(rounds.assign_unit(by=None, group=group, org_unit=unit_org))
        for letter in letters.create_round_letters(inspection_round=inspection_round, by=None):
            letters.submit_for_approval(letter=letter, by=None)
            letters.approve_and_send(letter=letter, by=None)
    # The group member and leader work in the first group of the latest round (its clues are
    # the ones their grants open: about 1/48 of the whole).
    current_group = groups[-GROUPS_PER_ROUND]
    rounds.add_member(by=None, group=current_group, person=member_person)
    rounds.add_member(by=None, group=current_group, person=leader_person, role=GroupMembership.Role.LEADER)
    # The letters' deliveries run as the worker would run them (grants, notifications, ladders).
    for pk in Delivery.objects.filter(state=Delivery.State.PENDING).values_list("pk", flat=True):
        delivery.deliver(pk)
    lap("services (rounds, groups, units, users, letters)")

    # Clues ------------------------------------------------------------------------------------
    deferred = _drop_indexes(BULK_TABLES)
    lap("indexes and constraints of the big tables dropped")
    # The cumulative weights once, not per row (random.choices would add them up on every call).
    statuses, cum_weights = list(STATUS_WEIGHTS), list(accumulate(STATUS_WEIGHTS.values()))
    categories = list(CATEGORY_LABELS)
    unit_rows = [(u.pk, u.inspection_round_id, u.group_id) for u in units]
    round_index = {r.pk: i for i, r in enumerate(all_rounds)}
    sources = [s for s, _label in Clue.SourceType.choices]
    before_handover = set(Clue.BEFORE_HANDOVER)

    def clue_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(n_clues):
            unit_id, round_id, group_id = unit_rows[i % len(unit_rows)]
            source = Clue.SourceType.PARTNER_LETTER if i % 3 else sources[i % len(sources)]
            partner = partners[i % len(partners)].pk if source == Clue.SourceType.PARTNER_LETTER else None
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]
            persons = [{"name": name, "position": POSITIONS[i % len(POSITIONS)]}]
            if i % 5 == 0:  # a fifth name two people
                persons.append({"name": SURNAMES[(i // 7) % len(SURNAMES)] + GIVEN[i % len(GIVEN)], "position": "科员"})
            status = rng.choices(statuses, cum_weights=cum_weights)[0]
            yield (
                f"XC{round_index[round_id] + 1:02d}-{i:07d}",
                round_id,
                unit_id,
                group_id,
                source,
                partner,
                f"来函{i % 997:03d}号" if partner else "",
                date(2017 + round_index[round_id] // 3, 1, 1) + timedelta(days=i % 300),
                persons,
                SUMMARIES[i % len(SUMMARIES)],
                f"反映{name}的问题，第{i}号线索的详细情况。",
                rng.sample(categories, 1 + i % 2),
                status,
                "ABC"[i % 3] if status not in before_handover else "",
            )

    data.clues = insert_values(
        Clue,
        (
            "code",
            "inspection_round",
            "inspected_unit",
            "assigned_group",
            "source_type",
            "source_partner",
            "source_ref",
            "received_date",
            "reported_persons",
            "allegation_summary",
            "allegation_detail",
            "categories",
            "status",
            "grade",
        ),
        clue_rows(),
        batch_size=ONE_COPY,
    )
    lap(f"{data.clues:,} clues")
    # The search index, the longest build by far, on another connection while this one goes on;
    # after the clues' unique constraints, whose exclusive lock would otherwise wait for it.
    search_index = _Background([*deferred.unique.pop("clues_clue"), *deferred.pop(SEARCH_INDEX)])

    # Transfers: one sent letter per (group, receiver); every clue transferred or later is in one.
    now = datetime(2020, 6, 1, tzinfo=UTC)
    receivers = (
        (ClueTransfer.Receiver.DISCIPLINE_COMMISSION, commission),
        (ClueTransfer.Receiver.ORGANIZATION_DEPT, org_dept),
    )
    transfer_of: dict[tuple[int, str], ClueTransfer] = {}
    for group in groups:
        for kind, receiver in receivers:
            transfer = ClueTransfer.objects.create(
                inspection_round_id=group.inspection_round_id,
                group=group,
                receiver_type=kind,
                receiver=receiver,
                doc_number=f"巡移〔{group.inspection_round.year}〕{group.inspection_round.round_no}-{group.number}-{kind[:3]}",
                approved_at=now,
                transferred_at=now,
                delivered_at=now,
                feedback_due=date(2020, 7, 1) + timedelta(days=group.number * 10),
            )
            # What clues.services.transfers grants on sending and on delivery, for the few transfers.
            grant("view", transfer, to=group)
            grant("view", transfer, to=scope_group(group, "leaders"))
            grant("view", transfer, to=receiving_scope(transfer))
            grant("change", transfer, to=receiving_scope(transfer))
            transfer_of[(group.pk, kind)] = transfer
    clues = list(
        Clue.objects.order_by("pk").values_list("pk", "assigned_group_id", "status").iterator(chunk_size=50_000)
    )
    in_transfer = set(IN_TRANSFER)
    items = [(transfer_of[(g, receivers[pk % 2][0])].pk, pk) for pk, g, status in clues if status in in_transfer]
    data.transfer_items = insert_values(ClueTransferItem, ("transfer", "clue"), items, batch_size=ONE_COPY)
    lap(f"{data.transfer_items:,} transfer items")

    # Guardian grants, exactly the rows the services write (see the module's docstring).
    perm = {
        codename: Permission.objects.get(content_type=ContentType.objects.get_for_model(Clue), codename=codename).pk
        for codename in ("view_clue", "assess_clue", "reveal_clue", "dispose_clue")
    }
    circles = {g.pk: (scope_group(g).pk, scope_group(g, "leaders").pk) for g in groups}
    receive = {kind: scope_group(receiver, "receive").pk for kind, receiver in receivers}

    def grant_rows() -> Iterator[tuple[int, int, int]]:
        for pk, g, status in clues:
            if status in before_handover:
                continue
            members, leaders = circles[g]
            yield perm["view_clue"], members, pk
            yield perm["assess_clue"], members, pk
            yield perm["view_clue"], leaders, pk
            yield perm["reveal_clue"], leaders, pk
            if status in in_transfer:
                circle = receive[receivers[pk % 2][0]]
                yield perm["view_clue"], circle, pk
                yield perm["dispose_clue"], circle, pk

    data.grants = insert_values(
        ClueGroupObjectPermission, ("permission", "group", "content_object"), grant_rows(), batch_size=ONE_COPY
    )
    lap(f"{data.grants:,} clue grants")
    _run([*deferred.indexes.values(), *(statement for table in deferred.unique.values() for statement in table)])
    lap("the other indexes of clues, transfer items and grants")

    # Feedback delivered to every unit, problems, and the rectification ledger -------------------
    problem_rows = []
    for unit in units:
        feedback = Feedback.objects.create(
            inspected_unit=unit, status=Feedback.Status.DELIVERED, delivered_at=now, meeting_date=date(2020, 5, 1)
        )
        problem_rows += [
            (feedback.pk, seq, "党的建设", f"{unit.org_unit.name}问题{seq}：制度执行不严格", False)
            for seq in range(1, 21)
        ]
    insert_values(FeedbackProblem, ("feedback", "seq", "category", "description", "is_immediate_fix"), problem_rows)
    problems = list(FeedbackProblem.objects.order_by("pk").values_list("pk", flat=True))
    item_statuses = [s for s, _label in RectificationItem.Status.choices]
    done = {RectificationItem.Status.SIGNED_OFF, RectificationItem.Status.LONG_TERM_MAINTAINED}

    def item_rows() -> Iterator[tuple[Any, ...]]:
        for i in range(RECTIFICATION_ITEMS):
            status = item_statuses[i % len(item_statuses)]
            yield (
                problems[i % len(problems)],
                i // len(problems) + 1,
                f"整改措施{i}：完善制度并开展专项检查",
                "分管副局长",
                "办公室",
                "张某某",
                RectificationItem.Type.TIME_BOUND,
                date(2020, 6, 1) + timedelta(days=i % 400),
                status,
                100 if status in done else (i * 7) % 100,
                date(2020, 9, 1) if status in done else None,
                now if status == RectificationItem.Status.SIGNED_OFF else None,
            )

    data.rectification_items = insert_values(
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
        item_rows(),
        batch_size=20_000,
    )
    handovers = [
        (unit.pk, head.pk, now, f"{unit.org_unit.name}资料{k}", "documents", date(2020, 6, 10) + timedelta(days=k))
        for unit in units
        for k in range(5)
    ]
    insert_values(
        HandoverRecord, ("inspected_unit", "requested_by", "requested_at", "item", "category", "due_at"), handovers
    )
    lap(f"{data.rectification_items:,} rectification items, {len(handovers)} handovers")

    # Reminders, deliveries, e-mails: what the sweeps read ---------------------------------------
    # The rectification ladder's three notices for the first items; DUE_REMINDERS of them are due
    # (in the past), the rest far ahead (the data set stays valid for years).
    item_ids = list(RectificationItem.objects.order_by("pk").values_list("pk", flat=True)[: REMINDERS // 3 + 1])
    item_type = ContentType.objects.get_for_model(RectificationItem).pk
    kinds = [RECTIFICATION.kind(level) for level in ("green", "yellow", "red")]
    past, ahead = datetime(2020, 6, 1, 1, tzinfo=UTC), datetime(2035, 1, 1, 1, tzinfo=UTC)

    def reminder_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(REMINDERS):
            item, step = item_ids[n // 3], n % 3
            when = (past if n < DUE_REMINDERS else ahead) + timedelta(days=n // 3 % 700, hours=step)
            yield item_type, str(item), kinds[step], when, kinds[step].rsplit(".", 1)[-1], Reminder.Status.PENDING

    data.reminders = insert_values(
        Reminder, ("target_type", "target_id", "kind", "due_at", "level", "status"), reminder_rows(), batch_size=20_000
    )
    # Deliveries of clues (any record type will do for the sweep's query): most done long ago,
    # DUE_DELIVERIES due now, BACKING_OFF waiting for their retry time.
    clue_type = ContentType.objects.get_for_model(Clue).pk

    def delivery_rows() -> Iterator[tuple[Any, ...]]:
        for n, (pk, _g, _s) in enumerate(clues[: DONE_DELIVERIES + DUE_DELIVERIES + BACKING_OFF]):
            if n < DONE_DELIVERIES:
                yield clue_type, pk, Delivery.State.DONE, 0, None, now
            elif n < DONE_DELIVERIES + DUE_DELIVERIES:
                yield clue_type, pk, Delivery.State.PENDING, 0, None, None
            else:
                yield clue_type, pk, Delivery.State.PENDING, 1, ahead, None

    insert_values(
        Delivery,
        ("target_type", "target_id", "state", "attempts", "retry_at", "done_at"),
        delivery_rows(),
        batch_size=20_000,
    )

    def email_rows() -> Iterator[tuple[Any, ...]]:
        for n in range(DONE_DELIVERIES + DUE_DELIVERIES + BACKING_OFF):
            address = f"bench{n % 500}@example.gov.cn"
            if n < DONE_DELIVERIES:
                yield address, "巡察工作提醒", OutboundEmail.Status.SENT, 1, None, now
            elif n < DONE_DELIVERIES + DUE_DELIVERIES:
                yield address, "巡察工作提醒", OutboundEmail.Status.PENDING, 0, None, None
            else:
                yield address, "巡察工作提醒", OutboundEmail.Status.PENDING, 1, ahead, None

    insert_values(
        OutboundEmail,
        ("recipient", "subject", "status", "attempts", "next_attempt_at", "sent_at"),
        email_rows(),
        batch_size=20_000,
    )
    lap(f"{data.reminders:,} reminders, deliveries and e-mails")

    # The clues above were written around the services: count them for the dashboard and the
    # funnel (clues.tallies), as the services' writes would have.
    tallies.rebuild()
    lap("clue counters")
    search_index.join()
    lap("search index (waited for)")
    # Last: a foreign key from or to the clues waits for the search index's lock on them.
    _run(deferred.foreign_keys)
    lap("foreign keys of the big tables checked")
    return data


@dataclass
class _Deferred:
    """What _drop_indexes dropped: the statements that make it again."""

    indexes: dict[str, str]  # index name: CREATE INDEX
    # table: its ADD CONSTRAINT … UNIQUE, which locks the table against every other statement.
    unique: dict[str, list[str]]
    foreign_keys: list[str]  # ADD CONSTRAINT … FOREIGN KEY, run once both sides are loaded

    def pop(self, *names: str) -> list[str]:
        return [self.indexes.pop(name) for name in names]


def _drop_indexes(tables: tuple[str, ...]) -> _Deferred:
    """Drop every index and constraint of tables but their primary keys; return how to make them again."""
    from django.db import connection

    with connection.cursor() as cursor:
        # Constraints: unique ones own their index; foreign keys are dropped first (none of those
        # dropped here references a unique constraint dropped here: they all reference primary keys).
        cursor.execute(
            """
            SELECT t.relname, c.contype,
                   format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', t.relname, c.conname, pg_get_constraintdef(c.oid)),
                   format('ALTER TABLE %%I DROP CONSTRAINT %%I', t.relname, c.conname)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relname = ANY(%s) AND c.contype IN ('f', 'u')
            ORDER BY c.contype, t.relname, c.conname
            """,
            [list(tables)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT x.relname, pg_get_indexdef(i.indexrelid), format('DROP INDEX %%I', x.relname)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
            WHERE t.relname = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY t.relname, x.relname
            """,
            [list(tables)],
        )
        indexes = cursor.fetchall()
        deferred = _Deferred(indexes={}, unique={table: [] for table in tables}, foreign_keys=[])
        for table, kind, create, drop in constraints:
            cursor.execute(drop)
            if kind == "f":
                deferred.foreign_keys.append(create)
            else:
                deferred.unique[table].append(create)
        for name, create, drop in indexes:
            cursor.execute(drop)
            deferred.indexes[name] = create
    return deferred


def _run(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in (*INDEX_SESSION, *statements):
            cursor.execute(statement)


class _Background(threading.Thread):
    """Statements run on a connection of their own (Django's connections are per thread)."""

    def __init__(self, statements: list[str]) -> None:
        super().__init__(name="scale_data indexes")
        self.statements = statements
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        from django.db import connection

        try:
            _run(self.statements)
        except BaseException as error:  # handed to the main thread by join()
            self.error = error
        finally:
            connection.close()

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.error is not None:
            raise self.error


def _say(text: str) -> None:
    print(text, flush=True)  # noqa: T201 - the command's report


def _database(url: str) -> tuple[str, str]:
    """The database's name and a URL of the server's maintenance database (to create or drop it)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name:
        raise SystemExit(f"scale_data: DATABASE_URL must be postgres://…/NAME, got {url!r}")
    return name, parts._replace(path="/postgres").geturl()


def _prepare_database(url: str, *, rebuild: bool) -> None:
    import psycopg2
    from psycopg2 import sql

    name, maintenance = _database(url)
    connection = psycopg2.connect(maintenance)
    connection.autocommit = True
    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rebuild", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--clues", type=int, default=CLUES)
    args = parser.parse_args(argv)
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    started = time.perf_counter()
    _prepare_database(url, rebuild=args.rebuild)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from clues.models import Clue

    # Refused before migrating: a data set others copy keeps the migrations it was built with.
    if Clue._meta.db_table in connection.introspection.table_names() and Clue.objects.exists():
        _say(f"scale_data: {_database(url)[0]} already holds clues; run with REBUILD=1 (--rebuild) to build it again.")
        return 1
    call_command("migrate", verbosity=0)
    _say(
        f"scale_data: building {args.clues:,} clues into {_database(url)[0]} (migrated in {time.perf_counter() - started:.1f} s)"
    )
    data = build(n_clues=args.clues)
    clock = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _say(f"  VACUUM ANALYZE: {time.perf_counter() - clock:.1f} s")
    _say(
        f"scale_data: {data.clues:,} clues, {data.transfer_items:,} transfer items, {data.grants:,} grants, "
        f"{data.rectification_items:,} rectification items, {data.reminders:,} reminders in "
        f"{time.perf_counter() - started:.1f} s; users {', '.join(USERS.values())} / password {PASSWORD}; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
