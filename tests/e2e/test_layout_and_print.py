"""Layout that holds and pages that print (issue 14 items 4 and 6), in Chromium.

At 1440 px and at 375 px the dashboard, the clue registry, a unit's rectification ledger and its
handover list scroll sideways only inside their scrolling containers, and their status and action
cells are on screen; printed (print media emulated), a letter and a ledger show no top bar,
navigation or buttons, and the 打印 button calls window.print()."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from clues.services import letters as letter_services
from clues.services.partners import register_partner
from liaison.services import handovers
from tests.clues.lifecycle import handed
from tests.e2e.test_letter_journey import log_in
from tests.liaison.ledger_fixtures import ledger_fixture  # noqa: F401 - registers the "ledger" fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG = "反映该单位领导班子成员长期违规收受管理服务对象礼品礼金并安排亲属在下属企业挂名领取薪酬" * 3
NO_PAGE_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def _in_view(page: Page, selector: str, width: int) -> None:
    """The first such cell is shown and lies within the window's width."""
    cell = page.locator(selector).first
    expect(cell).to_be_visible()
    box = cell.bounding_box()
    assert box is not None, selector
    assert box["x"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= width + 1, (selector, box, width)


@pytest.fixture
def pages(live_server, ledger):
    world = ledger.world
    handed(world, allegation_summary=LONG)
    handovers.request_materials(
        by=world.users["leader_a"],
        inspected_unit=world.unit_a,
        item="2016年度党委会会议记录及全部附件材料（含扫描件和原件清单）",
        category="minutes",
        due_at=date(2017, 9, 10),
        note=LONG[:60],
    )
    register_partner(by=None, org_unit=world.partner_x, category="audit", sort_order=1, request_items=["审计情况"])
    (letter, *_rest) = letter_services.create_round_letters(
        inspection_round=world.round, by=world.users["office_staff"]
    )
    unit = world.unit_a.pk
    return {
        "base": live_server.url,
        "dashboard": reverse("reports:dashboard"),
        "registry": reverse("clues:clue-list"),
        "ledger": reverse("liaison:ledger", args=[unit]),
        "handovers": reverse("liaison:handover-list", args=[unit]),
        "letter": reverse("clues:letter-detail", args=[letter.pk]),
    }


@pytest.mark.parametrize("width", [1440, 375])
def test_lists_hold_at_desktop_and_phone_widths(pages, page: Page, width: int, artifacts_dir):
    base = pages["base"]
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, base, "head")
    checks = {
        "dashboard": ['#metric-seconded_share td[data-value="overall"]', '#metric-letters_sent td[data-value="round"]'],
        "registry": ["#clue-table tbody td.status-cell"],
        "ledger": ["#problem-1 td.status-cell"],
        "handovers": ["#handover-table td.status-cell", "#handover-table td.actions-cell"],
    }
    for name, cells in checks.items():
        page.goto(base + pages[name])
        assert page.evaluate(NO_PAGE_OVERFLOW), (name, width, page.evaluate("document.documentElement.scrollWidth"))
        for selector in cells:
            _in_view(page, selector, width)
        page.screenshot(path=str(artifacts_dir / f"layout-{name}-{width}.png"), full_page=True)
    # On a phone a registry row is a card whose cells are labelled by their column.
    page.goto(base + pages["registry"])
    status = page.locator("#clue-table tbody td.status-cell").first
    label = status.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert ("状态" in label) == (width == 375), label


@pytest.mark.parametrize("name", ["letter", "ledger"])
def test_a_printed_letter_or_ledger_shows_no_navigation(pages, page: Page, name: str, artifacts_dir):
    base = pages["base"]
    log_in(page, base, "head")
    page.goto(base + pages[name])
    expect(page.locator(".site-header")).to_be_visible()
    button = page.locator("#print-page")
    expect(button).to_have_text("打印")
    page.evaluate("window.print = () => { window.printed = true; }")
    button.click()
    assert page.evaluate("window.printed === true")

    page.emulate_media(media="print")
    for hidden in (".site-header", "nav.sidebar", "#print-page", ".page-actions"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("h1").first).to_be_visible()
    if name == "ledger":
        expect(page.locator("#problem-1 table")).to_be_visible()
        assert page.locator("#problem-1 thead").evaluate("e => getComputedStyle(e).display") == "table-header-group"
    page.pdf(path=str(artifacts_dir / f"print-{name}.pdf"))
