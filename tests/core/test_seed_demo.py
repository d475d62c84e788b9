"""The demo data (core/demo, `manage.py seed_demo`) and the figures `manage.py stats` reports on it."""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from clues.models import PartnerUnit
from core.demo import data
from core.models import AuditLog, Organisation, Person, User
from inspection.models import GroupMembership, InspectedUnit, InspectionGroup, InspectionRound
from tests.conftest import make_user

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
]

# DOMAIN §2.4, in order.
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
    # Thirteen accounts are hashed per seed; the hasher is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def seeded(db: Any) -> str:
    return seed()


def test_seeding_twice_changes_nothing(seeded: str) -> None:
    first = counts()
    assert all(first.values()), first  # every counted table got rows
    seed()
    assert counts() == first


def test_there_are_twelve_partners_in_the_documented_order_with_aliases(seeded: str) -> None:
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


def test_round_one_has_two_groups_and_four_units(seeded: str) -> None:
    inspection_round = InspectionRound.objects.get()
    assert inspection_round.title == "十三届区委第一轮巡察"
    assert (inspection_round.committee_term, inspection_round.year, inspection_round.round_no) == (13, 2017, 1)
    assert inspection_round.kickoff_date.isoformat() == "2017-08-01"
    assert inspection_round.created_by.username == "office_head"

    groups = list(inspection_round.groups.order_by("number"))
    assert [g.number for g in groups] == [1, 2]
    units = {g.number: sorted(u.org_unit.short_name for u in g.inspected_units.all()) for g in groups}
    assert units == {1: sorted(["区住建局", "区民政局"]), 2: sorted(["区教育局", "东城街道"])}
    assert InspectedUnit.objects.filter(inspection_round=inspection_round).count() == 4


def test_round_one_has_fourteen_members_eight_of_them_seconded(seeded: str) -> None:
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


def test_the_command_prints_the_demo_accounts(seeded: str) -> None:
    for username, *_ in data.ACCOUNTS:
        assert username in seeded
    assert data.DEMO_PASSWORD in seeded


@pytest.mark.parametrize("username", [row[0] for row in data.ACCOUNTS])
def test_every_demo_account_can_log_in(seeded: str, username: str) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": data.DEMO_PASSWORD})
    assert response.status_code == 302, username
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_does_not_log_in(seeded: str) -> None:
    response = Client().post("/accounts/login/", {"username": "office_head", "password": "wrong-password-2017"})
    assert response.status_code == 200  # the form again, with an error


def test_demo_accounts_are_linked_to_their_people_and_roles(seeded: str) -> None:
    leader = User.objects.get(username="group_leader")
    assert leader.person is not None
    assert leader.person.name == "刘强"
    assert leader.groups.filter(name="group_leader").exists()
    assert User.objects.get(username="sysadmin").is_staff
    assert not User.objects.get(username="office_head").is_staff


def test_the_group_member_account_sees_only_its_groups_units(seeded: str) -> None:
    member = User.objects.get(username="group_member")
    visible = sorted(InspectedUnit.objects.for_user(member).values_list("org_unit__short_name", flat=True))
    assert visible == sorted(["区住建局", "区民政局"])


def test_stats_reports_the_demo_figures(seeded: str) -> None:
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["partner_unit_count"] == 12
    assert figures["inspected_unit_count"] == 4
    assert figures["seconded_share"] == 0.5714
    assert figures["letters_sent"] == 12
    assert figures["partner_clue_count"] == 46
    assert figures["online_opinion_count"] == 12


def test_stats_on_an_empty_database(db: Any) -> None:
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["partner_unit_count"] == 0
    assert figures["inspected_unit_count"] == 0
    assert figures["seconded_share"] is None
    assert figures["letters_sent"] == 0
    assert figures["partner_clue_count"] == 0


def test_if_empty_does_nothing_when_a_user_exists(db: Any) -> None:
    make_user("someone")
    before = counts()
    output = seed("--if-empty")
    assert counts() == before
    assert not PartnerUnit.objects.exists()
    assert not InspectionRound.objects.exists()
    assert "演示账号" in output  # the accounts are still listed


def test_if_empty_seeds_an_empty_database(db: Any) -> None:
    seed("--if-empty")
    assert User.objects.count() == len(data.ACCOUNTS)
    assert PartnerUnit.objects.count() == 12
    assert InspectionRound.objects.count() == 1


def test_round_one_letters_follow_the_recipe(seeded: str) -> None:
    """DOMAIN §4.3: 12 numbered letters, 46 clues spread 14/12/11/9, two duplicates flagged and
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
