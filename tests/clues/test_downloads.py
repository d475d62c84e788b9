"""Every download carries its reader's watermark (docs/domain.md §5.2 rule 9), and a file that lists
clues is made per reader (issue 11)."""

from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from clues.models import ClueTransfer, Receiver
from clues.services import transfers
from inspection.services import rounds
from talentpool.services.recusals import declare_recusal
from tests.clues.lifecycle import SHANGHAI, handed, proposed, transfer
from tests.exports import file_text
from tests.factories import OrganisationFactory
from tests.helpers import through_job

DOWNLOAD_AT = datetime(2018, 1, 5, 9, 30, tzinfo=SHANGHAI)


def _downloads(world, sent, transfer_pk: int) -> list[str]:
    """Every kind of download the office head can make in the fixture world."""
    letter, round_pk, unit_pk = sent["x"].pk, world.round.pk, world.unit_a.pk
    return [
        reverse("inspection:round-export"),
        reverse("clues:letter-list-export"),
        reverse("clues:round-letters-export", args=[round_pk]),
        reverse("clues:letter-docx", args=[letter]),
        reverse("clues:letter-template", args=[letter]),
        reverse("clues:clue-export"),
        reverse("clues:transfer-export"),
        reverse("clues:transfer-docx", args=[transfer_pk]),
        reverse("clues:meeting-export"),
        reverse("clues:opinion-export", args=[round_pk]),
        reverse("reports:deadlines-xlsx"),
        reverse("reports:dashboard-docx"),
        reverse("reports:partner-scorecard-xlsx"),
        reverse("reports:home-unit-scorecard-xlsx"),
        reverse("talentpool:recusal-export", args=[round_pk]),
        reverse("talentpool:secondment-export"),
        reverse("talentpool:case-work-export"),
        reverse("talentpool:pool-export"),
        reverse("talentpool:pool-import-template"),
        reverse("liaison:round-units-export", args=[round_pk]),
        reverse("liaison:handover-docx", args=[unit_pk]),
        reverse("liaison:handover-export", args=[unit_pk]),
        reverse("liaison:contact-log-export", args=[unit_pk]),
    ]


def test_every_download_names_its_reader_and_the_time(world, sent):
    sent_transfer = transfer(world, [proposed(world)])
    head = world.users["office_head"]
    client = Client()
    client.force_login(head)
    missing = []
    with time_machine.travel(DOWNLOAD_AT, tick=False):
        for url in _downloads(world, sent, sent_transfer.pk):
            response = client.get(url)
            assert response.status_code == 200, url
            text = file_text(response.content)
            if f"（{head.username}）于2018-01-05 09:30下载" not in text:
                missing.append(url)
        # The report workbook is made by a background job, watermarked when it was started.
        url = reverse("reports:dashboard-xlsx")
        if f"（{head.username}）于2018-01-05 09:30下载" not in file_text(through_job(client, url)):
            missing.append(url)
    assert not missing


def test_two_readers_get_different_marks(world):
    marks = set()
    for key in ("office_head", "office_staff"):
        client = Client()
        client.force_login(world.users[key])
        text = file_text(through_job(client, reverse("reports:dashboard-xlsx")))
        marks.add(next(line for line in text.splitlines() if "下载" in line))
    assert len(marks) == 2


@pytest.fixture
def two_unit_transfer(world):
    """One transfer of group A with a clue of unit A and one of a second unit C of the group."""
    unit_c = rounds.assign_unit(by=None, group=world.group_a, org_unit=OrganisationFactory(name="被巡察单位C"))
    clue_a = proposed(world)
    clue_c = handed(world, unit_c, allegation_summary="单位C的问题线索")
    transfers.record_assessment(
        clue=clue_c,
        by=world.users["leader_a"],
        conclusion="recommend_transfer",
        recommended_receiver=Receiver.DISCIPLINE_COMMISSION,
    )
    sent = transfer(world, [clue_a, clue_c], include_reporter=True)
    return sent, clue_a, clue_c, unit_c


def _letter(world, key: str, sent: ClueTransfer):
    client = Client()
    client.force_login(world.users[key])
    return client.get(reverse("clues:transfer-docx", args=[sent.pk]))


def test_a_recused_member_gets_the_letter_without_that_units_clues(world, two_unit_transfer):
    sent, clue_a, clue_c, unit_c = two_unit_transfer
    member = world.users["member_a"]
    assert {clue_a.code, clue_c.code} <= set(file_text(_letter(world, "member_a", sent).content).split())
    declare_recusal(
        by=member, person=member.person, inspected_unit=unit_c, has_conflict=True, relationships=[{"kind": "亲属"}]
    )
    text = file_text(_letter(world, "member_a", sent).content)
    assert clue_a.code in text
    assert clue_c.code not in text
    assert "单位C的问题线索" not in text
    assert "举报人甲" not in text  # a group member never gets the reporter


def test_a_reader_recused_from_every_clue_of_the_letter_gets_404(world):
    sent = transfer(world, [proposed(world)])
    member = world.users["member_a"]
    declare_recusal(
        by=member,
        person=member.person,
        inspected_unit=world.unit_a,
        has_conflict=True,
        relationships=[{"kind": "亲属"}],
    )
    assert _letter(world, "member_a", sent).status_code == 404
    assert _letter(world, "leader_a", sent).status_code == 200
