"""The dashboard in Chromium: the office head opens it, clicks the case conversion rate, lands
on the concluded clues, exports them, and the workbook holds as many clues as the dashboard
counted. A screenshot of the dashboard with its charts is kept in var/e2e."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clues.services import dispositions
from tests.clues.lifecycle import received, step
from tests.e2e.test_letter_journey import log_in
from tests.exports import export_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_office_head_drills_from_the_conversion_rate_to_an_export(live_server, world, page: Page, artifacts_dir):
    # Three concluded clues (one with a case filed) and one still under verification.
    step(world, received(world), "closed_no_action")
    step(world, received(world), "closed_no_action")
    filed = step(world, received(world), "preliminary_verification")
    dispositions.open_case(
        clues=[filed],
        by=world.users["commission_receiver"],
        case_number="示纪立〔2018〕1号",
        filed_at=date(2018, 1, 5),
        subjects=["钱某某"],
    )
    step(world, received(world), "preliminary_verification")
    base = live_server.url

    log_in(page, base, "head")
    page.click('nav.sidebar a[href="/dashboard/"]')  # the item right after the workbench
    expect(page).to_have_url(f"{base}/dashboard/")
    expect(page.locator("#kpi-concluded")).to_have_text("3")
    expect(page.locator("#kpi-rate")).to_have_text("33%")
    # ECharts drew every chart (a canvas in each container).
    page.wait_for_selector("#chart-letters canvas")
    for chart in ("funnel", "sources", "categories", "seconded", "units", "letters"):
        expect(page.locator(f"#chart-{chart} canvas").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "dashboard.png"), full_page=True)

    page.click("#conversion-rate-link")
    expect(page).to_have_url(f"{base}/clues/?funnel=concluded")
    expect(page.locator("#clue-table tbody tr")).to_have_count(3)

    with page.expect_download() as download:
        page.click("#export-clues")
    path = Path(download.value.path())
    rows = [row for row in export_rows(path.read_bytes()) if any(v is not None for v in row)]
    assert len(rows) - 1 == 3  # the header, then the three concluded clues
