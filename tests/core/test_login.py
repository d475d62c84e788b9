"""Login safety: django-axes locks a username for the address that guessed it (five failures), and an
address that guesses across usernames (AXES_IP_FAILURE_LIMIT), with a Chinese message; the
system administrator unlocks in the admin, audited."""

import pytest
from axes.models import AccessAttempt
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from core.models import AuditLog
from tests.conftest import PASSWORD, make_user

ADDRESS_A = "198.51.100.7"
ADDRESS_B = "203.0.113.9"
LOCKED = "已被锁定"


def _attempt(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _logged_in(response) -> bool:
    return "_auth_user_id" in response.client.session


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(db):
    make_user("victim", "office_staff")
    client = Client(REMOTE_ADDR=ADDRESS_A)
    for _ in range(4):
        response = _attempt(client, "victim", "wrong-password")
        assert response.status_code == 200  # the form again, with an error
    locked = _attempt(client, "victim", "wrong-password")
    assert LOCKED in locked.content.decode()
    again = _attempt(Client(REMOTE_ADDR=ADDRESS_A), "victim", PASSWORD)
    assert LOCKED in again.content.decode()
    assert not _logged_in(again)


def test_a_lockout_of_one_account_does_not_lock_another(db):
    make_user("victim", "office_staff")
    make_user("colleague", "office_staff")
    client = Client(REMOTE_ADDR=ADDRESS_A)
    for _ in range(5):
        _attempt(client, "victim", "wrong-password")
    response = _attempt(client, "colleague", PASSWORD)
    assert response.status_code == 302


def test_guessing_the_office_heads_password_elsewhere_does_not_lock_her_out(db):
    make_user("office_head", "office_head")
    attacker = Client(REMOTE_ADDR=ADDRESS_A)
    for _ in range(5):
        _attempt(attacker, "office_head", "wrong-password")
    assert LOCKED in _attempt(attacker, "office_head", PASSWORD).content.decode()

    response = _attempt(Client(REMOTE_ADDR=ADDRESS_B), "office_head", PASSWORD)
    assert response.status_code == 302
    assert _logged_in(response)


def test_guessing_across_usernames_locks_the_address(db, settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    make_user("colleague", "office_staff")
    attacker = Client(REMOTE_ADDR=ADDRESS_A)
    # Two tries per name: no username-and-address pair comes near its limit of five.
    for n in range(4):
        for _ in range(2):
            _attempt(attacker, f"guess{n}", "wrong-password")

    refused = _attempt(Client(REMOTE_ADDR=ADDRESS_A), "colleague", PASSWORD)
    assert LOCKED in refused.content.decode()
    assert not _logged_in(refused)
    assert _attempt(Client(REMOTE_ADDR=ADDRESS_B), "colleague", PASSWORD).status_code == 302


def test_one_address_short_of_the_limit_still_logs_in(db, settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    make_user("colleague", "office_staff")
    attacker = Client(REMOTE_ADDR=ADDRESS_A)
    for n in range(7):
        _attempt(attacker, f"guess{n}", "wrong-password")
    assert _attempt(attacker, "colleague", PASSWORD).status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts_and_spoofed_entries_do_not(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("office_head", "office_head")
    # All requests come from the proxy; the browser's own address is the last forwarded one.
    for spoof in range(5):
        proxy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{spoof}, {ADDRESS_A}")
        _attempt(proxy, "office_head", "wrong-password")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ADDRESS_A}

    from_b = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ADDRESS_B)
    assert _attempt(from_b, "office_head", PASSWORD).status_code == 302


def test_a_wrong_password_shows_a_chinese_error(db):
    make_user("someone", "office_staff")
    body = _attempt(Client(), "someone", "wrong-password").content.decode()
    assert "请输入一个正确的" in body


@pytest.fixture
def locked_victim(db):
    victim = make_user("victim", "office_staff")
    client = Client(REMOTE_ADDR=ADDRESS_A)
    for _ in range(5):
        _attempt(client, "victim", "wrong-password")
    return victim


def test_the_system_administrator_unlocks_an_account_in_the_admin(locked_victim):
    sysadmin = make_user("sysadmin", "system_admin", is_staff=True)
    admin = Client()
    admin.force_login(sysadmin)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "victim" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="victim")

    response = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _attempt(Client(REMOTE_ADDR=ADDRESS_A), "victim", PASSWORD).status_code == 302
    entry = AuditLog.objects.get(content_type=ContentType.objects.get_for_model(AccessAttempt))
    assert entry.user == sysadmin
    assert entry.action == AuditLog.Action.DELETE
    assert "victim" in entry.note


def test_the_system_administrator_unlocks_several_at_once_audited(locked_victim):
    sysadmin = make_user("sysadmin", "system_admin", is_staff=True)
    admin = Client()
    admin.force_login(sysadmin)
    pks = list(AccessAttempt.objects.values_list("pk", flat=True))

    response = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.DELETE, note__contains="victim").count() == len(pks)


def test_other_staff_cannot_unlock(locked_victim):
    staff = make_user("clerk", "office_staff", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/axes/accessattempt/").status_code == 403
