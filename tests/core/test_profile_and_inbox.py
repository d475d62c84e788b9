"""Issue 13 item 6: a profile page (name, e-mail, phone, a preference per notification kind),
notify() honouring the preference, and opening a notification marks it read."""

from typing import Any

import pytest

from core.models import Notification, OutboundEmail
from core.services.notifications import notify
from tests.conftest import make_user
from tests.helpers import logged_in


@pytest.fixture
def alice(db: Any) -> Any:
    return make_user("alice", "office_staff", email="alice@example.gov.cn")


@pytest.fixture
def bob(db: Any) -> Any:
    return make_user("bob", "office_staff", email="bob@example.gov.cn")


def test_a_notification_goes_out_by_email_by_default(alice):
    notify(recipients=[alice], title="t", kind=Notification.Kind.HANDOFF)
    assert OutboundEmail.objects.filter(recipient="alice@example.gov.cn").count() == 1


def test_a_kind_kept_in_the_inbox_writes_no_outbox_row(alice, bob):
    alice.notification_prefs = {Notification.Kind.REMINDER: "inbox"}
    alice.save()
    notify(recipients=[alice, bob], title="Reminder", kind=Notification.Kind.REMINDER)
    assert Notification.objects.filter(recipient=alice, kind="reminder").count() == 1  # the inbox still has it
    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == ["bob@example.gov.cn"]
    notify(recipients=[alice], title="Hand-off", kind=Notification.Kind.HANDOFF)  # another kind: e-mailed
    assert OutboundEmail.objects.filter(recipient="alice@example.gov.cn").count() == 1


def test_the_user_edits_their_own_profile_and_preferences(alice):
    client = logged_in(alice)
    page = client.get("/profile/")
    assert page.status_code == 200
    assert "alice@example.gov.cn" in page.content.decode()
    data = {
        "last_name": "王",
        "first_name": "小丽",
        "email": "wang@example.gov.cn",
        "phone": "0791-1234567",
        **{f"pref_{kind}": "email" for kind in Notification.Kind.values},
        "pref_reminder": "inbox",
    }
    assert client.post("/profile/", data).status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.email, alice.phone) == ("王小丽", "wang@example.gov.cn", "0791-1234567")
    assert alice.notification_prefs == {"reminder": "inbox"}
    assert not alice.wants_email("reminder")
    assert alice.wants_email("handoff")
    assert 'id="profile-link"' in client.get("/").content.decode()  # linked from the top bar


def test_a_bad_email_address_is_refused_and_nothing_changes(alice):
    data = {"email": "not an address", **{f"pref_{kind}": "email" for kind in Notification.Kind.values}}
    page = logged_in(alice).post("/profile/", data)
    assert page.status_code == 200
    alice.refresh_from_db()
    assert alice.email == "alice@example.gov.cn"


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(alice):
    (note,) = notify(recipients=[alice], title="t", url="/letters/7/")
    response = logged_in(alice).get(f"/inbox/{note.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/letters/7/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert f"/inbox/{note.pk}/open/" in logged_in(alice).get("/inbox/").content.decode()


def test_someone_elses_notification_is_a_404_and_stays_unread(alice, bob):
    (note,) = notify(recipients=[alice], title="t", url="/letters/7/")
    assert logged_in(bob).get(f"/inbox/{note.pk}/open/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_a_notification_link_off_the_site_opens_the_inbox_instead(alice):
    (note,) = notify(recipients=[alice], title="t", url="https://evil.example.com/")
    assert logged_in(alice).get(f"/inbox/{note.pk}/open/")["Location"] == "/inbox/"
