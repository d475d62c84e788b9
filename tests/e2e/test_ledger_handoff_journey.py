"""The rectification hand-off in Chromium (issue 13 proof): the liaison officer finds the ledger from
the menu and submits an item; the group leader is told, opens the notice (which marks it read) and
signs the item off; the officer is told in turn."""

import pytest
from playwright.sync_api import Page, expect

from core.models import Notification
from liaison.services import ledger as ledger_services
from tests.e2e.test_letter_journey import log_in
from tests.liaison.ledger_fixtures import evidence, ledger_fixture  # noqa: F401 - registers the "ledger" fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_submits_from_the_menu_leader_is_told_and_signs_off_officer_is_told(live_server, ledger, page: Page):
    world, officer = ledger.world, ledger.officer
    leader = world.users["leader_a"]
    item = ledger_services.submit_plan(by=officer, item=ledger.item)
    item = ledger_services.approve_plan(by=leader, item=item)
    item = ledger_services.start_work(by=officer, item=item)
    ledger_services.record_progress(by=officer, item=item, note="完成", progress_pct=100, files=[evidence()])
    base = live_server.url

    # The officer reaches the ledger from the menu, opens the item and submits it.
    log_in(page, base, "liaison_a")
    page.locator("nav").get_by_role("link", name="整改台账").click()
    page.get_by_role("link", name=f"{ledger.problem.seq}.{item.seq}", exact=True).click()
    expect(page).to_have_url(f"{base}/rectification/items/{item.pk}/")
    page.click("#submit-signoff")
    expect(page.locator("#item-status")).to_have_text("待销号")

    # The group leader finds the notice in the inbox; opening it marks it read and lands on the item.
    notice = Notification.objects.get(recipient=leader, url=f"/rectification/items/{item.pk}/")
    assert notice.read_at is None
    log_in(page, base, "leader_a")
    page.goto(f"{base}/inbox/")
    page.get_by_role("link", name=notice.title).click()
    expect(page).to_have_url(f"{base}/rectification/items/{item.pk}/")
    notice.refresh_from_db()
    assert notice.read_at is not None
    page.click("#sign-off")
    expect(page.locator("#item-status")).to_have_text("已销号")

    # The officer is told it was signed off.
    told = Notification.objects.filter(recipient=officer, url=f"/rectification/items/{item.pk}/", read_at__isnull=True)
    assert told.count() == 1
    log_in(page, base, "liaison_a")
    page.goto(f"{base}/inbox/")
    expect(page.locator("main")).to_contain_text(told.get().title)
