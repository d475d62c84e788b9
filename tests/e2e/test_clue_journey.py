"""The clue journey in Chromium: the custodian hands clues to group 1, its leader proposes a
transfer, the office head approves, the commission records a preliminary verification and a
case, the funnel shows it, and a member of group 2 cannot open the clue by its URL."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clues.models import Clue
from tests.clues.lifecycle import register
from tests.e2e.test_letter_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_custodian_group_head_and_commission_take_a_clue_to_a_case(
    live_server, world, page: Page, django_capture_on_commit_callbacks, artifacts_dir
):
    clue = register(world, allegation_summary="反映其在工程招标中收受好处费")
    register(world, allegation_summary="反映其违规发放津补贴")
    base = live_server.url

    # The custodian hands both clues to group 1 from the registry.
    log_in(page, base, "custodian")
    page.goto(f"{base}/clues/")
    page.locator("#clue-table input[name=clue]").first.check()
    page.locator("#clue-table input[name=clue]").nth(1).check()
    page.click("#hand-over")
    expect(page.locator("#bulk-rows")).to_contain_text("第1巡察组")
    page.click("#confirm-bulk")
    expect(page.locator("#messages")).to_contain_text("已将2条问题线索转交所属巡察组")

    # The group 1 leader opens the clue, reveals the reporter with a reason, proposes a transfer.
    log_in(page, base, "leader_a")
    page.goto(f"{base}/clues/{clue.pk}/")
    page.fill("#reveal-reason", "需要向反映人核实情况")
    page.click("#reveal-button")
    expect(page.locator("#reveal")).to_contain_text("举报人甲")
    page.select_option("#assessment select[name=conclusion]", "recommend_transfer")
    page.select_option("#assessment select[name=recommended_receiver]", "discipline_commission")
    page.fill("#assessment textarea[name=notes]", "谈话笔录2份")
    page.click("#record-assessment")
    expect(page.locator("#clue-status")).to_have_text("拟移交")

    # The office head approves and sends it to the commission.
    log_in(page, base, "head")
    page.goto(f"{base}/transfers/proposals/")
    page.check(f"#proposal-{clue.pk} input[name=clue]")
    page.fill("#approve-form input[name=approved_by_text]", "书记专题会")
    page.fill("#approve-form input[name=approval_meeting_date]", timezone.localdate().isoformat())
    page.fill("#approve-form input[name=approval_minutes]", "专题会议纪要〔2017〕12号")
    page.click("#review-transfers")
    expect(page.locator(".confirm-clue")).to_have_count(1)
    page.click("#confirm-send")
    expect(page.locator("#messages")).to_contain_text("示巡办移〔")
    page.screenshot(path=str(artifacts_dir / "transfers.png"), full_page=True)

    # The commission acknowledges, records a preliminary verification, then files a case.
    log_in(page, base, "commission_rx")
    page.goto(f"{base}/transfers/")
    page.locator("#transfer-table a").first.click()
    page.click("#acknowledge")
    page.goto(f"{base}/clues/{clue.pk}/dispose/")
    page.select_option("#step-form select[name=disposition_type]", "preliminary_verification")
    today = timezone.localdate()  # the receipt's day in Asia/Shanghai
    page.fill("#step-form input[name=decided_at]", today.isoformat())
    page.fill("#step-form input[name=decided_by_text]", "纪委常委会")
    page.click("#record-step")
    expect(page.locator("#clue-status")).to_have_text("初步核实")
    page.goto(f"{base}/transfers/")
    page.locator("#transfer-table a").first.click()
    page.fill("#case-form input[name=case_number]", "示纪立〔2018〕1号")
    page.fill("#case-form input[name=filed_at]", (today + timedelta(days=30)).isoformat())
    page.fill("#case-form input[name=subjects]", "钱某某")
    page.locator("#case-form input[name=clues]").first.check()
    page.click("#file-case")
    expect(page.locator("#messages")).to_contain_text("已立案")
    assert Clue.objects.get(pk=clue.pk).status == Clue.Status.CASE_FILED

    # The funnel shows one transferred, one concluded, one filed: 100%.
    log_in(page, base, "head")
    page.goto(f"{base}/funnel/")
    expect(page.locator("#kpi-transferred")).to_have_text("1")
    expect(page.locator("#kpi-filed")).to_have_text("1")
    expect(page.locator("#kpi-rate")).to_have_text("100%")
    page.screenshot(path=str(artifacts_dir / "funnel.png"), full_page=True)

    # A member of group 2 gets the not-found page for the clue's URL.
    log_in(page, base, "member_b")
    response = page.goto(f"{base}/clues/{clue.pk}/")
    assert response.status == 404
