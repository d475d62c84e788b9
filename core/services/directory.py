"""Organisations, people and user accounts."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from core import audit
from core.models import Organisation, Person, User
from core.permissions import scope_group
from core.roles import Role
from core.services.roles import NO_ROLES, record_role_change


@transaction.atomic
def ensure_organisation(*, by: User | None, name: str, unit_type: str, **fields: Any) -> Organisation:
    """The organisation with this full name, created (and audited) if it does not exist yet."""
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is not None:
        return organisation
    organisation = Organisation(name=name, unit_type=unit_type, created_by=by, **fields)
    organisation.full_clean()
    organisation.save()
    audit.log_change(user=by, obj=organisation, before=None)
    return organisation


@transaction.atomic
def create_person(*, by: User | None, name: str, home_unit: Organisation, **fields: Any) -> Person:
    person = Person(name=name, home_unit=home_unit, created_by=by, **fields)
    person.full_clean()
    person.save()
    audit.log_change(user=by, obj=person, before=None)
    return person


def receiving_scopes(organisation: Organisation | None) -> list[Group]:
    """A receiver in an internal office (案管室) receives what is transferred to its commission too."""
    scopes = []
    while organisation is not None:
        scopes.append(scope_group(organisation, "receive"))
        organisation = organisation.parent
    return scopes


# The circle of its organisation a login joins by role: a grant to a unit's partner circle
# reaches its partner users and nobody else of that unit (need to know, docs/domain.md §5.2).
ORGANISATION_CIRCLES = {Role.PARTNER_USER: "partner", Role.HOME_UNIT_CONTACT: "home_unit"}


def organisation_circles(organisation: Organisation, roles: list[Role]) -> list[Group]:
    circles = [scope_group(organisation, ORGANISATION_CIRCLES[r]) for r in roles if r in ORGANISATION_CIRCLES]
    if {Role.COMMISSION_RECEIVER, Role.ORGDEPT_RECEIVER} & set(roles):
        circles += receiving_scopes(organisation)
    return circles


@transaction.atomic
def create_user_account(
    *,
    by: User | None,
    username: str,
    password: str | None,
    roles: Iterable[str],
    organisation: Organisation | None = None,
    person: Person | None = None,
    **fields: Any,
) -> User:
    """A login with its roles; it joins the circles of its organisation that its roles give it.

    The password must pass the policy (settings.AUTH_PASSWORD_VALIDATORS), checked against the
    account's own names; a ValidationError carries the reasons. None makes an account nobody can
    sign in to until a password is set in the admin (a secondee's, talentpool.services.secondments).
    """
    role_list = [Role(r) for r in roles]
    user = User(username=username, organisation=organisation, person=person, **fields)
    user.full_clean(exclude=["password"])
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.save()
    user.groups.add(*Group.objects.filter(name__in=[r.value for r in role_list]))
    if organisation is not None:
        user.groups.add(*organisation_circles(organisation, role_list))
    audit.log_change(user=by, obj=user, before=None)
    if by is not None:
        # Accounts the demo seed and setup commands make (by=None) tell nobody; a person's grant does.
        record_role_change(user=user, by=by, before=NO_ROLES)
    return user


@transaction.atomic
def deactivate_user(*, user: User, by: Any, request: Any = None) -> User:
    """Close an account for good but keep it: its audit entries must keep naming their actor."""
    before = audit.snapshot(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.log_change(user=by, obj=user, before=before, request=request)
    return user


def office_staff_users() -> list[User]:
    """Who chases by phone what no account of a unit can receive (线下送达): the office staff,
    or the office heads where the office has no staff account."""
    for role in (Role.OFFICE_STAFF, Role.OFFICE_HEAD):
        users = list(User.objects.filter(is_active=True, groups__name=role).distinct().order_by("pk"))
        if users:
            return users
    return []


def users_with_role(*roles: str, organisation: Organisation | None = None) -> list[User]:
    """The active accounts holding any of `roles` (of `organisation` when given), in a stable order."""
    users = User.objects.filter(is_active=True, groups__name__in=roles)
    if organisation is not None:
        users = users.filter(organisation=organisation)
    return list(users.distinct().order_by("pk"))
