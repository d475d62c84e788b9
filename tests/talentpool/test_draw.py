"""The draw: skill mix, hard exclusions, fairness, reproducibility, replace and override."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.permissions import scope_group
from inspection.services import add_member
from talentpool.models import SecondmentRequest, TalentPoolEntry
from talentpool.services import draw as draws
from talentpool.services.recusals import declare_recusal
from tests.talentpool import secondment_fixtures
from tests.talentpool.secondment_fixtures import home, pooled, requested

# The shared fixture, made visible to this module's tests.
sec_world = secondment_fixtures.sec_world
pytestmark = pytest.mark.django_db

MIX = {"finance_audit": 1, "discipline": 1, "organization_personnel": 1}


def _draw(world, mix=None, **kwargs):
    kwargs.setdefault("yearly_cap", 2)
    return draws.draw_candidates(group=world.group_a, skill_mix=mix or MIX, by=world.users["office_staff"], **kwargs)


def _names(draw):
    return [row["name"] for row in draw.candidates if row["state"] == "proposed"]


def _excluded(draw):
    return {row["name"]: row["reasons"] for row in draw.excluded}


def _served(entry, *, days_ago, round_=None, world=None):
    """A past secondment of entry's person, released days_ago days ago (in another round)."""
    from inspection.services import create_round

    round_ = round_ or create_round(by=None, committee_term=12, year=2017, round_no=days_ago, title=f"旧轮{days_ago}")
    return SecondmentRequest.objects.create(
        inspection_round=round_,
        person=entry.person,
        pool_entry=entry,
        home_unit=entry.person.home_unit,
        status=SecondmentRequest.Status.COMPLETED,
        confirmed_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_draw_honours_the_skill_mix(sec_world):
    x = home(sec_world)
    for specialty in ("finance_audit", "discipline", "organization_personnel", "petition"):
        for _ in range(3):
            pooled(x, specialty)
    draw = _draw(sec_world)
    assert sorted(row["specialty"] for row in draw.candidates) == sorted(MIX)
    assert draw.skill_mix == MIX
    assert draws.shortfall(draw) == {}


def test_a_shortfall_is_reported_when_the_pool_runs_dry(sec_world):
    pooled(home(sec_world), "finance_audit")
    draw = _draw(sec_world, {"finance_audit": 2})
    assert draws.shortfall(draw) == {"finance_audit": 1}


def test_home_units_and_declared_conflicts_are_never_proposed(sec_world):
    own = pooled(sec_world.unit_a.org_unit, name="本单位人")
    internal = pooled(
        type(sec_world.unit_a.org_unit).objects.create(
            name="被巡察单位A办公室", unit_type="gov_dept", parent=sec_world.unit_a.org_unit
        ),
        name="下属单位人",
    )
    related = pooled(home(sec_world), name="有亲属")
    declare_recusal(
        by=None,
        person=related.person,
        inspected_unit=sec_world.unit_a,
        has_conflict=True,
        relationships=[{"type": "spouse", "related_name": "某某", "related_position": "局长"}],
    )
    free = pooled(home(sec_world), name="无冲突")
    draw = _draw(sec_world, {"finance_audit": 4})
    assert _names(draw) == [free.person.name]
    excluded = _excluded(draw)
    assert excluded[own.person.name] == ["home_unit"]
    assert excluded[internal.person.name] == ["home_unit"]
    assert excluded[related.person.name] == ["conflict"]
    assert all(row["hard"] for row in draw.excluded)


def test_people_already_committed_in_the_round_are_never_proposed(sec_world):
    asked = pooled(home(sec_world), name="已商调")
    requested(sec_world, asked, group=sec_world.group_b)
    member = pooled(home(sec_world), name="已在组")
    add_member(by=None, group=sec_world.group_b, person=member.person)
    draw = _draw(sec_world, {"finance_audit": 5})
    assert _names(draw) == []
    assert _excluded(draw) == {"已商调": ["committed"], "已在组": ["committed"]}


def test_the_least_recently_seconded_come_first_and_the_yearly_cap_excludes(sec_world):
    x = home(sec_world)
    recent, long_ago, _never, capped = (pooled(x, name=n) for n in ("最近", "很久以前", "从未", "到上限"))
    _served(recent, days_ago=10)
    _served(long_ago, days_ago=300)
    _served(capped, days_ago=20)
    _served(capped, days_ago=40)
    draw = _draw(sec_world, {"finance_audit": 3})
    assert _names(draw) == ["从未", "很久以前", "最近"]
    assert _excluded(draw) == {"到上限": ["yearly_cap"]}
    assert draw.excluded[0]["hard"] is False


def test_the_same_seed_gives_the_same_draw_and_the_seed_is_recorded(sec_world):
    for _ in range(12):
        pooled(home(sec_world))
    first = _draw(sec_world, {"finance_audit": 3})
    again = _draw(sec_world, {"finance_audit": 3}, seed=first.seed)
    assert first.seed == again.seed
    assert _names(first) == _names(again)
    picks = {tuple(_names(_draw(sec_world, {"finance_audit": 3}, seed=seed))) for seed in range(1, 11)}
    assert len(picks) > 1  # ties really are broken by chance


def test_replacing_a_candidate_takes_the_next_of_the_same_specialty(sec_world):
    x = home(sec_world)
    for _ in range(4):
        pooled(x, "discipline")
    pooled(x, "finance_audit")
    draw = _draw(sec_world, {"discipline": 1}, seed=7)
    ranked = [row["name"] for row in draws._ranked(group=sec_world.group_a, seed=7, yearly_cap=2)[0]]
    ranked = [n for n in ranked if TalentPoolEntry.objects.get(person__name=n).specialty == "discipline"]
    draw = draws.replace_candidate(draw=draw, entry_id=draw.candidates[0]["entry"], by=sec_world.users["office_staff"])
    assert [row["state"] for row in draw.candidates] == ["replaced", "proposed"]
    assert _names(draw) == [ranked[1]]
    assert draw.candidates[1]["replaces"] == draw.candidates[0]["entry"]


def test_an_override_of_a_hard_conflict_is_refused(sec_world):
    pooled(home(sec_world))
    own = pooled(sec_world.unit_a.org_unit, name="本单位人")
    draw = _draw(sec_world, {"finance_audit": 1})
    with pytest.raises(ValidationError, match="本单位人"):
        draws.override_candidate(draw=draw, entry=own, by=sec_world.users["office_staff"], note="熟悉情况")
    draw.refresh_from_db()
    assert "本单位人" not in _names(draw)


def test_an_override_of_the_yearly_cap_is_recorded_with_its_note(sec_world):
    pooled(home(sec_world), name="候选")
    capped = pooled(home(sec_world), name="到上限")
    _served(capped, days_ago=20)
    draw = _draw(sec_world, {"finance_audit": 1}, yearly_cap=1)
    draw = draws.override_candidate(
        draw=draw,
        entry=capped,
        by=sec_world.users["office_staff"],
        note="专业急需",
        replaces=draw.candidates[0]["entry"],
    )
    assert _names(draw) == ["到上限"]
    assert draw.candidates[-1]["override"] is True
    assert draw.candidates[-1]["note"] == "专业急需"


def test_accepting_turns_each_candidate_into_a_draft_request_the_leaders_may_see(sec_world):
    x = home(sec_world)
    for specialty in MIX:
        pooled(x, specialty)
    draw = _draw(sec_world)
    created = draws.accept_proposal(draw=draw, by=sec_world.users["office_staff"])
    assert len(created) == 3
    assert {r.status for r in created} == {SecondmentRequest.Status.DRAFT}
    assert {r.draw_id for r in created} == {draw.pk}
    draw.refresh_from_db()
    assert {row["state"] for row in draw.candidates} == {"accepted"}
    leaders = scope_group(sec_world.group_a, "leaders")
    assert set(SecondmentRequest.objects.for_user(sec_world.users["leader_a"])) == set(created)
    assert leaders.user_set.filter(pk=sec_world.users["leader_a"].pk).exists()
    assert not SecondmentRequest.objects.for_user(sec_world.users["member_a"]).exists()
    with pytest.raises(ValidationError):
        draws.accept_proposal(draw=draw, by=sec_world.users["office_staff"])
