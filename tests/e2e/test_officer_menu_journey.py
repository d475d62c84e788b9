"""The liaison officer in Chromium (issue 13 item 8): the menu names each duty, and the contact log
accepts a time typed by hand (the browser's own step check used to allow only "now")."""

import pytest
from playwright.sync_api import Page, expect

from liaison.models import ContactLogEntry
from tests.e2e.test_letter_journey import log_in
from tests.liaison.liaison_fixtures import liaison_world  # noqa: F401 - registers the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_officer_finds_each_duty_in_the_menu_and_logs_an_earlier_call(
    live_server,
    liaison_world,  # noqa: F811 - fixture
    page: Page,
):
    base = live_server.url
    log_in(page, base, "liaison_a")
    nav = page.locator("nav")
    for label in ("本单位", "交接事项", "整改台账", "反馈问题"):
        expect(nav).to_contain_text(label)
    nav.get_by_role("link", name="交接事项").click()
    expect(page).to_have_url(f"{base}/liaison/units/{liaison_world.unit_a.pk}/handovers/")

    page.goto(f"{base}/liaison/units/{liaison_world.unit_a.pk}/contact/")
    page.fill("#contact-form input[name=at]", "2017-09-01T08:07")
    page.fill("#contact-form input[name=subject]", "补记上周电话")
    assert page.eval_on_selector("#contact-form input[name=at]", "el => el.checkValidity()")
    page.click("#contact-form button[type=submit]")
    expect(page.locator("main")).to_contain_text("补记上周电话")
    assert ContactLogEntry.objects.filter(subject="补记上周电话").exists()


def test_a_form_posted_a_moment_ago_is_not_posted_again_by_a_second_click(
    live_server,
    liaison_world,  # noqa: F811 - fixture
    page: Page,
):
    """static/js/ui.js: QA's double post made two contact entries. The second submit of a form
    within seconds is cancelled; a GET form (filters) is never held back."""
    base = live_server.url
    log_in(page, base, "liaison_a")
    page.goto(f"{base}/liaison/units/{liaison_world.unit_a.pk}/contact/")
    clicks = """form => {
        const click = () => form.dispatchEvent(new Event("submit", {bubbles: true, cancelable: true}));
        return [click(), click()];
    }"""
    assert page.eval_on_selector("#contact-form", clicks) == [True, False]
    page.fill("#contact-form input[name=subject]", "电话督促报送整改方案")
    page.eval_on_selector("#contact-form", "form => { delete form.dataset.postedAt; }")
    page.eval_on_selector("#contact-form", "form => { form.requestSubmit(); form.requestSubmit(); }")
    expect(page.locator("main")).to_contain_text("电话督促报送整改方案")
    assert ContactLogEntry.objects.filter(subject="电话督促报送整改方案").count() == 1
