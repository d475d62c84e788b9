"""Under the Content-Security-Policy, Chromium refuses nothing on the main pages of several roles:
every page their sidebar links to, the dashboard's charts (tooltip included), the password page
and the admin pages of the system administrator."""

import pytest
from playwright.sync_api import Page

from tests.conftest import make_user
from tests.e2e.test_letter_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADMIN_PAGES = ["/admin/", "/admin/core/user/", "/admin/core/user/add/", "/admin/axes/accessattempt/"]


def _watch(page: Page) -> list[str]:
    """Console messages about the policy and script errors, as Chromium reports them."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


def _visit_sidebar(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("nav.sidebar a", "links => links.map(a => a.getAttribute('href'))")
    for href in [*hrefs, "/accounts/password/"]:
        page.goto(base + href)
        page.wait_for_load_state("load")
    return hrefs


@pytest.mark.parametrize("username", ["head", "staff", "custodian", "leader_a", "partner_x"])
def test_no_page_of_a_role_breaks_the_policy(live_server, world, page: Page, username: str):
    problems = _watch(page)
    log_in(page, live_server.url, username)

    visited = _visit_sidebar(page, live_server.url)

    assert visited, "the sidebar links to no page"
    assert not problems, "\n".join(problems)


def test_the_dashboard_charts_and_tooltips_keep_to_the_policy(live_server, world, page: Page):
    problems = _watch(page)
    log_in(page, live_server.url, "head")
    page.goto(live_server.url + "/dashboard/")
    page.wait_for_selector("#chart-funnel canvas")
    page.hover("#chart-funnel canvas")
    page.mouse.move(200, 200)
    assert not problems, "\n".join(problems)


def test_the_admin_keeps_to_the_policy(live_server, world, page: Page):
    make_user("sysadmin", "system_admin", is_staff=True)
    problems = _watch(page)
    log_in(page, live_server.url, "sysadmin")
    for path in ADMIN_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
    assert not problems, "\n".join(problems)
