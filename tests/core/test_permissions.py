"""core.permissions, directly: user and group grants, scope groups, roles, permission_via,
registered exclusions, inactive and anonymous users."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Q
from django.http import Http404

from clues.models import InfoRequestLetter, LetterReply
from clues.services import letters
from clues.services.partners import register_partner
from core import permissions
from core.permissions import (
    get_for_user_or_404,
    grant,
    register_access_exclusion,
    restrict,
    revoke,
    scope_group,
    user_can,
)
from inspection.models import InspectedUnit
from liaison.models import LiaisonOffice
from liaison.services.offices import set_up_office
from talentpool.permissions import clues_of_recused_units


def test_a_registered_access_exclusion_removes_rows_whatever_the_role(world):
    head = world.users["office_head"]  # sees every unit through the role's model permission
    units = InspectedUnit.objects.filter(pk__in=[world.unit_a.pk, world.unit_b.pk]).order_by("pk")
    assert list(restrict(units, head)) == [world.unit_a, world.unit_b]

    def not_unit_a(user):
        return Q(pk=world.unit_a.pk)

    register_access_exclusion("inspection.InspectedUnit", not_unit_a)
    try:
        assert list(restrict(units, head)) == [world.unit_b]
        assert list(InspectedUnit.objects.for_user(head).filter(pk__in=units)) == [world.unit_b]
    finally:
        permissions._ACCESS_EXCLUSIONS["inspection.inspectedunit"].remove(not_unit_a)


def test_a_child_list_reads_no_parent_filter_where_every_parent_is_visible_but_keeps_the_parent_s_exclusions(world):
    head = world.users["office_head"]  # sees every unit, so every liaison office (permission_via)
    for unit in (world.unit_a, world.unit_b):
        set_up_office(by=None, inspected_unit=unit)
    offices = LiaisonOffice.objects.order_by("inspected_unit")
    assert str(restrict(offices, head).query) == str(offices.query), "no semi-join over every unit"

    def not_unit_a(user):
        return Q(pk=world.unit_a.pk)

    register_access_exclusion("inspection.InspectedUnit", not_unit_a)
    try:
        visible = restrict(offices, head)
        assert world.unit_a.pk not in set(visible.values_list("inspected_unit", flat=True))
        assert world.unit_b.pk in set(visible.values_list("inspected_unit", flat=True))
    finally:
        permissions._ACCESS_EXCLUSIONS["inspection.inspectedunit"].remove(not_unit_a)


def test_recusal_is_registered_for_clues_from_the_talent_pool_app():
    """clues does not import talentpool: the recusal rule reaches Clue through the registry."""
    assert clues_of_recused_units in permissions._ACCESS_EXCLUSIONS["clues.clue"]


# ------------------------------------------------------------------ the entry point itself
# Grants go to the `outsider` (no role, so no model permission): what it sees is exactly what
# was granted. InspectedUnit keeps its grants in guardian's generic tables, InfoRequestLetter
# in direct foreign-key tables: both paths of _granted_pks are exercised.


@pytest.fixture
def letter(world):
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    (draft,) = letters.create_round_letters(inspection_round=world.round, by=world.users["office_staff"])
    return draft


def units(user, action="view"):
    return set(InspectedUnit.objects.for_user(user, action))


def test_a_user_grant_opens_that_row_for_that_action_only(world):
    outsider, unit = world.users["outsider"], world.unit_a
    assert units(outsider) == set()
    grant("view", unit, to=outsider)
    assert units(outsider) == {unit}
    assert units(outsider, "change") == set()
    assert user_can(outsider, "view", unit)
    assert not user_can(outsider, "view", world.unit_b)
    assert get_for_user_or_404(InspectedUnit.objects.all(), outsider, pk=unit.pk) == unit
    with pytest.raises(Http404):
        get_for_user_or_404(InspectedUnit.objects.all(), outsider, pk=world.unit_b.pk)
    revoke("view", unit, from_=outsider)
    assert units(outsider) == set()


def test_a_group_grant_opens_the_row_to_the_members_while_they_are_members(world, letter):
    outsider = world.users["outsider"]
    circle = Group.objects.create(name="a circle")
    grant("view", [world.unit_b], to=circle)
    grant("view", letter, to=circle)
    assert units(outsider) == set()
    outsider.groups.add(circle)
    assert units(outsider) == {world.unit_b}
    assert set(InfoRequestLetter.objects.for_user(outsider)) == {letter}
    outsider.groups.remove(circle)
    assert units(outsider) == set()
    assert not InfoRequestLetter.objects.for_user(outsider).exists()


def test_a_grant_to_an_object_goes_to_its_scope_group(world):
    outsider, organisation = world.users["outsider"], world.partner_y
    grant("view", world.unit_a, to=organisation)
    assert units(outsider) == set()
    outsider.groups.add(scope_group(organisation))
    assert units(outsider) == {world.unit_a}
    assert scope_group(organisation, "receive") != scope_group(organisation)  # a purpose is another circle


def test_a_role_s_model_permission_opens_every_row(world):
    assert units(world.users["office_head"]) == {world.unit_a, world.unit_b}


def test_a_child_row_follows_its_parent_with_the_narrower_action_named(world, letter):
    """A reply follows its letter (permission_via); reading it needs "answer" on the letter
    (permission_via_actions), changing it needs "change" on the letter."""
    outsider = world.users["outsider"]
    reply = LetterReply.objects.create(letter=letter, version=1, on_paper=True, created_by=None)
    grant("view", letter, to=outsider)
    assert set(InfoRequestLetter.objects.for_user(outsider)) == {letter}
    assert not LetterReply.objects.for_user(outsider).exists()  # viewing the letter is not enough
    grant("answer", letter, to=outsider)
    assert set(LetterReply.objects.for_user(outsider)) == {reply}
    assert not LetterReply.objects.for_user(outsider, "change").exists()
    grant("change", letter, to=outsider)
    assert set(LetterReply.objects.for_user(outsider, "change")) == {reply}
    # Office staff hold view_inforequestletter through their role, not answer: status only.
    assert not LetterReply.objects.for_user(world.users["office_staff"]).exists()
    assert set(LetterReply.objects.for_user(world.users["office_head"])) == {reply}


def test_an_exclusion_on_the_parent_closes_its_children_and_is_registered_once(world, letter):
    head = world.users["office_head"]
    reply = LetterReply.objects.create(letter=letter, version=1, on_paper=True, created_by=None)
    seen = []

    def not_for_the_head(user):
        seen.append(user)
        return Q(pk=letter.pk) if user == head else Q(pk__in=[])

    register_access_exclusion("clues.InfoRequestLetter", not_for_the_head)
    register_access_exclusion("clues.inforequestletter", not_for_the_head)
    try:
        assert permissions._ACCESS_EXCLUSIONS["clues.inforequestletter"].count(not_for_the_head) == 1
        assert not InfoRequestLetter.objects.for_user(head).exists()
        assert not LetterReply.objects.for_user(head).exists()
        assert not user_can(head, "view", reply)
        custodian = world.users["clue_custodian"]
        assert set(LetterReply.objects.for_user(custodian)) == {reply}
        assert {head, custodian} <= set(seen)  # asked per user
    finally:
        permissions._ACCESS_EXCLUSIONS["clues.inforequestletter"].remove(not_for_the_head)
    assert set(LetterReply.objects.for_user(head)) == {reply}


def test_an_inactive_user_sees_nothing_whatever_they_were_granted_or_hold(world):
    outsider, head = world.users["outsider"], world.users["office_head"]
    grant("view", world.unit_a, to=outsider)
    for user in (outsider, head):
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert units(user) == set()
        assert not user_can(user, "view", world.unit_a)
        with pytest.raises(Http404):
            get_for_user_or_404(InspectedUnit.objects.all(), user, pk=world.unit_a.pk)


def test_an_anonymous_visitor_or_no_user_sees_nothing(world):
    assert units(AnonymousUser()) == set()
    assert units(None) == set()
    assert not user_can(AnonymousUser(), "view", world.unit_a)
