"""Every page that lists clues leaves one access-log entry: the clues it showed and the filters used."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from clues.models import Clue, ClueTransfer
from core.models import AuditLog
from tests.clues.lifecycle import handed, proposed, transfer

pytestmark = pytest.mark.django_db


def reads_after(user, url: str, params: dict | None = None, **headers) -> list[AuditLog]:
    client = Client()
    client.force_login(user)
    last = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url, params or {}, **headers)
    assert response.status_code == 200
    return list(AuditLog.objects.filter(pk__gt=last, action=AuditLog.Action.VIEW))


def test_the_registry_page_logs_the_clues_it_shows_and_its_filters(world):
    shown = [handed(world) for _ in range(3)]
    handed(world, world.unit_b)  # group B's: not shown to a member of group A

    [entry] = reads_after(world.users["member_a"], reverse("clues:clue-list"), {"q": "反映", "status": ""})

    assert entry.user == world.users["member_a"]
    assert entry.username == "member_a"
    assert entry.content_type == ContentType.objects.get_for_model(Clue)
    assert sorted(entry.changes["ids"]) == sorted(str(clue.pk) for clue in shown)
    assert "q=反映" in entry.note


def test_the_registry_fragment_htmx_loads_is_logged_too(world):
    clue = handed(world)

    [entry] = reads_after(world.users["leader_a"], reverse("clues:clue-list"), {"page": "1"}, HTTP_HX_REQUEST="true")

    assert entry.changes["ids"] == [str(clue.pk)]


def test_the_transfer_pages_log_what_they_show(world):
    clue = proposed(world)
    [entry] = reads_after(world.users["office_head"], reverse("clues:transfer-proposals"))
    assert entry.changes["ids"] == [str(clue.pk)]

    sent = transfer(world, [clue])
    [ledger] = reads_after(world.users["office_head"], reverse("clues:transfer-list"), {"state": "unreceived"})
    assert ledger.content_type == ContentType.objects.get_for_model(ClueTransfer)
    assert ledger.changes["ids"] == [str(sent.pk)]
    assert "state=unreceived" in ledger.note

    [detail] = reads_after(world.users["commission_receiver"], reverse("clues:transfer-detail", args=[sent.pk]))
    assert detail.changes["ids"] == [str(clue.pk)]
    assert f"transfer={sent.pk}" in detail.note


def test_the_receivers_pages_of_one_clue_and_of_a_case_are_logged(world):
    from clues.services import dispositions
    from tests.clues.lifecycle import received

    clue = received(world)
    receiver = world.users["commission_receiver"]
    [entry] = reads_after(receiver, reverse("clues:clue-dispose", args=[clue.pk]))
    assert (entry.content_type.model, entry.object_id) == ("clue", str(clue.pk))

    from datetime import date

    dispositions.record_disposition(
        clue=clue, by=receiver, disposition_type="preliminary_verification", decided_at=date(2017, 11, 1)
    )
    case = dispositions.open_case(
        clues=[Clue.objects.get(pk=clue.pk)],
        by=receiver,
        case_number="区纪立〔2017〕1号",
        filed_at=date(2017, 12, 1),
        subjects=[],
    )
    [entry] = reads_after(receiver, reverse("clues:case-detail", args=[case.pk]))
    assert (entry.content_type.model, entry.object_id) == ("caserecord", str(case.pk))
