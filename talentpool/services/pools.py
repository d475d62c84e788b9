"""The two talent pools (巡察人才库, 办案人才库, docs/domain.md §2.7): nomination and every status move.

An entry goes nominated → vetted → active; an active entry may be suspended and reinstated;
any live entry may be removed. A removed entry is final: the person is nominated again as a
new entry, so the history of the old one stays as it was. Every move is audited.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, transitions
from core.models import Organisation, Person, User
from core.services.directory import create_person
from talentpool.importing.parser import RosterResult
from talentpool.models import TalentPoolEntry

S = TalentPoolEntry.Status

# Each move: the statuses it starts from, and the status it leads to (in the order pages offer them).
WORKFLOW = transitions.register(
    transitions.Workflow(
        TalentPoolEntry,
        [
            transitions.Transition("vet", (S.NOMINATED,), S.VETTED),
            transitions.Transition("activate", (S.VETTED,), S.ACTIVE),
            transitions.Transition("suspend", (S.ACTIVE,), S.SUSPENDED),
            transitions.Transition("reinstate", (S.SUSPENDED,), S.ACTIVE),
            transitions.Transition("remove", (S.NOMINATED, S.VETTED, S.ACTIVE, S.SUSPENDED), S.REMOVED),
        ],
        related=("person",),
    )
)
NEEDS_REASON = frozenset({"suspend", "remove"})


def available_moves(entry: TalentPoolEntry) -> list[str]:
    """The moves open to the entry in its current status, in the order the page offers them."""
    return [name for name, move in WORKFLOW.by_name.items() if entry.status in move.sources]


@transaction.atomic
def nominate(
    *,
    by: User,
    pool_type: str,
    specialty: str,
    person: Person | None = None,
    new_person: dict[str, Any] | None = None,
    nominated_by_unit: Organisation | None = None,
    admitted: bool = False,
    today: date | None = None,
) -> TalentPoolEntry:
    """Put a person (existing, or created from `new_person`: name, home_unit, …) into a pool.

    Refused when the person already has a live entry in that pool. `admitted` enters a cadre a
    roster lists as already in the pool (在库): active, vetted and approved today.
    """
    today = today or timezone.localdate()
    if person is None:
        if not new_person:
            raise ValidationError(_("Choose a person or enter a new one."))
        person = create_person(by=by, **new_person)
    if TalentPoolEntry.objects.filter(person=person, pool_type=pool_type).exclude(status=S.REMOVED).exists():
        raise ValidationError(_("%(name)s is already in this pool.") % {"name": person.name})
    entry = TalentPoolEntry(
        person=person,
        pool_type=pool_type,
        specialty=specialty,
        nominated_by_unit=nominated_by_unit,
        nominated_at=today,
        created_by=by,
    )
    if admitted:
        entry.status, entry.vetted_at, entry.approved_at = S.ACTIVE, today, today
    entry.full_clean()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        # Another nomination of the same person got there between the check and the insert.
        raise ValidationError(_("%(name)s is already in this pool.") % {"name": person.name}) from exc
    audit.log_change(user=by, obj=entry, before=None)
    return entry


def _move(entry: TalentPoolEntry, move: str, *, by: User, note: str = "", **fields: Any) -> TalentPoolEntry:
    return transitions.perform(entry, move, by=by, note=note, fields=fields)


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason."))
    return reason[:200]


@transaction.atomic
def vet(*, entry: TalentPoolEntry, by: User, today: date | None = None) -> TalentPoolEntry:
    """The eligibility review passed (资格审查): nominated → vetted."""
    return _move(entry, "vet", by=by, vetted_at=today or timezone.localdate())


@transaction.atomic
def activate(*, entry: TalentPoolEntry, by: User, today: date | None = None) -> TalentPoolEntry:
    """The leading group approved the vetted cadre: vetted → active (in the pool, can be drawn)."""
    return _move(entry, "activate", by=by, approved_at=today or timezone.localdate())


@transaction.atomic
def suspend(*, entry: TalentPoolEntry, by: User, reason: str) -> TalentPoolEntry:
    """Take an active cadre out of draws for a while (illness, a key task); the reason is kept."""
    reason = _reason(reason)
    return _move(entry, "suspend", by=by, note=reason, removal_reason=reason)


@transaction.atomic
def reinstate(*, entry: TalentPoolEntry, by: User) -> TalentPoolEntry:
    """A suspended cadre is active again; the suspension's reason stays in the history."""
    return _move(entry, "reinstate", by=by, removal_reason="")


@transaction.atomic
def remove(*, entry: TalentPoolEntry, by: User, reason: str) -> TalentPoolEntry:
    """Take a cadre out of the pool for good (regular review, unfit); frees the person's place."""
    reason = _reason(reason)
    return _move(entry, "remove", by=by, note=reason, removal_reason=reason)


@transaction.atomic
def import_roster(*, by: User, result: RosterResult, today: date | None = None) -> list[TalentPoolEntry]:
    """Nominate every row of a checked roster in one transaction; a roster with any problem is
    refused whole, so that a corrected file can simply be imported again."""
    if not result.ok:
        raise ValidationError(_("The roster has problems; nothing was imported."))
    organisations = Organisation.objects.in_bulk(
        {row.values["home_unit_id"] for row in result.rows}
        | {row.values["nominated_by_id"] for row in result.rows} - {None}
    )
    people = Person.objects.in_bulk({row.person_id for row in result.rows} - {None})
    # A person new to the directory may be listed for both pools: created once, on the first row.
    created: dict[tuple[str, int, int | None], Person] = {}
    entries = []
    for row in result.rows:
        values = row.values
        person_key = (values["name"], values["home_unit_id"], values["birth_year"])
        person = people.get(row.person_id) or created.get(person_key)
        new_person = None
        if person is None:
            new_person = {
                "name": values["name"],
                "home_unit": organisations[values["home_unit_id"]],
                **{key: values[key] for key in ("gender", "birth_year", "position", "rank", "phone", "specialties")},
            }
        entry = nominate(
            by=by,
            pool_type=values["pool_type"],
            specialty=values["specialties"][0],
            person=person,
            new_person=new_person,
            nominated_by_unit=organisations.get(values["nominated_by_id"]),
            admitted=values["admitted"],
            today=today,
        )
        created.setdefault(person_key, entry.person)
        entries.append(entry)
    return entries
