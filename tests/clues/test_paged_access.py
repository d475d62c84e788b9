"""The paged forms of the permission filter (core.permissions: restrict(paged=True) and
row_visible) open exactly the rows the list form opens, for every fixture user, and a user
whose grants come from two holders.

They are what the registry's pages and a transfer's page use (issue 16): a different plan, the
same answer. PostgreSQL-only: which form each page writes."""

import pytest
from django.db import connection
from django.urls import reverse

from clues.models import Clue, ClueTransfer, ClueTransferItem
from clues.selectors.registry import ClueFilters, registry_page
from clues.selectors.transfers import transfer_items
from core.permissions import restrict, row_visible, scope_group
from core.roles import Role
from talentpool.services.recusals import declare_recusal
from tests.clues.lifecycle import handed, proposed, received, register, transfer
from tests.conftest import make_user
from tests.factories import PersonFactory
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(world):
    """Clues in every kind of reach: the office's alone, each group's, transferred to each
    receiver, and one of group A's unit from which member_a has recused."""
    register(world)
    handed(world)
    handed(world, world.unit_b)
    received(world)
    received(world, ClueTransfer.Receiver.ORGANIZATION_DEPT)
    transfer(world, [proposed(world), proposed(world)])
    member_a = world.users["member_a"]
    if member_a.person is None:
        member_a.person = PersonFactory(name="组员甲")
        member_a.save(update_fields=["person"])
    declare_recusal(
        by=None, person=member_a.person, inspected_unit=world.unit_a, has_conflict=True, relationships=[{"k": 1}]
    )
    # Grants held by two scope groups: the paged filter cannot read them as one range.
    two_groups = make_user("two_groups", Role.GROUP_MEMBER)
    two_groups.groups.add(scope_group(world.group_a), scope_group(world.group_b))
    world.users["two_groups"] = two_groups
    return world


def test_the_per_row_form_opens_the_rows_the_list_form_opens(spread):
    assert Clue.objects.count() == 7
    for key, user in spread.users.items():
        for action in ("view", "assess", "dispose", "reveal"):
            listed = set(restrict(Clue.objects.all(), user, action).values_list("pk", flat=True))
            paged = set(restrict(Clue.objects.all(), user, action, paged=True).values_list("pk", flat=True))
            assert paged == listed, (key, action)


def test_a_transfer_s_items_are_those_of_the_clues_the_user_may_see(spread):
    for sent in ClueTransfer.objects.filter(transferred_at__isnull=False):
        for key, user in spread.users.items():
            visible = set(Clue.objects.for_user(user).values_list("pk", flat=True))
            expected = set(sent.items.filter(clue__in=visible).values_list("pk", flat=True))
            probed = set(
                ClueTransferItem.objects.filter(transfer=sent)
                .filter(row_visible(Clue, user, "clue"))
                .values_list("pk", flat=True)
            )
            assert probed == expected == set(transfer_items(sent, user).values_list("pk", flat=True)), key


def test_the_registry_page_lists_the_same_clues_with_and_without_a_round(spread):
    assert Clue.objects.for_user(spread.users["two_groups"]).count() == 6  # every clue handed to group A or B
    for key in (
        "office_head",
        "leader_a",
        "member_a",
        "member_b",
        "commission_receiver",
        "orgdept_receiver",
        "two_groups",
    ):
        user = spread.users[key]
        client = logged_in(user)
        for query in ({}, {"round": spread.round.pk}, {"source": "partner_letter"}, {"source": "petition"}):
            response = client.get(reverse("clues:clue-list"), query)
            assert response.status_code == 200
            shown = {clue.pk for clue in response.context["page_obj"].object_list}
            expected = set(Clue.objects.for_user(user).filter(**_as_lookup(query, spread)).values_list("pk", flat=True))
            assert shown == expected, (key, query)


def _as_lookup(query, world):
    return (
        {"inspection_round": world.round}
        if "round" in query
        else ({"source_type": query["source"]} if "source" in query else {})
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL each page writes, on PostgreSQL")
def test_a_page_reads_one_holder_s_grants_as_one_range_and_probes_each_row_for_several(spread):
    receiver, member, two_groups = (spread.users[key] for key in ("commission_receiver", "member_a", "two_groups"))

    def sql(user, **query):
        return str(registry_page(user, ClueFilters.from_query(query)).query)

    for query in ({}, {"round": str(spread.round.pk)}, {"source": "petition"}, {"q": "反映"}):
        for user in (receiver, member):
            # The holder and the permission as literals, no join to the user's groups: PostgreSQL
            # reads the grants from their index in the clues' order and merges them with the page's.
            written = sql(user, **query)
            assert '"core_user_groups"' not in written, (user, query)
            assert "OFFSET 0" not in written, (user, query)
            assert '"clues_cluegroupobjectpermission" U0 WHERE (U0."group_id" = ' in written, (user, query)
        assert "OFFSET 0" in sql(two_groups, **query), query
    sent = ClueTransfer.objects.filter(transferred_at__isnull=False).first()
    assert "OFFSET 0" in str(transfer_items(sent, receiver).query)


def test_a_user_without_a_grant_pages_through_nothing(spread):
    assert not registry_page(spread.users["outsider"], ClueFilters.from_query({})).exists()
