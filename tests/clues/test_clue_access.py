"""Who may open what of the clue lifecycle: role × object matrices (docs/domain.md §5.2, §5.3).

Every user the matrix does not name must get a 404: a foreign clue never leaks, whether
through a page, an htmx fragment, an export, a letter download or a search result.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from clues.models import Clue, ClueTransfer
from clues.services import dispositions, transfers
from core.models import AuditLog
from inspection import services as rounds
from inspection.models import GroupMembership
from talentpool.services.recusals import declare_recusal
from tests.clues.lifecycle import handed, proposed, received, register, step, transfer
from tests.conftest import assert_matrix, role_keys, status_for

pytestmark = pytest.mark.django_db

OFFICE_READERS = ("office_head", "clue_custodian")


def test_a_registered_clue_is_the_office_s_alone(world):
    clue = register(world)
    assert_matrix(world, reverse("clues:clue-detail", args=[clue.pk]), role_keys(*OFFICE_READERS))


def test_a_handed_over_clue_opens_for_its_group_only(world):
    clue = handed(world)
    assert_matrix(
        world, reverse("clues:clue-detail", args=[clue.pk]), role_keys(*OFFICE_READERS, "leader_a", "member_a")
    )


def test_a_transferred_clue_opens_for_its_receiver_only_among_receivers(world):
    clue = received(world)
    url = reverse("clues:clue-detail", args=[clue.pk])
    assert_matrix(world, url, role_keys(*OFFICE_READERS, "leader_a", "member_a", "commission_receiver"))


def test_a_clue_sent_to_the_organisation_department_opens_for_its_receivers(world):
    clue = proposed(world)
    transfer(world, [clue], "organization_dept")
    url = reverse("clues:clue-detail", args=[clue.pk])
    assert_matrix(world, url, role_keys(*OFFICE_READERS, "leader_a", "member_a", "orgdept_receiver"))


def test_recusal_closes_the_unit_s_clues_whatever_the_role(world):
    clue = handed(world)
    declare_recusal(
        by=None, person=world.users["member_a"].person, inspected_unit=world.unit_a, has_conflict=True,
        relationships=[{"type": "spouse", "related_name": "钱某某"}],
    )  # fmt: skip
    assert status_for(world.users["member_a"], reverse("clues:clue-detail", args=[clue.pk])) == 404
    assert status_for(world.users["leader_a"], reverse("clues:clue-detail", args=[clue.pk])) == 200
    client = Client()
    client.force_login(world.users["member_a"])
    # The code as a row's link, not as the search term the page echoes.
    assert f">{clue.code}</a>" not in client.get(reverse("clues:clue-list"), {"q": clue.code}).content.decode()


def test_a_declaration_without_conflict_blocks_nothing(world):
    clue = handed(world)
    declare_recusal(by=None, person=world.users["member_a"].person, inspected_unit=world.unit_a, has_conflict=False)
    assert status_for(world.users["member_a"], reverse("clues:clue-detail", args=[clue.pk])) == 200


def test_access_ends_with_the_membership_but_the_leader_keeps_reading(world):
    clue = handed(world)
    for person in (world.users["member_a"].person, world.users["leader_a"].person):
        membership = GroupMembership.objects.get(person=person)
        rounds.end_membership(by=None, membership=membership, end_date=date(2017, 10, 10))
    url = reverse("clues:clue-detail", args=[clue.pk])
    assert status_for(world.users["member_a"], url) == 404
    assert status_for(world.users["leader_a"], url) == 200
    # Reading is all the former leader keeps: no more assessments.
    assert status_for(world.users["leader_a"], reverse("clues:clue-assess", args=[clue.pk]), "post") == 404


def test_the_registry_lists_only_what_the_user_may_see_in_pages_fragments_and_search(world):
    mine, theirs = handed(world), handed(world, world.unit_b)
    for key, visible, hidden in (("member_a", mine, theirs), ("member_b", theirs, mine)):
        client = Client()
        client.force_login(world.users[key])
        for response in (
            client.get(reverse("clues:clue-list")),
            client.get(reverse("clues:clue-list"), {"q": "津补贴"}, headers={"HX-Request": "true"}),
            client.get(reverse("clues:clue-list"), {"q": hidden.code}),
        ):
            assert f">{hidden.code}</a>" not in response.content.decode()
        assert f">{visible.code}</a>" in client.get(reverse("clues:clue-list")).content.decode()
    assert_matrix(
        world,
        reverse("clues:clue-list"),
        role_keys(*OFFICE_READERS, "leader_a", "member_a", "member_b", "commission_receiver", "orgdept_receiver"),
    )


def test_export_is_the_office_head_s_and_is_logged(world):
    handed(world)
    assert_matrix(world, reverse("clues:clue-export"), role_keys("office_head"))
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, user=world.users["office_head"]).exists()


def test_only_the_custodian_and_the_group_leader_reveal_the_reporter(world):
    clue = handed(world)
    url = reverse("clues:clue-reveal", args=[clue.pk])
    assert_matrix(world, url, role_keys("clue_custodian", "leader_a"), method="post", anonymous=302)


def test_a_reveal_asks_for_a_reason_and_is_logged(world):
    clue = handed(world)
    client = Client()
    client.force_login(world.users["leader_a"])
    url = reverse("clues:clue-reveal", args=[clue.pk])
    refused = client.post(url, {"reason": ""}, headers={"HX-Request": "true"}).content.decode()
    assert "举报人甲" not in refused
    shown = client.post(url, {"reason": "核实举报内容需联系反映人"}, headers={"HX-Request": "true"}).content.decode()
    assert "举报人甲" in shown
    assert "13800000000" in shown
    entry = AuditLog.objects.get(action=AuditLog.Action.REVEAL)
    assert (entry.user, entry.note) == (world.users["leader_a"], "核实举报内容需联系反映人")


def test_the_detail_page_never_prints_the_sealed_reporter(world):
    clue = handed(world)
    for key in ("office_head", "clue_custodian", "leader_a", "member_a"):
        client = Client()
        client.force_login(world.users[key])
        assert "举报人甲" not in client.get(reverse("clues:clue-detail", args=[clue.pk])).content.decode()


def test_screening_and_handover_are_the_custodian_s_and_the_head_s(world):
    clue = register(world)
    grade = reverse("clues:clue-grade", args=[clue.pk])
    assert_matrix(world, grade, role_keys(*OFFICE_READERS, status=302), method="post")
    assert_matrix(world, reverse("clues:clue-hand-over"), role_keys(*OFFICE_READERS, status=302), method="post")
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.REGISTERED  # no clue was ticked


def test_assessment_is_the_group_s(world):
    clue = handed(world)
    url = reverse("clues:clue-assess", args=[clue.pk])
    assert_matrix(world, url, role_keys("leader_a", "member_a", status=302), method="post")


def test_transfers_and_letters_open_for_the_office_the_group_and_the_receiver(world):
    clue = received(world)
    sent = ClueTransfer.objects.get(items__clue=clue)
    expected = role_keys(*OFFICE_READERS, "leader_a", "member_a", "commission_receiver")
    assert_matrix(world, reverse("clues:transfer-detail", args=[sent.pk]), expected)
    assert_matrix(world, reverse("clues:transfer-docx", args=[sent.pk]), expected)
    assert_matrix(world, reverse("clues:transfer-proposals"), role_keys("office_head"))


def test_dispositions_are_recorded_by_the_receiver_only(world):
    clue = received(world)
    assert_matrix(world, reverse("clues:clue-dispose", args=[clue.pk]), role_keys("commission_receiver"))


def test_case_records_open_for_the_office_the_receiver_and_the_group_leader(world):
    clue = step(world, received(world), "preliminary_verification")
    case = dispositions.open_case(
        clues=[clue], by=world.users["commission_receiver"], case_number="示纪立〔2018〕3号",
        filed_at=date(2018, 1, 5), subjects=["钱某某"],
    )  # fmt: skip
    url = reverse("clues:case-detail", args=[case.pk])
    assert_matrix(world, url, role_keys(*OFFICE_READERS, "leader_a", "commission_receiver"))
    client = Client()
    client.force_login(world.users["leader_a"])
    assert "钱某某" not in client.get(url).content.decode()  # the outcome, not the case file


def test_the_funnel_shows_counts_to_the_office_and_meetings_to_the_head_and_commission(world):
    assert_matrix(world, reverse("clues:funnel"), role_keys("office_head", "office_staff", "clue_custodian"))
    assert_matrix(world, reverse("clues:meeting-list"), role_keys("office_head", "commission_receiver"))


def test_office_staff_see_the_counts_but_cannot_drill_into_clues(world):
    received(world)
    client = Client()
    client.force_login(world.users["office_staff"])
    body = client.get(reverse("clues:funnel")).content.decode()
    assert 'id="kpi-transferred">1<' in body
    assert "funnel=transferred" not in body
    client.force_login(world.users["clue_custodian"])
    assert "funnel=transferred" in client.get(reverse("clues:funnel")).content.decode()


def test_every_read_of_a_clue_is_logged_and_the_head_sees_who_read_it(world):
    clue = handed(world)
    client = Client()
    client.force_login(world.users["member_a"])
    client.get(reverse("clues:clue-detail", args=[clue.pk]))
    assert AuditLog.objects.filter(
        action=AuditLog.Action.VIEW, user=world.users["member_a"], object_id=str(clue.pk)
    ).exists()
    client.force_login(world.users["office_head"])
    readers = client.get(reverse("clues:clue-detail", args=[clue.pk])).content.decode()
    assert 'id="readers"' in readers
    assert world.users["member_a"].display_name in readers
    client.force_login(world.users["clue_custodian"])
    assert 'id="readers"' not in client.get(reverse("clues:clue-detail", args=[clue.pk])).content.decode()


def test_the_system_administrator_sees_no_clue_content(world):
    from tests.conftest import make_user

    admin = make_user("it_admin", "system_admin", is_staff=True)
    clue = received(world)
    sent = ClueTransfer.objects.get(items__clue=clue)
    for url in (
        reverse("clues:clue-list"),
        reverse("clues:clue-detail", args=[clue.pk]),
        reverse("clues:clue-export"),
        reverse("clues:transfer-detail", args=[sent.pk]),
        reverse("clues:transfer-docx", args=[sent.pk]),
        reverse("clues:funnel"),
    ):
        assert status_for(admin, url) == 404, url
    assert status_for(admin, "/admin/clues/clue/") == 404  # not registered in the admin either


def test_receivers_see_the_transfer_not_the_group_s_internal_work(world):
    clue = handed(world)
    transfers.record_assessment(
        clue=clue, by=world.users["leader_a"], conclusion="recommend_transfer",
        recommended_receiver="discipline_commission", notes="组内研判意见：证据较充分",
    )  # fmt: skip
    transfer(world, [Clue.objects.get(pk=clue.pk)])
    url = reverse("clues:clue-detail", args=[clue.pk])
    client = Client()
    client.force_login(world.users["commission_receiver"])
    body = client.get(url).content.decode()
    assert clue.code in body
    assert "组内研判意见" not in body
    client.force_login(world.users["leader_a"])
    assert "组内研判意见" in client.get(url).content.decode()


def test_the_transfer_ledger_is_not_a_page_for_those_without_a_clue_role(world):
    expected = role_keys(*OFFICE_READERS, "leader_a", "member_a", "member_b", "commission_receiver", "orgdept_receiver")
    assert_matrix(world, reverse("clues:transfer-list"), expected)


def test_an_ungraded_clue_offers_no_grade_until_one_is_chosen(world):
    """The grade select opened on "A：重要且可查", so one click on 保存分级 graded the clue A."""
    clue = register(world)
    client = Client()
    client.force_login(world.users["clue_custodian"])
    body = client.get(reverse("clues:clue-detail", args=[clue.pk])).content.decode()
    assert '<option value="" selected>—— 请选择 ——</option>' in body
    response = client.post(reverse("clues:clue-grade", args=[clue.pk]), {"grade": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["请选择分级。"]
    clue.refresh_from_db()
    assert (clue.grade, clue.status) == ("", Clue.Status.REGISTERED)
