"""The transfer approval in Chromium (issue 13 item 3): nothing is ticked, each proposal keeps its
group's recommended receiver, the meeting is required, the confirmation page lists the letters,
and a double click on its button sends each letter once."""

import pytest
from playwright.sync_api import Page, expect

from clues.models import Clue, ClueTransfer, Receiver
from tests.clues.lifecycle import proposed
from tests.e2e.test_letter_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_head_approves_two_proposals_at_a_meeting_after_a_confirmation(
    live_server, world, page: Page, artifacts_dir
):
    to_commission = proposed(world)
    to_orgdept = proposed(world, Receiver.ORGANIZATION_DEPT)
    left = proposed(world)
    base = live_server.url

    log_in(page, base, "head")
    page.goto(f"{base}/transfers/proposals/")
    boxes = page.locator("#proposal-table input[name=clue]")
    expect(boxes).to_have_count(3)
    for n in range(3):
        expect(boxes.nth(n)).not_to_be_checked()
    expect(page.locator(f"select[name=receiver-{to_orgdept.pk}]")).to_have_value(
        f"organization_dept:{world.org_dept.pk}"
    )

    # Ticked, but no meeting: the browser asks for it (the server would too) and nothing is sent.
    page.check(f"#proposal-{to_commission.pk} input[name=clue]")
    page.check(f"#proposal-{to_orgdept.pk} input[name=clue]")
    page.click("#review-transfers")
    assert page.eval_on_selector("#approve-form input[name=approved_by_text]", "e => e.validity.valueMissing")
    expect(page.locator("#review-transfers")).to_be_visible()

    page.fill("#approve-form input[name=approved_by_text]", "区委书记专题会")
    page.fill("#approve-form input[name=approval_meeting_date]", "2017-10-18")
    page.fill("#approve-form input[name=approval_minutes]", "专题会议纪要〔2017〕12号")
    page.click("#review-transfers")

    # The confirmation lists one letter per receiver, the meeting, and not the clue left out.
    expect(page.locator("h1").first).to_have_text("确认移交")
    expect(page.locator(".confirm-letter")).to_have_count(2)
    expect(page.locator("#confirm-meeting")).to_contain_text("区委书记专题会")
    expect(page.locator("main")).not_to_contain_text(left.code)
    page.screenshot(path=str(artifacts_dir / "transfer-confirm.png"), full_page=True)
    assert not ClueTransfer.objects.exists()

    page.dblclick("#confirm-send")
    expect(page.locator("#messages")).to_contain_text("已发出2份移交函")
    assert ClueTransfer.objects.count() == 2
    assert sorted(ClueTransfer.objects.values_list("receiver_type", flat=True)) == sorted(
        [Receiver.DISCIPLINE_COMMISSION, Receiver.ORGANIZATION_DEPT]
    )
    assert Clue.objects.get(pk=left.pk).status == Clue.Status.PROPOSED_FOR_TRANSFER
