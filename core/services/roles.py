from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditLog, User
from core.roles import ROLE_PERMISSIONS, Role
from core.services.notifications import notify


def sync_role_permissions(**_: Any) -> None:
    """Give each role group exactly the model permissions core.roles lists for it."""
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={name.split(".", 1)[1] for name in wanted}
        )
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([by_name[name] for name in perms if name in by_name])


@dataclass(frozen=True)
class RoleState:
    """What an account may do: its groups (roles and scope circles), raw permissions and flags."""

    groups: frozenset[str]
    permissions: frozenset[str]
    is_superuser: bool
    is_staff: bool


NO_ROLES = RoleState(frozenset(), frozenset(), is_superuser=False, is_staff=False)


def role_state(user: User) -> RoleState:
    """Read from the database, so a form's unsaved values never count."""
    fresh = User.objects.get(pk=user.pk)
    return RoleState(
        groups=frozenset(fresh.groups.values_list("name", flat=True)),
        permissions=frozenset(
            f"{app}.{codename}"
            for app, codename in fresh.user_permissions.values_list("content_type__app_label", "codename")
        ),
        is_superuser=fresh.is_superuser,
        is_staff=fresh.is_staff,
    )


def role_changes(before: RoleState, after: RoleState) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name in ("groups", "permissions"):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changes[name] = [sorted(old), sorted(new)]
    for name in ("is_superuser", "is_staff"):
        if getattr(before, name) != getattr(after, name):
            changes[name] = [getattr(before, name), getattr(after, name)]
    return changes


@transaction.atomic
def record_role_change(
    *, user: User, by: Any, before: RoleState, request: HttpRequest | None = None
) -> AuditLog | None:
    """Audit a change of an account's roles or flags and tell the office heads; None when nothing changed.

    Every path that grants or takes away a role calls this: the admin and create_user_account.
    """
    changes = role_changes(before, role_state(user))
    if not changes:
        return None
    entry = audit.log_action(
        user=by, action=AuditLog.Action.UPDATE, obj=user, changes=changes, request=request, note=_("Roles changed")
    )
    notify(
        recipients=User.objects.filter(is_active=True, groups__name=Role.OFFICE_HEAD).distinct(),
        title=_("Roles of account %(username)s changed") % {"username": user.get_username()},
        body=describe_role_changes(changes, by=by),
        level="warning",
    )
    return entry


def describe_role_changes(changes: dict[str, list[Any]], *, by: Any) -> str:
    labels = dict(Role.choices)
    lines = [_("Changed by: %(username)s") % {"username": by.get_username() if by else _("the system")}]
    if "groups" in changes:
        old, new = (set(names) for names in changes["groups"])
        for name in sorted(new - old):
            lines.append(_("Granted: %(role)s") % {"role": labels.get(name, name)})
        for name in sorted(old - new):
            lines.append(_("Taken away: %(role)s") % {"role": labels.get(name, name)})
    if "permissions" in changes:
        lines.append(_("Individual permissions changed"))
    if "is_superuser" in changes:
        lines.append(_("Superuser: %(value)s") % {"value": _("yes") if changes["is_superuser"][1] else _("no")})
    if "is_staff" in changes:
        lines.append(_("Admin site access: %(value)s") % {"value": _("yes") if changes["is_staff"][1] else _("no")})
    return "\n".join(lines)
