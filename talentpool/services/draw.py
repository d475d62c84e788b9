"""The draw (抽调): proposing candidates for a group from the active inspection pool.

The proposal honours the requested skill mix, never names someone whose home unit is one of
the group's units, who has a conflict declared for one of them or who is already committed in
the round, passes over people at their yearly cap, prefers those least recently seconded, and
breaks ties with a random generator seeded by the draw's recorded seed. The same seed, inputs
and data give the same proposal, so a draw can be repeated and audited.
"""

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.models import AuditLog, User
from inspection.models import GroupMembership, InspectionGroup
from inspection.services.workflow import GROUP_SIZE_MAX
from talentpool.models import Draw, SecondmentRequest, Specialty, TalentPoolEntry
from talentpool.selectors.secondments import refused_person_ids, secondment_history, unit_conflicts
from talentpool.services.secondments import create_request

# Why a pool member was left out; the first three are hard rules no override can lift.
EXCLUSION_REASONS = {
    "home_unit": gettext_lazy("Home unit is inspected by this group"),
    "conflict": gettext_lazy("Declared conflict with a unit of this group"),
    "committed": gettext_lazy("Already requested or serving in this round"),
    "refused": gettext_lazy("Home unit refused to release them in this round"),
    "yearly_cap": gettext_lazy("Reached the yearly cap of secondments"),
}
# A refusal in the round is answered by escalation (the head) or a substitute, never by asking again.
HARD_REASONS = frozenset({"home_unit", "conflict", "committed", "refused"})
# Seeds fit the BigIntegerField and stay readable when written down for an audit.
SEED_LIMIT = 10**12


def _active_entries() -> list[TalentPoolEntry]:
    return list(
        TalentPoolEntry.objects.filter(
            pool_type=TalentPoolEntry.PoolType.INSPECTION, status=TalentPoolEntry.Status.ACTIVE
        )
        .select_related("person__home_unit")
        .order_by("pk")
    )


def _describe(entry: TalentPoolEntry, history: Any) -> dict[str, Any]:
    return {
        "entry": entry.pk,
        "person": entry.person_id,
        "name": entry.person.name,
        "specialty": entry.specialty,
        "home_unit": entry.person.home_unit.name,
        "last_seconded": history.last_seconded.isoformat() if history and history.last_seconded else None,
        "this_year": history.this_year if history else 0,
    }


def _ranked(*, group: InspectionGroup, seed: int, yearly_cap: int) -> tuple[list[dict], list[dict]]:
    """Every active inspection-pool member, as (eligible in order of preference, excluded with reasons)."""
    entries = _active_entries()
    person_ids = [entry.person_id for entry in entries]
    conflicts = unit_conflicts(group, person_ids)
    refused = refused_person_ids(group.inspection_round)
    history = secondment_history(person_ids, group.inspection_round.year)
    # One number per entry in pk order, so the tie-breaks depend on the seed and the pool only.
    rng = random.Random(seed)  # noqa: S311 - reproducibility, not secrecy, is the point
    tie_break = {entry.pk: rng.random() for entry in entries}
    eligible, excluded = [], []
    for entry in entries:
        row = _describe(entry, history.get(entry.person_id))
        reasons = list(conflicts.get(entry.person_id, []))
        if entry.person_id in refused:
            reasons.append("refused")
        if row["this_year"] >= yearly_cap:
            reasons.append("yearly_cap")
        if reasons:
            excluded.append({**row, "reasons": reasons, "hard": bool(HARD_REASONS.intersection(reasons))})
        else:
            eligible.append(row)
    # Never seconded first, then the longest ago; fewer secondments this year first; then chance.
    eligible.sort(key=lambda r: (r["last_seconded"] or "", r["this_year"], tie_break[r["entry"]]))
    return eligible, excluded


def _clean_mix(skill_mix: dict[str, int]) -> dict[str, int]:
    mix = {code: int(n) for code, n in skill_mix.items() if int(n) > 0}
    if not mix or any(code not in Specialty.values for code in mix):
        raise ValidationError(_("Ask for at least one person of a known specialty."))
    # Specialty order, so the same mix written differently draws the same way.
    return {code: mix[code] for code in Specialty.values if code in mix}


@transaction.atomic
def draw_candidates(
    *, group: InspectionGroup, skill_mix: dict[str, int], yearly_cap: int, by: User, seed: int | None = None
) -> Draw:
    """Propose candidates for group and record the draw with its seed, inputs and exclusions.

    Without a seed a fresh one is chosen; giving a recorded seed repeats that draw.
    """
    mix = _clean_mix(skill_mix)
    if seed is None:
        seed = random.SystemRandom().randrange(SEED_LIMIT)
    eligible, excluded = _ranked(group=group, seed=seed, yearly_cap=yearly_cap)
    candidates = []
    for specialty, count in mix.items():
        chosen = [row for row in eligible if row["specialty"] == specialty][:count]
        candidates += [{**row, "state": "proposed"} for row in chosen]
    draw = Draw(
        group=group,
        seed=seed,
        skill_mix=mix,
        yearly_cap=yearly_cap,
        candidates=candidates,
        excluded=excluded,
        created_by=by,
    )
    # An empty proposal, or nobody excluded, is a valid outcome the model's JSON fields do not allow for.
    draw.full_clean(exclude=["candidates", "excluded"])
    draw.save()
    audit.log_change(user=by, obj=draw, before=None)
    return draw


def shortfall(draw: Draw) -> dict[str, int]:
    """Specialties for which the pool had fewer eligible people than asked for."""
    proposed = [c for c in draw.candidates if c["state"] != "replaced"]
    return {
        code: count - sum(1 for c in proposed if c["specialty"] == code)
        for code, count in draw.skill_mix.items()
        if sum(1 for c in proposed if c["specialty"] == code) < count
    }


@dataclass(frozen=True)
class GroupSize:
    """A group's size if the draw's open candidates all joined: members, requests under way, proposed."""

    members: int
    pending: int
    proposed: int

    @property
    def total(self) -> int:
        return self.members + self.pending + self.proposed

    @property
    def too_big(self) -> bool:
        return self.total > GROUP_SIZE_MAX


# Requests that will still bring their person into the group (not yet a membership).
_PENDING = (
    SecondmentRequest.Status.DRAFT,
    SecondmentRequest.Status.REQUESTED,
    SecondmentRequest.Status.ESCALATED,
    SecondmentRequest.Status.ACCEPTED,
)


def group_size(group: InspectionGroup, draw: Draw | None = None) -> GroupSize:
    """docs/domain.md §7: a group normally has 5 to 7 members; the draw page warns beyond that."""
    return GroupSize(
        members=GroupMembership.objects.filter(group=group, end_date__isnull=True).count(),
        pending=SecondmentRequest.objects.filter(group=group, status__in=_PENDING).count(),
        proposed=sum(1 for row in draw.candidates if row["state"] == "proposed") if draw is not None else 0,
    )


def size_warning(size: GroupSize) -> str:
    """The warning for a group the draw would make too big; empty when it fits."""
    if not size.too_big:
        return ""
    return _(
        "The group has %(members)s members and %(pending)s requests under way; with %(proposed)s more proposed it "
        "would have %(total)s people, more than the usual %(max)s."
    ) % {
        "members": size.members,
        "pending": size.pending,
        "proposed": size.proposed,
        "total": size.total,
        "max": GROUP_SIZE_MAX,
    }


def _locked(draw: Draw) -> Draw:
    return (
        Draw.objects.select_for_update(no_key=True, of=("self",))
        .select_related("group__inspection_round")
        .get(pk=draw.pk)
    )


def _candidate(draw: Draw, entry_id: int, state: str = "proposed") -> dict[str, Any]:
    for row in draw.candidates:
        if row["entry"] == entry_id and row["state"] == state:
            return row
    raise ValidationError(_("This person is no longer an open candidate of the draw; reload the page."))


def _record(draw: Draw, by: User, note: str) -> Draw:
    draw.save(update_fields=["candidates", "updated_at"])
    audit.log_action(user=by, action=AuditLog.Action.UPDATE, obj=draw, note=note)
    return draw


@transaction.atomic
def replace_candidate(*, draw: Draw, entry_id: int, by: User) -> Draw:
    """Swap one proposed candidate for the next eligible person of the same specialty, in the draw's order."""
    draw = _locked(draw)
    old = _candidate(draw, entry_id)
    taken = {row["entry"] for row in draw.candidates}
    eligible, _excluded = _ranked(group=draw.group, seed=draw.seed, yearly_cap=draw.yearly_cap)
    following = [row for row in eligible if row["specialty"] == old["specialty"] and row["entry"] not in taken]
    if not following:
        raise ValidationError(_("The pool has no other eligible person of this specialty."))
    old["state"] = "replaced"
    draw.candidates.append({**following[0], "state": "proposed", "replaces": old["entry"]})
    return _record(draw, by, f"replaced {old['name']} by {following[0]['name']}")


@transaction.atomic
def override_candidate(*, draw: Draw, entry: TalentPoolEntry, by: User, note: str, replaces: int | None = None) -> Draw:
    """Put a person of the office's choosing on the proposal, optionally in place of a candidate.

    A soft exclusion (the yearly cap) may be overridden with a note; a hard one (home unit,
    declared conflict, already committed in the round) is refused.
    """
    draw = _locked(draw)
    if entry.pool_type != TalentPoolEntry.PoolType.INSPECTION or entry.status != TalentPoolEntry.Status.ACTIVE:
        raise ValidationError(_("Only an active member of the inspection pool can be proposed."))
    if any(row["entry"] == entry.pk and row["state"] != "replaced" for row in draw.candidates):
        raise ValidationError(_("This person is already on the proposal."))
    hard = unit_conflicts(draw.group, [entry.person_id]).get(entry.person_id, [])
    if entry.person_id in refused_person_ids(draw.group.inspection_round):
        hard.append("refused")
    if hard:
        raise ValidationError(
            _("%(name)s cannot be proposed for this group: %(reasons)s. An override never lifts this rule.")
            % {"name": entry.person.name, "reasons": "；".join(str(EXCLUSION_REASONS[r]) for r in hard)}
        )
    history = secondment_history([entry.person_id], draw.group.inspection_round.year).get(entry.person_id)
    if replaces is not None:
        _candidate(draw, replaces)["state"] = "replaced"
    row = {**_describe(entry, history), "state": "proposed", "override": True, "note": note}
    if replaces is not None:
        row["replaces"] = replaces
    draw.candidates.append(row)
    return _record(draw, by, f"override: {entry.person.name} ({note})")


@transaction.atomic
def accept_proposal(
    *, draw: Draw, by: User, period_from: date | None = None, period_to: date | None = None
) -> list[Any]:
    """Every open candidate becomes a draft secondment request to their home unit, linked to the draw."""
    draw = _locked(draw)
    open_rows = [row for row in draw.candidates if row["state"] == "proposed"]
    if not open_rows:
        raise ValidationError(_("The proposal has no open candidate left to accept."))
    entries = TalentPoolEntry.objects.select_related("person").in_bulk([row["entry"] for row in open_rows])
    created = []
    for row in open_rows:
        request = create_request(
            entry=entries[row["entry"]],
            group=draw.group,
            by=by,
            draw=draw,
            period_from=period_from,
            period_to=period_to,
        )
        row["state"] = "accepted"
        row["request"] = request.pk
        created.append(request)
    _record(draw, by, f"accepted {len(created)} candidates")
    return created
