"""The one entry point for "which rows may this user see or change".

Two sources of access, checked in one query:
- a model permission held through a role (Django group): every row of the model;
- an object permission granted by a service through django-guardian, to the user or to
  a scope group (one auth group per inspection group or organisation).

Models that grow large declare guardian's direct foreign-key permission tables, so the
filter is an indexed join instead of a cast of guardian's text object_pk. A model whose
rows belong to a parent (a reply to its letter) names the parent field in
`permission_via`, and is visible exactly where its parent is, for the same action, unless
`permission_via_actions` maps the action to a narrower one on the parent (a reply's content
is opened by who may answer or review its letter, not by every reader of the letter).
Rows that no grant opens for a given user (a recusal) are removed whatever the role by the
access exclusions registered for the model: an app registers its own with
`register_access_exclusion("app.Model", exclusion)` from its AppConfig.ready, so the model's
app need not import the app whose rule it is (clues does not import talentpool).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, Group

    from core.models import User

# exclusion(user) -> Q of the rows the user may not open, or None for none; keyed by the
# model's label_lower.
AccessExclusion = Callable[[Any], Q | None]
_ACCESS_EXCLUSIONS: defaultdict[str, list[AccessExclusion]] = defaultdict(list)


def register_access_exclusion(model_label: str, exclusion: AccessExclusion) -> AccessExclusion:
    """Remove the rows exclusion(user) names from every permission filter on the model "app.Model"."""
    exclusions = _ACCESS_EXCLUSIONS[model_label.lower()]
    if exclusion not in exclusions:
        exclusions.append(exclusion)
    return exclusion


_M = TypeVar("_M", bound=models.Model)
_QS = TypeVar("_QS", bound=models.QuerySet[Any])


def _granted_pks(perm_model: Any, model: type[models.Model], codename: str, **holder: Any) -> models.QuerySet[Any, Any]:
    # perm_model is one of guardian's permission models; guardian types it as a bare Model,
    # without the manager (objects.is_generic) used here.
    rows = perm_model.objects.filter(permission__codename=codename, **holder)
    if not perm_model.objects.is_generic():
        return rows.values("content_object")
    rows = rows.filter(content_type=ContentType.objects.get_for_model(model))
    if isinstance(model._meta.pk, models.CharField | models.UUIDField):
        return rows.values("object_pk")
    # The generic table keeps object ids as text; compare as numbers.
    return rows.annotate(_pk=Cast("object_pk", models.BigIntegerField())).values("_pk")


class _RowProbe(Exists):
    """EXISTS evaluated for each row as it is read. OFFSET 0 keeps PostgreSQL from turning it
    into a semi-join, which hashes every grant of the user before the first row: 165,000 for a
    receiver at a million clues, 110 ms, for a page that reads a few hundred rows. SQLite runs
    a correlated EXISTS row by row anyway; OFFSET 0 changes nothing there."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def _grant_probe(perm_model: Any, codename: str, **holder: Any) -> Q:
    """A grant of the outer row to the holder, probed by the grant table's index on its object
    (a foreign-key grant table: guardian's generic ones keep object ids as text, unindexed)."""
    return Q(
        _RowProbe(perm_model.objects.filter(content_object=OuterRef("pk"), permission__codename=codename, **holder))
    )


def _grant_holders(user: Any, codename: str, by_user_model: Any, by_group_model: Any) -> list[tuple[str, int, int]]:
    """Who holds the user's grants of `codename`: ("user" or "group", holder id, permission id)
    for the user and each of the user's groups that holds at least one (two queries, each an
    index probe per holder however many grants it holds)."""
    held = by_group_model.objects.filter(group=OuterRef("pk"), permission__codename=codename).values("permission")
    holders = [
        ("group", pk, permission)
        for pk, permission in user.groups.annotate(held=Subquery(held[:1]))
        .filter(held__isnull=False)
        .values_list("pk", "held")
    ]
    direct = by_user_model.objects.filter(user=user, permission__codename=codename).values_list("permission", flat=True)
    holders.extend(("user", user.pk, permission) for permission in direct[:1])
    return holders


def _paged(queryset: _QS, user: Any, codename: str, by_user_model: Any, by_group_model: Any) -> _QS:
    """restrict(paged=True) for a model with foreign-key grant tables."""
    holders = _grant_holders(user, codename, by_user_model, by_group_model)
    if not holders:
        return queryset.none()
    if len(holders) == 1:
        # Nearly every user: one scope group (a group member's, a receiving office's) holds all
        # their grants. With its id and the permission's as literals, the grants are one range of
        # the (holder, permission, object) index in object order, which PostgreSQL merges with a
        # page's index range on the rows: issue 16 at 1M clues, the ids of a receiver's first
        # registry page in 0.2 ms, of ?source=petition (none of the receiver's 165,000 among
        # 41,666) in 38 ms, where hashing the grants took 110 ms and probing each row 280 ms.
        kind, holder, permission = holders[0]
        grants = (by_group_model if kind == "group" else by_user_model).objects.filter(
            **{kind: holder, "permission": permission}
        )
        return queryset.filter(pk__in=grants.values("content_object"))
    # Grants from several holders cannot be read as one range: each row read is checked against
    # its own grants. Issue 16 at 1M clues, a receiver's registry page: 118 ms with the grants
    # hashed, 2 ms probing the 351 rows read.
    return queryset.filter(
        _grant_probe(by_user_model, codename, user=user) | _grant_probe(by_group_model, codename, group__user=user)
    )


def _sees_every(model: type[models.Model], user: Any, action: str) -> bool:
    """Whether restrict() leaves every row of model to the user: a model permission reached
    through non-null parent links, and no access exclusion on the way."""
    opts = model._meta
    if _ACCESS_EXCLUSIONS.get(opts.label_lower):
        return False
    via = getattr(model, "permission_via", None)
    if not via:
        return bool(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"))
    link = cast("models.ForeignKey[Any, Any]", opts.get_field(via))
    if link.null:
        return False  # a row without a parent is never visible through it
    parent_action = getattr(model, "permission_via_actions", {}).get(action, action)
    return _sees_every(cast("type[models.Model]", link.related_model), user, parent_action)


def restrict(
    queryset: _QS,
    user: User | AnonymousUser | None,
    action: str = "view",
    *,
    few_rows: bool = False,
    paged: bool = False,
) -> _QS:
    """Rows of queryset that user may `action` (view, change, delete, or a custom verb).

    few_rows: the queryset is already narrowed to a few rows (a primary key): the grants are
    probed for those rows rather than all read first (see the end of this function).
    paged: the queryset is read a page at a time in an indexed order (a keyset page): the
    user's grants are read as one index range in the rows' order where one holder holds them
    all (found by two small queries, run now), else each row read is checked against its own
    grants; in neither case are all the user's grants read first.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    opts = queryset.model._meta
    for exclusion in _ACCESS_EXCLUSIONS.get(opts.label_lower, ()):
        if (excluded := exclusion(user)) is not None:
            queryset = queryset.exclude(excluded)
    via = getattr(queryset.model, "permission_via", None)
    if via:
        # Access to a child row (a letter's reply, a batch's rows) follows its parent.
        parent = cast("type[models.Model]", opts.get_field(via).related_model)
        parent_action = getattr(queryset.model, "permission_via_actions", {}).get(action, action)
        if _sees_every(queryset.model, user, action):
            # No semi-join over every parent: the office head's open rectification items at 40,000
            # (issue 16, the deadline board): counted in 7 ms, not 13; its page's union 17 ms, not 25.
            return queryset
        return queryset.filter(
            **{f"{via}__in": restrict(parent._default_manager.all(), user, parent_action, few_rows=few_rows)}
        )
    codename = f"{action}_{opts.model_name}"
    if user.has_perm(f"{opts.app_label}.{codename}"):
        return queryset
    from guardian.utils import (  # core.models imports this module: auth's and guardian's models are not loaded yet
        get_group_obj_perms_model,
        get_user_obj_perms_model,
    )

    model = queryset.model
    # guardian annotates its argument as an instance; it takes the model class as well.
    target = cast("models.Model", model)
    # guardian types its permission models as bare Models, without their managers' is_generic().
    by_user_model: Any = get_user_obj_perms_model(target)
    by_group_model: Any = get_group_obj_perms_model(target)
    if paged and not few_rows and not by_user_model.objects.is_generic() and not by_group_model.objects.is_generic():
        return _paged(queryset, user, codename, by_user_model, by_group_model)
    by_user = _granted_pks(by_user_model, model, codename, user=user)
    by_group = _granted_pks(by_group_model, model, codename, group__user=user)
    if few_rows:
        # The queryset is narrowed to a few rows already (one clue's page, user_can): one IN over
        # the union of both grant tables, which PostgreSQL turns into a semi-join probing the
        # grants of those rows by index (clue_grant_by_clue). Issue 16, measured at 1M clues:
        # opening one clue took 116 ms for a receiver (165,000 grants hashed), 4 ms this way.
        return queryset.filter(pk__in=by_user.union(by_group, all=True))
    # A list: an OR of two INs, which PostgreSQL runs as a hashed filter while it walks the rows
    # in the list's order. The union's semi-join is faster for a group member (16,000 grants)
    # but took a receiver's first page ordered by code from 107 ms to 2.4 s.
    return queryset.filter(Q(pk__in=by_user) | Q(pk__in=by_group))


class PermissionQuerySet(models.QuerySet[_M]):
    def for_user(
        self, user: User | AnonymousUser | None, action: str = "view", *, few_rows: bool = False, paged: bool = False
    ) -> Self:
        return restrict(self, user, action, few_rows=few_rows, paged=paged)


def row_visible(model: type[models.Model], user: User | AnonymousUser | None, through: str, action: str = "view") -> Q:
    """For a page of rows that point at `model` through the field `through` (a transfer's items
    at their clues): the rows whose target the user may `action`, checked one row at a time as
    the page reads them, by the same rules as restrict(). Filtering by an IN over restrict()
    reads every row the user may see first (165,000 clues for a receiver). The target's grants
    are probed as a page's are (paged): one index probe per row where one holder holds them all;
    counting a receiver's transfer of 2,762 items at 1M clues took 75-150 ms with the union of
    both grant tables probed per row, 21-27 ms so (warm, load 2)."""
    return Q(_RowProbe(restrict(model._default_manager.filter(pk=OuterRef(through)), user, action, paged=True)))


def get_for_user_or_404(
    queryset: models.QuerySet[_M], user: User | AnonymousUser | None, action: str = "view", **lookup: Any
) -> _M:
    """Fetch one row through the permission filter; a row the user may not see is a 404."""
    try:
        return restrict(queryset.filter(**lookup), user, action, few_rows=True).get()
    except ObjectDoesNotExist as exc:  # the model's DoesNotExist, the only one get() raises
        raise Http404 from exc


def user_can(user: User | AnonymousUser | None, action: str, obj: models.Model) -> bool:
    """Whether user may `action` this one row, by the same rules as the lists (one query)."""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action, few_rows=True).exists()


def scope_group_name(obj: models.Model, purpose: str = "") -> str:
    """The name of obj's scope group, for reads that must not create it (a page's preview)."""
    return f"scope:{obj._meta.label_lower}:{obj.pk}" + (f":{purpose}" if purpose else "")


def scope_group(obj: models.Model, purpose: str = "") -> Group:
    """The auth group standing for an organisation or inspection group, made on first use.

    A purpose names a narrower circle of the same unit: the leaders of a group ("leaders"),
    the receiving office of an organisation ("receive").
    """
    from django.contrib.auth.models import (
        Group,  # core.models imports this module: auth's and guardian's models are not loaded yet
    )

    group, _ = Group.objects.get_or_create(name=scope_group_name(obj, purpose))
    return group


def grant(action: str, obj: _M | list[_M], *, to: Any) -> None:
    """Let `to` (a user, an auth group, or an object that has a scope group) `action` obj.

    obj may be a list of rows of one model: the grants are then written in one statement.
    """
    from guardian.shortcuts import (
        assign_perm,  # core.models imports this module: auth's and guardian's models are not loaded yet
    )

    holder = to if _is_user_or_group(to) else scope_group(to)
    if isinstance(obj, list):
        if obj:
            # guardian annotates obj as one instance; a list (or queryset) is its bulk form.
            assign_perm(f"{action}_{obj[0]._meta.model_name}", holder, obj)  # type: ignore[arg-type]
        return
    assign_perm(f"{action}_{obj._meta.model_name}", holder, obj)


def revoke(action: str, obj: models.Model, *, from_: Any) -> None:
    from guardian.shortcuts import (
        remove_perm,  # core.models imports this module: auth's and guardian's models are not loaded yet
    )

    holder = from_ if _is_user_or_group(from_) else scope_group(from_)
    remove_perm(f"{action}_{obj._meta.model_name}", holder, obj)


def _is_user_or_group(value: Any) -> bool:
    from django.contrib.auth import (
        get_user_model,  # core.models imports this module: auth's and guardian's models are not loaded yet
    )
    from django.contrib.auth.models import (
        Group,  # core.models imports this module: auth's and guardian's models are not loaded yet
    )

    return isinstance(value, Group | get_user_model())
