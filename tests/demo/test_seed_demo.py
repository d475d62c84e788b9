"""The demo data (demo/, `manage.py seed_demo`) and the figures `manage.py stats` reports on it."""

import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clues.models import (
    CaseRecord,
    Clue,
    ClueAssessment,
    ClueDisposition,
    ClueTransfer,
    ClueTransferItem,
    MeetingAgendaItem,
    PartnerUnit,
    StandingCommitteeMeeting,
)
from clues.models.categories import CATEGORIES
from core.models import AuditLog, Notification, Organisation, Person, Reminder, User
from demo import data
from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound
from liaison.models import (
    ContactLogEntry,
    Feedback,
    FeedbackProblem,
    FollowUpCheck,
    HandoverRecord,
    LiaisonAssignment,
    LiaisonOffice,
    RectificationItem,
    RectificationReport,
    RectificationUpdate,
)
from talentpool.models import (
    CaseWorkAssignment,
    CollaborationZone,
    RecusalDeclaration,
    SecondmentRequest,
    TalentPoolEntry,
)
from tests.helpers import demo_seeded

COUNTED = [
    Organisation,
    Person,
    User,
    InspectionRound,
    InspectionGroup,
    InspectedUnit,
    GroupMembership,
    PartnerUnit,
    AuditLog,
    Clue,
    ClueAssessment,
    ClueTransfer,
    ClueTransferItem,
    ClueDisposition,
    CaseRecord,
    StandingCommitteeMeeting,
    MeetingAgendaItem,
    Reminder,
    Notification,
    TalentPoolEntry,
    SecondmentRequest,
    RecusalDeclaration,
    CaseWorkAssignment,
    CollaborationZone,
    LiaisonOffice,
    LiaisonAssignment,
    ContactLogEntry,
    HandoverRecord,
    Feedback,
    FeedbackProblem,
    RectificationItem,
    RectificationUpdate,
    RectificationReport,
    FollowUpCheck,
]

# docs/domain.md §2.4, in order.
PARTNER_ORDER = [
    "区纪委监委",
    "区审计局",
    "区委组织部",
    "区信访局",
    "公安分局",
    "区人民检察院",
    "区人民法院",
    "区法制办",
    "区人力资源和社会保障局",
    "区编办",
    "区财政局",
    "区委政法委",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Seventeen accounts are hashed per seed; the hasher is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """One seed for this module's tests (the tests on an empty database are in test_seed_empty.py)."""
    with demo_seeded(django_db_blocker) as output:
        yield output


@pytest.fixture
def seeded(demo: str, db: Any) -> str:
    return demo


def transferred() -> Any:
    """docs/domain.md §4.1 #9: the clues the transfer statistics count."""
    from clues.selectors.registry import transferred_clues

    return transferred_clues()


def last_step(clue: Clue) -> ClueDisposition:
    return max(clue.dispositions.all(), key=lambda d: (d.decided_at, d.pk))


class TestSeededDemo:
    """Each test reads the demo through the `seeded` fixture: one seed for the class, each test rolled back."""

    def test_seeding_twice_changes_nothing(self, seeded: str) -> None:
        first = counts()
        assert all(first.values()), first  # every counted table got rows
        seed()
        assert counts() == first

    def test_there_are_twelve_partners_in_the_documented_order_with_aliases(self, seeded: str) -> None:
        partners = list(PartnerUnit.objects.select_related("org_unit"))
        assert [p.org_unit.short_name for p in partners] == PARTNER_ORDER
        assert [p.sort_order for p in partners] == list(range(1, 13))
        for partner in partners:
            assert partner.active
            assert partner.org_unit.aliases, partner.org_unit.short_name
            assert partner.default_request_items, partner.org_unit.short_name
        assert partners[0].category == PartnerUnit.Category.DISCIPLINE
        assert partners[-1].category == PartnerUnit.Category.POLITICAL_LEGAL
        assert "纪委" in partners[0].org_unit.aliases

    def test_round_one_has_two_groups_and_four_units(self, seeded: str) -> None:
        inspection_round = InspectionRound.objects.get(round_no=1)
        assert inspection_round.title == "十三届区委第一轮巡察"
        assert (inspection_round.committee_term, inspection_round.year, inspection_round.round_no) == (13, 2017, 1)
        assert inspection_round.kickoff_date.isoformat() == "2017-08-01"
        assert inspection_round.created_by.username == "office_head"

        groups = list(inspection_round.groups.order_by("number"))
        assert [g.number for g in groups] == [1, 2]
        units = {g.number: sorted(u.org_unit.short_name for u in g.inspected_units.all()) for g in groups}
        assert units == {1: sorted(["区住建局", "区民政局"]), 2: sorted(["区教育局", "东城街道"])}
        assert InspectedUnit.objects.filter(inspection_round=inspection_round).count() == 4

    def test_round_one_has_fourteen_members_eight_of_them_seconded(self, seeded: str) -> None:
        memberships = GroupMembership.objects.filter(inspection_round__round_no=1).select_related(
            "person__home_unit", "group"
        )
        assert memberships.count() == 14
        assert memberships.filter(is_seconded=True).count() == 8
        for group_no in (1, 2):
            in_group = memberships.filter(group__number=group_no)
            assert in_group.count() == 7
            assert in_group.filter(role=GroupMembership.Role.LEADER).count() == 1
            assert in_group.filter(is_group_liaison=True).count() == 1
        # A seconded cadre's home unit is the unit that seconded them.
        assert memberships.get(person__name="孙丽").person.home_unit.short_name == "区审计局"
        assert memberships.get(person__name="刘强").person.home_unit.short_name == "区委巡察办"
        assert not memberships.get(person__name="刘强").is_seconded

    def test_the_command_prints_the_demo_accounts(self, seeded: str) -> None:
        for username, *_ in data.ACCOUNTS:
            assert username in seeded
        assert data.DEMO_PASSWORD in seeded

    @pytest.mark.parametrize("username", [row[0] for row in data.ACCOUNTS])
    def test_every_demo_account_can_log_in(self, seeded: str, username: str) -> None:
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": data.DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert response.url == "/"
        assert client.get("/").status_code == 200

    def test_a_wrong_password_does_not_log_in(self, seeded: str) -> None:
        response = Client().post("/accounts/login/", {"username": "office_head", "password": "wrong-password-2017"})
        assert response.status_code == 200  # the form again, with an error

    def test_demo_accounts_are_linked_to_their_people_and_roles(self, seeded: str) -> None:
        leader = User.objects.get(username="group_leader")
        assert leader.person is not None
        assert leader.person.name == "刘强"
        assert leader.groups.filter(name="group_leader").exists()
        assert User.objects.get(username="sysadmin").is_staff
        assert not User.objects.get(username="office_head").is_staff

    def test_the_group_member_account_sees_only_its_groups_units(self, seeded: str) -> None:
        member = User.objects.get(username="group_member")
        visible = sorted(InspectedUnit.objects.for_user(member).values_list("org_unit__short_name", flat=True))
        assert visible == sorted(["区住建局", "区民政局"])

    def test_stats_reports_the_demo_figures(self, seeded: str) -> None:
        out = StringIO()
        call_command("stats", "--json", stdout=out)
        figures = json.loads(out.getvalue())
        assert figures["partner_unit_count"] == 12
        assert figures["inspected_unit_count"] == 4
        # Every one of the six rounds: 8 seconded of 14 (docs/domain.md §4.3).
        assert list(figures["seconded_share"].values()) == [0.5714] * 6
        assert figures["letters_sent"] == 12
        assert figures["partner_clue_count"] == 46
        assert figures["online_opinion_count"] == 12
        # docs/domain.md §4.1 #9–12 and the secondary figures, from the transfer history of §4.3.
        assert figures["transferred_clue_count"] == 173
        assert figures["concluded_clue_count"] == 152
        assert figures["case_filed_count"] == 37
        assert figures["case_conversion_rate"] == 0.2434
        assert figures["unconcluded_transferred"] == 21
        assert figures["concluded_without_case"] == 115
        # docs/domain.md §4.1 #7, #13–15, from the pools and cross-staffing of §4.3.
        assert figures["talent_pool_size"] == 75
        assert figures["pool_count"] == 2
        assert figures["inspection_cadres_in_case_work"] == 14
        assert figures["discipline_cadres_in_inspection"] == 25

    def test_round_one_letters_follow_the_recipe(self, seeded: str) -> None:
        """docs/domain.md §4.3: 12 numbered letters, 46 clues spread 14/12/11/9, two duplicates flagged and
        closed, two late answers, one answer returned then answered again."""
        from django.db.models import Count

        from clues.models import Clue, InfoRequestLetter, LetterReply

        letters = list(InfoRequestLetter.objects.order_by("partner__sort_order"))
        assert [x.doc_number for x in letters] == [f"示巡办函〔2017〕{n}号" for n in range(1, 13)]
        assert {x.sent_at.date().isoformat() for x in letters} == {"2017-08-03"}
        assert sorted(x.partner.org_unit.short_name for x in letters if x.answered_late) == ["区法制办", "区编办"]
        assert LetterReply.objects.filter(status=LetterReply.Status.RETURNED).count() == 1
        counted = Clue.objects.filter(source_type=Clue.SourceType.PARTNER_LETTER).exclude(status=Clue.Status.DUPLICATE)
        by_unit = counted.values("inspected_unit__org_unit__short_name").annotate(n=Count("pk")).order_by("-n")
        assert [row["n"] for row in by_unit] == [14, 12, 11, 9]
        duplicates = Clue.objects.filter(status=Clue.Status.DUPLICATE)
        assert duplicates.count() == 2
        assert all(d.source_partner.org_unit.short_name == "区信访局" for d in duplicates)
        assert Clue.objects.filter(source_type=Clue.SourceType.ONLINE_OPINION).count() == 1

    # ------------------------------------------------------------ the transfer history (docs/domain.md §4.3)

    def test_six_rounds_each_with_fourteen_cadres_eight_seconded(self, seeded: str) -> None:
        from inspection.selectors import seconded_share

        rounds = list(InspectionRound.objects.order_by("year", "round_no"))
        assert [(r.committee_term, r.year, r.round_no) for r in rounds] == [
            (13, 2017, 1),
            (13, 2017, 2),
            (13, 2018, 3),
            (13, 2018, 4),
            (13, 2019, 5),
            (13, 2019, 6),
        ]
        units = set()
        for inspection_round in rounds:
            assert seconded_share(inspection_round) == (8, 14), inspection_round.title
            assert inspection_round.groups.count() == 2
            round_units = list(inspection_round.inspected_units.values_list("org_unit_id", flat=True))
            assert len(round_units) == 4
            units.update(round_units)
            # The full-time cadres in the same places every round; the seconded seats from the pool.
            places = set(
                inspection_round.memberships.filter(is_seconded=False).values_list(
                    "person__name", "group__number", "role", "is_group_liaison"
                )
            )
            assert places == {
                (name, group_no, role, liaison)
                for group_no, members in data.GROUP_MEMBERS.items()
                for name, role, seconded_from, liaison in members
                if seconded_from is None
            }
            seconded = inspection_round.memberships.filter(is_seconded=True)
            assert all(seconded.filter(group__number=n).count() == 4 for n in (1, 2))
            assert not seconded.exclude(
                person__pool_entries__pool_type="inspection", person__pool_entries__status="active"
            ).exists()
            # Nobody inspects their own home unit.
            assert not inspection_round.memberships.filter(
                person__home_unit__in=inspection_round.inspected_units.values("org_unit")
            ).exists()
        round_1_seconded = set(
            GroupMembership.objects.filter(inspection_round__round_no=1, is_seconded=True).values_list(
                "person__name", "group__number"
            )
        )
        assert round_1_seconded == {
            (name, group_no)
            for group_no, members in data.GROUP_MEMBERS.items()
            for name, _role, seconded_from, _liaison in members
            if seconded_from
        }
        assert len(units) == 24  # every round inspects units of its own
        # Rounds 2–6 are over: their memberships have ended, round 1's have not.
        assert not GroupMembership.objects.filter(inspection_round__round_no__gt=1, end_date__isnull=True).exists()
        assert not GroupMembership.objects.filter(inspection_round__round_no=1, end_date__isnull=False).exists()

    def test_transfers_per_round_follow_the_recipe(self, seeded: str) -> None:
        from clues.selectors.funnel import funnel

        expected = {1: (21, 21, 5), 2: (28, 28, 7), 3: (30, 30, 8), 4: (32, 32, 7), 5: (30, 26, 6), 6: (32, 15, 4)}
        for round_no, figures in expected.items():
            f = funnel(transferred().filter(inspection_round__round_no=round_no))
            assert (f.transferred, f.concluded, f.filed) == figures, round_no
        items = ClueTransferItem.objects.filter(transfer__transferred_at__isnull=False)
        by_receiver = {
            kind: items.filter(transfer__receiver_type=kind).count()
            for kind in ("discipline_commission", "organization_dept", "inspected_unit")
        }
        assert by_receiver == {"discipline_commission": 158, "organization_dept": 15, "inspected_unit": 6}
        assert {t.receiver.short_name for t in ClueTransfer.objects.filter(receiver_type="discipline_commission")} == {
            "区纪委监委"
        }
        assert {t.receiver.short_name for t in ClueTransfer.objects.filter(receiver_type="organization_dept")} == {
            "区委组织部"
        }
        # Filed cases come only from the commission's transfers.
        filed = transferred().filter(status=Clue.Status.CASE_FILED)
        assert set(filed.values_list("transfer_items__transfer__receiver_type", flat=True)) == {"discipline_commission"}
        # Six 交办 transfers, one clue each, none of them counted.
        unit_transfers = ClueTransfer.objects.filter(receiver_type="inspected_unit")
        assert unit_transfers.count() == 6
        assert not transferred().filter(transfer_items__transfer__in=unit_transfers).exists()
        # Every letter was sent, delivered and acknowledged; transfers follow their round's exit.
        for transfer in ClueTransfer.objects.select_related("inspection_round"):
            assert transfer.transferred_at, transfer
            assert transfer.delivered_at, transfer
            assert transfer.received_at, transfer
            assert transfer.doc_number.startswith("示巡办移〔")
            exit_date = transfer.inspection_round.actual_exit_date or transfer.inspection_round.planned_exit_date
            assert transfer.transferred_at.date() > exit_date

    def test_dispositions_split_as_the_recipe(self, seeded: str) -> None:
        clues = list(transferred().prefetch_related("dispositions"))
        assert all(clue.dispositions.all() for clue in clues)  # every transferred clue has a first step
        without_case = {"talk_or_letter_inquiry": 0, "preliminary_verification": 0, "closed_no_action": 0}
        for clue in clues:
            if clue.status == Clue.Status.CONCLUDED_NO_CASE:
                without_case[last_step(clue).disposition_type] += 1
        assert without_case == {"talk_or_letter_inquiry": 48, "preliminary_verification": 45, "closed_no_action": 22}
        open_statuses = sorted(clue.status for clue in clues if not clue.is_concluded)
        assert {s: open_statuses.count(s) for s in set(open_statuses)} == {
            "preliminary_verification": 12,
            "talk_or_letter_inquiry": 5,
            "deferred": 4,
        }
        for clue in clues:
            if clue.status == Clue.Status.CASE_FILED:
                assert last_step(clue).disposition_type == "preliminary_verification"
                assert last_step(clue).outcome == "case_filed"

    def test_cases_count_clues_and_some_absorb_two(self, seeded: str) -> None:
        import re

        from django.db.models import Count

        cases = CaseRecord.objects.annotate(n=Count("clues"))
        assert sum(case.n for case in cases) == 37
        pairs = [case for case in cases if case.n == 2]
        assert len(pairs) == 4
        for case in pairs:
            assert len(case.subjects) == 1  # two clues about the same person
        assert all(re.fullmatch(r"示纪立〔20\d\d〕\d+号", case.case_number) for case in cases)
        assert cases.filter(concluded_at__isnull=False).count() > 0
        assert all(case.receiver.short_name == "区纪委监委" for case in cases)

    def test_round_one_transfers_its_own_partner_clues_and_later_rounds_register_by_hand(self, seeded: str) -> None:
        from clues.services.registry import HAND_SOURCES

        first = transferred().filter(inspection_round__round_no=1)
        assert first.count() == 21
        assert set(first.values_list("source_type", flat=True)) == {Clue.SourceType.PARTNER_LETTER}
        # The 46 partner clues are still 46: none was added for the transfers.
        assert Clue.objects.filter(inspection_round__round_no=1, source_type="partner_letter").count() == 48
        later = Clue.objects.filter(inspection_round__round_no__gt=1)
        assert set(later.values_list("source_type", flat=True)) <= set(HAND_SOURCES)
        assert set(later.values_list("created_by__username", flat=True)) == {"clue_custodian"}
        assert later.exclude(reporter_name="").exists()  # a few named reporters
        codes = {code for categories in later.values_list("categories", flat=True) for code in categories}
        assert codes <= set(CATEGORIES)
        assert len(set(later.values_list("allegation_summary", flat=True))) == later.count()
        # Group 1 proposals were made by its leader's own account, group 2's by the office head.
        proposals = ClueAssessment.objects.filter(conclusion="recommend_transfer")
        assert set(
            proposals.filter(clue__assigned_group__number=1).values_list("assessed_by__username", flat=True)
        ) == {"group_leader"}
        assert set(
            proposals.filter(clue__assigned_group__number=2).values_list("assessed_by__username", flat=True)
        ) == {"office_head"}

    def test_no_reminder_is_left_pending_in_the_past(self, seeded: str) -> None:
        from django.utils import timezone

        assert Reminder.objects.filter(kind__startswith="transfer.").exists()
        assert not Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lt=timezone.now()).exists()

    def test_standing_committee_meetings_invite_the_office_head(self, seeded: str) -> None:
        from clues.selectors.funnel import inspection_sourced_agenda, meetings_missing_office_head

        meetings = StandingCommitteeMeeting.objects.all()
        assert meetings.count() == 10
        assert all(m.office_head_invited for m in meetings)
        assert meetings.filter(office_head_attended=False).count() == 1
        assert meetings_missing_office_head().count() == 1
        for meeting in meetings:
            assert inspection_sourced_agenda().filter(meeting=meeting).exists(), meeting

    # ------------------------------------------------------------ pools, secondment, cross-staffing (docs/domain.md §4.3)

    def test_the_pools_hold_seventy_five_active_cadres_and_some_that_do_not_count(self, seeded: str) -> None:
        inspection = TalentPoolEntry.objects.filter(pool_type=TalentPoolEntry.PoolType.INSPECTION)
        by_status = {s: inspection.filter(status=s).count() for s in ("active", "suspended", "removed")}
        assert by_status == {"active": 75, "suspended": 3, "removed": 4}
        assert inspection.count() == 82  # nobody left nominated or vetted
        assert not inspection.filter(status__in=("suspended", "removed"), removal_reason="").exists()
        active = inspection.filter(status="active")
        assert not active.filter(approved_at__isnull=True).exists()
        assert not active.filter(vetted_at__isnull=True).exists()
        specialties = set(active.values_list("specialty", flat=True))
        assert {"discipline", "organization_personnel", "finance_audit", "legal_police_court"} <= specialties
        # The investigation pool holds at least the 14 inspection cadres lent to case work.
        investigation = TalentPoolEntry.objects.filter(pool_type="investigation", status="active")
        case_workers = set(CaseWorkAssignment.objects.values_list("person", flat=True))
        assert case_workers <= set(investigation.values_list("person", flat=True))

    def test_twenty_five_discipline_cadres_are_pooled_and_all_sat_in_a_group(self, seeded: str) -> None:
        from inspection.statistics import DISCIPLINE_BODIES

        commission = Organisation.objects.get(short_name="区纪委监委")
        discipline = TalentPoolEntry.objects.filter(
            pool_type="inspection", status="active", person__home_unit__unit_type__in=DISCIPLINE_BODIES
        )
        assert discipline.count() == 25
        homes = Organisation.objects.filter(people__in=discipline.values("person")).distinct()
        assert all(home == commission or home.parent == commission for home in homes)
        teams = homes.filter(unit_type=Organisation.UnitType.STATIONED_DISCIPLINE_TEAM)
        assert teams.count() == 3
        people = set(discipline.values_list("person", flat=True))
        assert people <= set(GroupMembership.objects.values_list("person", flat=True))
        assert {"周杰", "马骏"} <= set(discipline.values_list("person__name", flat=True))

    def test_round_one_has_eleven_requests_as_the_recipe(self, seeded: str) -> None:
        requests = SecondmentRequest.objects.filter(inspection_round__round_no=1)
        assert requests.count() == 11
        statuses = {s: requests.filter(status=s).count() for s in ("confirmed", "replaced", "accepted")}
        assert statuses == {"confirmed": 8, "replaced": 2, "accepted": 1}
        declined = requests.exclude(decline_code="")
        assert declined.count() == 3
        assert not declined.filter(decline_reason="").exists()
        assert {"workload", "staff_shortage"} <= set(declined.values_list("decline_code", flat=True))
        replaced = declined.filter(status="replaced")
        assert replaced.count() == 2
        for request in replaced:
            substitute = requests.get(substitute_for=request)
            assert substitute.status == "confirmed"
        escalated = declined.get(status="accepted")
        assert escalated.escalated_to == "organization_dept"
        # Every request was numbered, sent and delivered; every answer came from its home unit's contact.
        for request in requests.select_related("home_unit"):
            assert request.doc_number, request
            assert request.sent_at, request
            assert request.delivered_at, request
            assert request.responded_at, request
            answers = AuditLog.objects.filter(
                content_type__model="secondmentrequest",
                object_id=str(request.pk),
                user__groups__name="home_unit_contact",
            )
            assert answers.exists(), request
            assert set(answers.values_list("user__organisation", flat=True)) == {request.home_unit_id}

    def test_every_seconded_member_of_round_one_came_through_a_confirmed_request(self, seeded: str) -> None:
        seconded = GroupMembership.objects.filter(inspection_round__round_no=1, is_seconded=True)
        assert seconded.count() == 8
        for membership in seconded.select_related("secondment"):
            assert membership.secondment is not None, membership
            assert membership.secondment.status == "confirmed"
            assert membership.secondment.person_id == membership.person_id
            assert membership.secondment.group_id == membership.group_id
        assert User.objects.get(username="group_member").person.memberships.get().group.number == 1

    def test_every_member_of_round_one_declared_on_each_unit_of_their_group(self, seeded: str) -> None:
        for membership in GroupMembership.objects.filter(inspection_round__round_no=1):
            units = set(membership.group.inspected_units.values_list("pk", flat=True))
            declared = RecusalDeclaration.objects.filter(person=membership.person, inspected_unit__in=units)
            assert set(declared.values_list("inspected_unit", flat=True)) == units, membership
        ties = RecusalDeclaration.objects.filter(has_conflict=True)
        assert ties.count() == 1
        tie = ties.get()
        assert tie.relationships
        assert tie.decision == RecusalDeclaration.Decision.ALLOWED
        assert tie.decided_by is not None
        assert tie.decided_at is not None
        assert RecusalDeclaration.objects.count() == 28

    def test_fourteen_cadres_do_case_work_in_two_batches_between_rounds(self, seeded: str) -> None:
        from talentpool.selectors.pools import inspection_cadres_in_case_work
        from talentpool.services.cross_staffing import _membership_span

        assignments = CaseWorkAssignment.objects.select_related("person")
        assert inspection_cadres_in_case_work().count() == 14
        assert assignments.values("person").distinct().count() == 14
        assert set(assignments.values_list("batch_label", flat=True)) == {"第一批", "第二批"}
        for assignment in assignments:
            for membership in GroupMembership.objects.filter(person=assignment.person).select_related(
                "inspection_round"
            ):
                first, last = _membership_span(membership)
                assert assignment.end_date < first or last < assignment.start_date, (assignment, membership)

    def test_one_collaboration_zone_links_towns_to_commission_offices(self, seeded: str) -> None:
        zone = CollaborationZone.objects.get()
        assert zone.townships.count() >= 2
        assert set(zone.townships.values_list("unit_type", flat=True)) == {"township"}
        commission = Organisation.objects.get(short_name="区纪委监委")
        assert zone.supervision_office.parent == commission
        assert zone.investigation_office.parent == commission

    def test_no_secondment_reminder_is_left_pending_in_the_past(self, seeded: str) -> None:
        from django.utils import timezone

        assert Reminder.objects.filter(kind__startswith="secondment").exists()
        assert not Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lt=timezone.now()).exists()

    def test_the_pool_manager_sees_the_pool(self, seeded: str) -> None:
        manager = User.objects.get(username="pool_manager")
        assert TalentPoolEntry.objects.for_user(manager).count() == TalentPoolEntry.objects.count()
        client = Client()
        client.force_login(manager)
        response = client.get("/pools/?pool=inspection&status=active")
        assert response.status_code == 200

    def test_the_home_unit_contact_sees_only_its_units_requests(self, seeded: str) -> None:
        contact = User.objects.get(username="home_unit_contact")
        visible = SecondmentRequest.objects.for_user(contact)
        assert visible.count() == 3  # 郑伟, the refused one and 朱婷 who replaced them
        assert set(visible.values_list("home_unit__short_name", flat=True)) == {"区财政局"}
        client = Client()
        client.force_login(contact)
        assert client.get("/secondments/").status_code == 200


class TestSeededLiaison:
    """The liaison offices of rounds 1, 5 and 6 (docs/domain.md §4.3): one current officer per unit, one replaced."""

    def test_every_round_one_unit_has_one_current_officer_and_one_was_replaced(self, seeded: str) -> None:
        first = InspectionRound.objects.order_by("year", "round_no").first()
        current = LiaisonAssignment.objects.filter(
            liaison_office__inspected_unit__inspection_round=first, end_date__isnull=True
        )
        assert current.count() == first.inspected_units.count() == 4
        ended = LiaisonAssignment.objects.filter(end_date__isnull=False).select_related("person")
        assert [a.person.name for a in ended] == ["陈红"]

    def test_the_liaison_officer_accounts_are_their_units_current_officers(self, seeded: str) -> None:
        for username, name, unit in [
            ("liaison_officer", "唐颖", "区农业农村局"),
            ("liaison_officer_5", "宋洁", "区应急管理局"),
        ]:
            officer = User.objects.get(username=username)
            assert officer.person.name == name
            visible = list(InspectedUnit.objects.for_user(officer).values_list("org_unit__short_name", flat=True))
            assert visible == [unit]

    def test_every_unit_with_an_office_has_contact_entries_over_several_channels(self, seeded: str) -> None:
        units = InspectedUnit.objects.filter(liaison_office__isnull=False)
        assert units.count() == 12  # rounds 1, 5 and 6
        for unit in units:
            entries = ContactLogEntry.objects.filter(inspected_unit=unit)
            assert entries.count() >= 2, unit
            assert entries.values("channel").distinct().count() >= 2, unit
        assert set(ContactLogEntry.objects.values_list("channel", flat=True)) == set(ContactLogEntry.Channel.values)

    def test_handovers_are_in_every_state_and_one_is_cancelled(self, seeded: str) -> None:
        from django.db.models import Count

        by_state = dict(HandoverRecord.objects.values_list("status").annotate(n=Count("pk")))
        assert by_state == {"requested": 2, "delivered": 3, "received": 3, "returned": 4, "cancelled": 1}
        for unit in InspectedUnit.objects.filter(inspection_round=first_round()):
            assert unit.handovers.count() >= 3, unit
        returned = HandoverRecord.objects.filter(status="returned")
        assert all(h.delivered_by_id and h.received_by_id and h.returned_at for h in returned)
        assert {
            h.delivered_by.username
            for h in HandoverRecord.objects.filter(
                inspected_unit__org_unit__short_name="区住建局", delivered_by__isnull=False
            )
        } == {"office_staff"}  # round 1's officers have no login: the office records their steps

    def test_each_round_s_liaison_records_fit_its_stage(self, seeded: str) -> None:
        """Issue 13 item 9: round 1 on site without feedback or ledger; round 5 archived with its
        ledger closed; round 6 rectifying with liaison offices and an open ledger."""
        rounds = {r.round_no: r for r in InspectionRound.objects.all()}
        assert {n: r.status for n, r in rounds.items()} == {
            1: "onsite",
            2: "archived",
            3: "archived",
            4: "archived",
            5: "archived",
            6: "rectifying",
        }
        assert not Feedback.objects.filter(inspected_unit__inspection_round=rounds[1]).exists()
        closed = RectificationItem.objects.filter(problem__feedback__inspected_unit__inspection_round=rounds[5])
        assert closed.count() == 4
        assert set(closed.values_list("status", flat=True)) == {"signed_off", "long_term_maintained"}
        open_items = RectificationItem.objects.filter(problem__feedback__inspected_unit__inspection_round=rounds[6])
        assert open_items.count() == 15
        assert open_items.exclude(status__in=["signed_off", "long_term_maintained"]).count() == 15
        unit_statuses = {n: set(r.inspected_units.values_list("status", flat=True)) for n, r in rounds.items()}
        assert unit_statuses == {
            1: {"onsite"},
            2: {"rectified"},
            3: {"rectified"},
            4: {"rectified"},
            5: {"rectified"},
            6: {"rectifying"},
        }
        group_statuses = {n: set(r.groups.values_list("status", flat=True)) for n, r in rounds.items()}
        assert group_statuses == {
            1: {"stationed"},
            2: {"archived"},
            3: {"archived"},
            4: {"archived"},
            5: {"archived"},
            6: {"withdrawn"},
        }
        for round_no in (5, 6):
            units = rounds[round_no].inspected_units.all()
            assert (
                LiaisonAssignment.objects.filter(
                    liaison_office__inspected_unit__in=units, end_date__isnull=True
                ).count()
                == 4
            )

    def test_feedback_is_delivered_to_every_unit_of_rounds_2_to_6_with_problems_and_report_rows(
        self, seeded: str
    ) -> None:
        delivered = Feedback.objects.filter(status="delivered")
        assert delivered.count() == Feedback.objects.count() == 20
        assert {f.inspected_unit.inspection_round.round_no for f in delivered} == {2, 3, 4, 5, 6}
        for feedback in delivered:
            assert feedback.problems.count() == 3
            assert feedback.meeting_date > feedback.inspected_unit.inspection_round.actual_exit_date
            assert feedback.document_id is not None
            kinds = set(
                RectificationReport.objects.filter(inspected_unit=feedback.inspected_unit).values_list(
                    "kind", flat=True
                )
            )
            assert kinds == {"plan", "final"}
        # Round 6's ledger answers every problem (docs/domain.md §2.6).
        for feedback in delivered.filter(inspected_unit__inspection_round__round_no=6):
            assert all(problem.items.exists() for problem in feedback.problems.all())

    def test_every_item_status_appears_and_some_items_are_overdue(self, seeded: str) -> None:
        from liaison.selectors import overdue_q

        assert set(RectificationItem.objects.values_list("status", flat=True)) == set(RectificationItem.Status.values)
        overdue = RectificationItem.objects.filter(overdue_q(timezone.localdate()))
        assert 0 < overdue.count() < RectificationItem.objects.count()
        for item in RectificationItem.objects.select_related("problem__feedback"):
            assert item.deadline >= item.problem.feedback.meeting_date, item
        for item in RectificationItem.objects.filter(
            status__in=["signed_off", "pending_signoff", "long_term_maintained"]
        ):
            assert item.evidence_files.exists(), item
            assert item.completed_at is not None, item
        reopened = RectificationItem.objects.get(status="reopened")
        assert reopened.follow_up_checks.count() == 1
        returned = RectificationItem.objects.get(status="in_progress")
        assert returned.sign_off_note  # returned with a note

    def test_stats_report_the_liaison_and_rectification_figures(self, seeded: str) -> None:
        out = StringIO()
        call_command("stats", "--json", stdout=out)
        figures = json.loads(out.getvalue())
        assert figures["liaison_officer_count"] == 4
        assert figures["rectification_item_count"] == 19
        assert figures["rectification_signed_off_count"] == 3
        assert figures["rectification_overdue_count"] == 15  # neither signed off nor long-term, deadlines in 2018
        assert figures["rectification_completion_rate"] == 0.2105  # (3 signed off + 1 long-term) / 19
        assert figures["rectification_on_time_rate"] == 0.6667  # one of the three signed off late

    def test_the_liaison_officer_sees_its_unit_s_ledger_only(self, seeded: str) -> None:
        officer = User.objects.get(username="liaison_officer")
        visible = RectificationItem.objects.for_user(officer)
        own = RectificationItem.objects.filter(problem__feedback__inspected_unit__org_unit__short_name="区农业农村局")
        assert set(visible) == set(own)
        assert own.count() == 6
        other = RectificationItem.objects.exclude(pk__in=own).first()
        client = Client()
        client.force_login(officer)
        assert client.get(reverse("liaison:item-detail", args=[own.first().pk])).status_code == 200
        assert client.get(reverse("liaison:item-detail", args=[other.pk])).status_code == 404

    def test_no_liaison_reminder_is_left_pending_in_the_past(self, seeded: str) -> None:
        assert Reminder.objects.filter(kind__startswith="rectification.").exists()
        assert Reminder.objects.filter(kind__startswith="handover.").exists()
        assert not Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lt=timezone.now()).exists()


def first_round() -> InspectionRound:
    return InspectionRound.objects.order_by("year", "round_no").first()


def check_records() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_records", stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


class TestCheckRecords:
    """`manage.py check_records` (issue 13 item 9) on the demo: clean, and each corruption reported."""

    def test_the_demo_follows_every_rule(self, seeded: str) -> None:
        from core.records import registered_checks

        assert {"round_stages", "groups_follow_rounds", "units_follow_rounds", "letters_delivered", "clues_handed_over",
                "archived_rounds_closed", "feedback_after_site", "ledger_signed_off_dated",
                "reminders"} <= set(registered_checks())  # fmt: skip
        code, output = check_records()
        assert (code, output.strip()) == (0, "所有记录均符合规则。")

    def test_a_round_whose_records_do_not_allow_its_stage_is_listed(self, seeded: str) -> None:
        round_6 = InspectionRound.objects.get(round_no=6)
        InspectionRound.objects.filter(pk=round_6.pk).update(status=InspectionRound.Status.ARCHIVED)
        code, output = check_records()
        assert code == 1
        lines = output.splitlines()
        assert any(
            line.startswith("[round_stages] 十三届区委第六轮巡察（已归档）") and "区农业农村局" in line
            for line in lines
        )
        assert any(line.startswith("[groups_follow_rounds]") and "十三届区委第六轮巡察" in line for line in lines)
        assert any(line.startswith("[units_follow_rounds]") and "十三届区委第六轮巡察" in line for line in lines)
        assert lines[-1].endswith("项不符合规则。")

    def test_feedback_on_site_an_unhanded_clue_and_an_undated_sign_off_are_listed(self, seeded: str) -> None:
        round_1 = InspectionRound.objects.get(round_no=1)
        feedback = Feedback.objects.filter(inspected_unit__inspection_round__round_no=6).first()
        Feedback.objects.filter(pk=feedback.pk).update(inspected_unit=round_1.inspected_units.first())
        clue = Clue.objects.filter(status=Clue.Status.CASE_FILED).order_by("code").first()
        clue.handovers.all().delete()
        item = RectificationItem.objects.filter(status="signed_off").first()
        RectificationItem.objects.filter(pk=item.pk).update(signed_off_at=None)
        code, output = check_records()
        assert code == 1
        assert "[feedback_after_site]" in output
        assert "十三届区委第一轮巡察" in output
        assert f"[clues_handed_over] 线索{clue.code}" in output
        assert "[ledger_signed_off_dated]" in output

    def test_a_letter_without_its_grant_and_a_reminder_for_a_closed_record_are_listed(self, seeded: str) -> None:
        from django.contrib.contenttypes.models import ContentType

        from clues.models import InfoRequestLetter, LetterGroupObjectPermission

        letter = InfoRequestLetter.objects.order_by("pk").first()
        LetterGroupObjectPermission.objects.filter(content_object=letter).delete()
        item = RectificationItem.objects.filter(status="signed_off").first()
        Reminder.objects.create(
            target_type=ContentType.objects.get_for_model(item),
            target_id=str(item.pk),
            kind="rectification.red",
            due_at=timezone.now(),
        )
        code, output = check_records()
        assert code == 1
        assert f"[letters_delivered] {letter.doc_number}" in output
        assert "[reminders] rectification.red" in output

    def test_an_archived_round_s_groups_still_reading_its_clues_are_listed(self, seeded: str) -> None:
        from core.permissions import grant, scope_group

        round_2 = InspectionRound.objects.get(round_no=2)
        clue = Clue.objects.filter(inspection_round=round_2, assigned_group__isnull=False).first()
        grant("view", clue, to=scope_group(clue.assigned_group))
        code, output = check_records()
        assert code == 1
        assert "[archived_rounds_closed] 十三届区委第二轮巡察" in output
