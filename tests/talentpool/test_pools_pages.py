"""The pool pages: who reaches them, what the list filters, the export, and the query count."""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AuditLog, Organisation
from talentpool.models import Specialty, TalentPoolEntry
from talentpool.services import pools
from tests.conftest import assert_matrix, role_keys
from tests.exports import export_rows
from tests.factories import PersonFactory
from tests.helpers import page_queries
from tests.talentpool.conftest import POOL_ROLES

pytestmark = pytest.mark.django_db


def entry(world, name="测试", pool=TalentPoolEntry.PoolType.INSPECTION, **person) -> TalentPoolEntry:
    return pools.nominate(
        by=None, pool_type=pool, specialty=Specialty.DISCIPLINE, person=PersonFactory(name=name, **person)
    )


def client_for(world, key="pool_manager") -> Client:
    client = Client()
    client.force_login(world.users[key])
    return client


def test_only_the_pool_roles_reach_the_pool_pages(pool_world):
    pk = entry(pool_world).pk
    for name, args in [
        ("pool-list", []),
        ("pool-export", []),
        ("pool-nominate", []),
        ("pool-import", []),
        ("pool-import-template", []),
        ("pool-entry", [pk]),
    ]:
        assert_matrix(pool_world, reverse(f"talentpool:{name}", args=args), role_keys(*POOL_ROLES))
    # Nothing failed yet: there is no marked workbook to download.
    assert_matrix(pool_world, reverse("talentpool:pool-import-errors"), {})


@pytest.mark.parametrize("move", ["vet", "activate", "suspend", "reinstate", "remove"])
def test_only_the_pool_roles_may_move_an_entry(pool_world, move):
    url = reverse("talentpool:pool-entry-move", args=[entry(pool_world).pk, move])
    assert_matrix(pool_world, url, role_keys(*POOL_ROLES, status=302), method="post")


def test_an_unknown_move_or_entry_is_a_404(pool_world):
    client = client_for(pool_world)
    assert client.post(reverse("talentpool:pool-entry-move", args=[entry(pool_world).pk, "promote"])).status_code == 404
    assert client.get(reverse("talentpool:pool-entry", args=[999999])).status_code == 404


def test_the_entry_page_moves_the_entry_and_shows_its_history(pool_world):
    item = entry(pool_world)
    client = client_for(pool_world)
    client.post(reverse("talentpool:pool-entry-move", args=[item.pk, "vet"]))
    client.post(reverse("talentpool:pool-entry-move", args=[item.pk, "activate"]))
    response = client.post(reverse("talentpool:pool-entry-move", args=[item.pk, "suspend"]), {"reason": ""})
    item.refresh_from_db()
    assert item.status == "active"  # no reason, no suspension
    client.post(reverse("talentpool:pool-entry-move", args=[item.pk, "suspend"]), {"reason": "病休"})
    item.refresh_from_db()
    assert item.status == "suspended"
    response = client.get(reverse("talentpool:pool-entry", args=[item.pk]))
    history = response.context["history"]
    assert [h["log"].changes["status"] for h in history if h["status_to"]] == [
        ["active", "suspended"],
        ["vetted", "active"],
        ["nominated", "vetted"],
    ]
    assert history[-1]["log"].action == AuditLog.Action.CREATE
    assert history[-1]["status_to"] is None
    assert response.context["moves"] == ["reinstate"]
    assert response.context["reason_moves"] == ["remove"]


def test_the_nominate_page_creates_a_person_and_refuses_a_second_live_entry(pool_world):
    unit = Organisation.objects.get(name="区财政局")
    client = client_for(pool_world, "office_staff")
    data = {"pool_type": "investigation", "specialty": "finance_audit", "name": "吴六", "home_unit": unit.pk}
    response = client.post(reverse("talentpool:pool-nominate"), data)
    created = TalentPoolEntry.objects.get()
    assert response.status_code == 302
    assert created.person.home_unit == unit
    again = {"pool_type": "investigation", "specialty": "other", "person": created.person.pk}
    response = client.post(reverse("talentpool:pool-nominate"), again)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert TalentPoolEntry.objects.count() == 1
    response = client.post(reverse("talentpool:pool-nominate"), {"pool_type": "inspection", "specialty": "other"})
    assert response.context["form"].non_field_errors()


def test_the_list_filters_in_the_database(pool_world):
    finance = Organisation.objects.get(name="区财政局")
    a = entry(pool_world, "甲一", home_unit=finance)
    b = entry(pool_world, "乙二", pool=TalentPoolEntry.PoolType.INVESTIGATION)
    pools.vet(entry=b, by=None)
    client = client_for(pool_world)

    def names(**params) -> list[str]:
        response = client.get(reverse("talentpool:pool-list"), params)
        return [e.person.name for e in response.context["page_obj"]]

    assert names() == ["甲一", "乙二"]
    assert names(pool="investigation") == ["乙二"]
    assert names(status="vetted") == ["乙二"]
    assert names(unit=finance.pk) == ["甲一"]
    assert names(q="甲") == ["甲一"]
    assert names(specialty="other") == []
    assert a.pk


def test_the_export_holds_the_filtered_rows_with_formulas_neutralised_and_is_logged(pool_world):
    entry(pool_world, "=HYPERLINK(1)")
    entry(pool_world, "乙二", pool=TalentPoolEntry.PoolType.INVESTIGATION)
    client = client_for(pool_world, "office_head")
    response = client.get(reverse("talentpool:pool-export"), {"pool": "inspection"})
    rows = export_rows(response.content)
    assert len(rows) == 2
    assert rows[1][0] == "'=HYPERLINK(1)"
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert log.user == pool_world.users["office_head"]
    assert "pool=inspection" in log.note


def test_the_list_does_not_grow_with_its_rows(pool_world):
    def measure() -> int:
        return page_queries(pool_world.users["pool_manager"], reverse("talentpool:pool-list"))

    for number in range(2):
        entry(pool_world, f"少{number}", home_unit=Organisation.objects.get(name="区财政局"))
    few = measure()
    for number in range(8):
        entry(pool_world, f"多{number}")
    assert TalentPoolEntry.objects.count() == 10
    assert measure() == few
