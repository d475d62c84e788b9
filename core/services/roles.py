from typing import Any

from django.contrib.auth.models import Group, Permission

from core.roles import ROLE_PERMISSIONS


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
