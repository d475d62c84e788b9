"""Login safety: django-axes locks an account after five failures, with a Chinese message."""

from django.test import Client

from tests.conftest import PASSWORD, make_user


def _attempt(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(db):
    make_user("victim", "office_staff")
    client = Client()
    for _ in range(4):
        response = _attempt(client, "victim", "wrong-password")
        assert response.status_code == 200  # the form again, with an error
    locked = _attempt(client, "victim", "wrong-password")
    assert "账户已被锁定" in locked.content.decode()
    again = _attempt(Client(), "victim", PASSWORD)
    assert "账户已被锁定" in again.content.decode()
    assert "_auth_user_id" not in again.client.session


def test_a_lockout_of_one_account_does_not_lock_another(db):
    make_user("victim", "office_staff")
    make_user("colleague", "office_staff")
    client = Client()
    for _ in range(5):
        _attempt(client, "victim", "wrong-password")
    response = _attempt(client, "colleague", PASSWORD)
    assert response.status_code == 302


def test_a_wrong_password_shows_a_chinese_error(db):
    make_user("someone", "office_staff")
    body = _attempt(Client(), "someone", "wrong-password").content.decode()
    assert "请输入一个正确的" in body
