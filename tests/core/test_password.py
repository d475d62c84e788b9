"""Users change their own password (Django's views, in the site's layout, in Chinese), under the
password policy of real accounts, which the admin's forms and the account service apply too."""

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.test import Client

from core.passwords import CharacterClassesValidator
from core.services.directory import create_user_account
from demo.data import DEMO_PASSWORD
from tests.conftest import PASSWORD, make_user

NEW_PASSWORD = "Neue-Parole-2018"


@pytest.fixture
def user(db):
    return make_user("clerk", "office_staff")


@pytest.fixture
def client(user):
    client = Client()
    client.force_login(user)
    return client


def _change(client: Client, old: str, new: str, again: str | None = None):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_the_user_menu_links_to_the_password_page(client):
    assert 'href="/accounts/password/"' in client.get("/").content.decode()


def test_the_password_page_is_in_chinese_and_in_the_site_layout(client):
    body = client.get("/accounts/password/").content.decode()
    assert "修改密码" in body
    assert "旧密码" in body
    assert 'class="site-header"' in body


def test_a_user_changes_their_own_password_and_stays_logged_in(client, user):
    response = _change(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    done = client.get(response["Location"])
    assert "密码已修改" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_a_wrong_old_password_changes_nothing(client, user):
    body = _change(client, "not-the-password", NEW_PASSWORD).content.decode()
    assert "旧密码不正确" in body
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("Sh0rt-pass!", "至少包含 12 个字符"),  # 11 characters
        ("onlylowercaseletters", "至少 3 类字符"),
        ("lowercase-and-symbols", "至少 3 类字符"),
        ("Password1234", "太常见"),
    ],
)
def test_a_weak_new_password_is_refused_with_a_chinese_reason(client, user, weak, message):
    response = _change(client, PASSWORD, weak)

    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_password_page_asks_for_a_login():
    response = Client().get("/accounts/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefghijkl", 1), ("abcdefGHIJKL", 2), ("abcdefGHIJ12", 3), ("abcdEF12!?", 4), ("巡察abc123", 2)],
)
def test_character_classes_are_counted(password, classes):
    # Chinese characters have no case: they count as none of the four kinds.
    assert CharacterClassesValidator.classes_in(password) == classes


def test_the_admins_set_password_form_applies_the_policy(user):
    form = AdminPasswordChangeForm(user, {"password1": "onlylowercaseletters", "password2": "onlylowercaseletters"})
    assert not form.is_valid()
    form = AdminPasswordChangeForm(user, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors


def test_the_account_service_refuses_a_weak_password(db):
    with pytest.raises(ValidationError):
        create_user_account(by=None, username="newcomer", password="password", roles=["office_staff"])


def test_the_demo_password_meets_the_policy(db):
    # The demo accounts are made through the same service, so seeding checks it as well.
    assert create_user_account(by=None, username="demo", password=DEMO_PASSWORD, roles=["office_staff"])
