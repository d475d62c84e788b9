"""Logging in as a person does it, in Chromium: the happy path and the lockout."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

# serialized_rollback: the role groups come from a data migration, and a transactional
# test's flush would otherwise leave them missing for every browser test after it.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Xc-demo-2017!"
LOGIN_PATH = "/accounts/login/"


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-submit")
    page.wait_for_load_state()


def test_office_staff_logs_in_and_lands_on_the_workbench(live_server, django_user_model, page: Page, artifacts_dir):
    user = django_user_model.objects.create_user("staff1", password=PASSWORD, first_name="", last_name="")
    user.groups.add(Group.objects.get(name="office_staff"))

    log_in(page, live_server.url + LOGIN_PATH, "staff1", PASSWORD)

    expect(page.locator("h1").first).to_have_text("工作台")
    assert LOGIN_PATH not in page.url
    lang = page.locator("html").get_attribute("lang") or ""
    assert lang.lower().startswith("zh"), lang
    page.screenshot(path=str(artifacts_dir / "home.png"), full_page=True)


def test_five_wrong_passwords_lock_the_account(live_server, django_user_model, page: Page):
    django_user_model.objects.create_user("staff2", password=PASSWORD, first_name="", last_name="")
    login_url = live_server.url + LOGIN_PATH

    for attempt in range(5):
        log_in(page, login_url, "staff2", f"wrong-password-{attempt}")
        assert "/accounts/login/" in page.url or "已被锁定" in page.content()

    # The sixth attempt, with the right password, is refused while the lock lasts.
    page.goto(login_url)
    if page.locator("#login-submit").count():
        page.fill("input[name=username]", "staff2")
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-submit")
        page.wait_for_load_state()

    expect(page.locator("body")).to_contain_text("已被锁定")
    expect(page.locator("h1", has_text="工作台")).to_have_count(0)
