"""The rectification journey in Chromium: the liaison officer uploads evidence and submits an item;
the office returns it with a note; the officer adds evidence and resubmits; the office signs it off;
the unit's completion rate changes."""

import pytest
from playwright.sync_api import Page, expect

from liaison.services import ledger as ledger_services
from tests.e2e.test_letter_journey import log_in
from tests.liaison.ledger_fixtures import ledger_fixture  # noqa: F401 - registers the "ledger" fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_officer_submits_office_returns_officer_resubmits_office_signs_off(
    live_server,
    ledger,
    page: Page,
    tmp_path,
    artifacts_dir,
):
    world = ledger.world
    item = ledger_services.submit_plan(by=ledger.officer, item=ledger.item)
    item = ledger_services.approve_plan(by=world.users["leader_a"], item=item)
    ledger_services.start_work(by=ledger.officer, item=item)
    first, second = tmp_path / "接待制度.pdf", tmp_path / "制度原件.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF)
    base = live_server.url
    item_url = f"{base}/rectification/items/{item.pk}/"
    overview = f"{base}/rectification/?round={world.round.pk}"

    log_in(page, base, "staff")
    page.goto(overview)
    unit_row = page.locator("#overview-table tr", has_text=world.unit_a.org_unit.name)
    expect(unit_row.locator("td").nth(5)).to_have_text("0%")

    # The officer records the work done with evidence and submits it for sign-off.
    log_in(page, base, "liaison_a")
    page.goto(item_url)
    page.fill("#progress-form input[name=progress_pct]", "100")
    page.fill("#progress-form textarea[name=note]", "已修订公务接待制度")
    page.set_input_files("#progress-form input[name=evidence]", str(first))
    page.click("#progress-form button[type=submit]")
    expect(page.locator("#evidence")).to_contain_text("接待制度.pdf")
    page.click("#submit-signoff")
    expect(page.locator("#item-status")).to_have_text("待销号")

    # The office returns it with a note.
    log_in(page, base, "staff")
    page.goto(item_url)
    page.locator("form:has(#return-item) input[name=note]").fill("请补充制度原件")
    page.click("#return-item")
    expect(page.locator("#item-status")).to_have_text("整改中")

    # The officer adds the missing evidence and submits again.
    log_in(page, base, "liaison_a")
    page.goto(item_url)
    expect(page.locator("main")).to_contain_text("请补充制度原件")
    page.fill("#progress-form input[name=progress_pct]", "100")
    page.fill("#progress-form textarea[name=note]", "补充制度原件")
    page.set_input_files("#progress-form input[name=evidence]", str(second))
    page.click("#progress-form button[type=submit]")
    page.click("#submit-signoff")
    expect(page.locator("#item-status")).to_have_text("待销号")

    # The office signs it off; the unit's completion rate is now 100%.
    log_in(page, base, "staff")
    page.goto(item_url)
    page.click("#sign-off")
    expect(page.locator("#item-status")).to_have_text("已销号")
    page.goto(overview)
    expect(unit_row.locator("td").nth(5)).to_have_text("100%")
    page.screenshot(path=str(artifacts_dir / "rectification.png"), full_page=True)
