"""core.permissions: access exclusions that apps register for a model."""

from django.db.models import Q

from core import permissions
from core.permissions import register_access_exclusion, restrict
from inspection.models import InspectedUnit
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


def test_recusal_is_registered_for_clues_from_the_talent_pool_app():
    """clues does not import talentpool: the recusal rule reaches Clue through the registry."""
    assert clues_of_recused_units in permissions._ACCESS_EXCLUSIONS["clues.clue"]
