"""core.outbox: every e-mail is a row written with its notification and sent once (issue 12).

The row and the notification commit or roll back together; a task sends the row after commit;
while the broker is down the row waits for the sweep; a failing mail server backs the row off
and finally marks it failed, which the status page shows; two sweeps at once send each e-mail
once; links are absolute (SITE_URL). Mail is Django's locmem backend (mail.outbox), or its real
SMTP backend pointed at a closed port where the mail server must fail.
"""

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, connections, transaction
from django.urls import reverse

from config.celery import app as celery_app
from core import outbox
from core.models import Notification, OutboundEmail
from core.services.notifications import notify
from core.tasks import send_email as send_email_task
from tests.conftest import make_user
from tests.core.test_enqueue import DEAD_BROKER, DEAD_OPTIONS, _use_broker, _wait_for, real_broker  # noqa: F401
from tests.helpers import logged_in

T0 = datetime(2017, 9, 4, 1, 0, tzinfo=UTC)
CLOSED_PORT = 1  # nothing listens there: the SMTP connection is refused at once


class Boom(Exception):
    pass


class SlowBackend(LocmemBackend):
    """locmem, but each send takes a moment: the window in which a second sender could double."""

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        threading.Event().wait(0.05)
        return super().send_messages(messages)


def _user(name: str = "mailme"):
    return make_user(name, "office_staff", email=f"{name}@example.gov.cn")


def _written_not_published(**fields) -> list[Notification]:
    """Notifications committed with their e-mails, whose send tasks were lost (as if the broker
    had been down): the eager test settings would otherwise send them at commit."""
    with transaction.atomic():
        notes = notify(**fields)
        connection.run_on_commit.clear()
    return notes


@pytest.mark.django_db
def test_a_rolled_back_notification_leaves_no_email():
    user = _user()
    written: list[int] = []

    def notify_then_fail() -> None:
        with transaction.atomic():
            notify(recipients=[user], title="通知", url="/inbox/")
            written.append(OutboundEmail.objects.filter(recipient=user.email).count())  # same transaction
            raise Boom

    with pytest.raises(Boom):
        notify_then_fail()
    assert written == [1]
    assert not Notification.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_notification_is_mailed_once_with_an_absolute_link(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://xc.example.gov.cn"
    user = _user()
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notify(recipients=[user], title="函已送达", body="请查收。", url="/clues/letters/7/")
        assert OutboundEmail.objects.get().status == OutboundEmail.Status.PENDING  # sent after commit
    row = OutboundEmail.objects.get()
    assert row.notification == note
    assert (row.status, row.attempts, row.last_error) == (OutboundEmail.Status.SENT, 1, "")
    assert row.sent_at is not None
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert message.subject == "函已送达"
    assert message.body == "请查收。\n\nhttps://xc.example.gov.cn/clues/letters/7/"
    # A redelivered task, a duplicate sweep: nothing more goes out.
    assert send_email_task.apply(args=[row.pk]).successful()
    assert outbox.sweep() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_user_without_an_address_gets_the_notification_only():
    user = make_user("nomail", "office_staff", email="")
    notify(recipients=[user], title="通知")
    assert Notification.objects.filter(recipient=user).count() == 1
    assert not OutboundEmail.objects.exists()


def test_links_are_the_site_url_joined_with_the_path(settings):
    settings.SITE_URL = "https://xc.example.gov.cn:8443"
    assert outbox.absolute_url("/clues/1/") == "https://xc.example.gov.cn:8443/clues/1/"
    assert outbox.absolute_url("clues/1/?tab=files") == "https://xc.example.gov.cn:8443/clues/1/?tab=files"
    assert outbox.absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"
    assert outbox.absolute_url("") == ""


def test_a_task_for_a_vanished_email_returns_quietly(db):
    assert send_email_task.apply(args=[987654]).successful()


# ---------------------------------------------------------------- the broker is down


@pytest.fixture(params=["closed Redis port", "filesystem folder that cannot be written"])
def broker_down(request, tmp_path: Path) -> tuple[str, dict]:
    if request.param == "closed Redis port":
        return DEAD_BROKER, DEAD_OPTIONS
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the broker's folder should be", encoding="utf-8")
    folder = str(blocker / "queue")  # even root cannot write below a file
    keys = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    return "filesystem://", dict.fromkeys(keys, folder)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mail_written_while_the_broker_is_down_is_sent_once_by_the_sweep(real_broker, broker_down):  # noqa: F811
    user = _user()
    configured = (celery_app.conf.broker_url, dict(celery_app.conf.broker_transport_options))
    _use_broker(*broker_down)
    notify(recipients=[user], title="断线期间的通知")  # commits; the publish after commit fails quietly
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts) == (OutboundEmail.Status.PENDING, 0)
    assert outbox.sweep() == 1  # found it, could not publish it, did not raise
    assert mail.outbox == []

    _use_broker(*configured)
    runs: list[str] = []

    def count(sender, **kwargs) -> None:
        if sender.name == send_email_task.name:
            runs.append(sender.name)

    task_postrun.connect(count, weak=False)
    try:
        # Two sweeps publish the same row twice before any worker runs: one task sends it.
        assert outbox.sweep() == 1
        assert outbox.sweep() == 1
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            assert _wait_for(lambda: len(runs) == 2)
    finally:
        task_postrun.disconnect(count)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboundEmail.Status.SENT, 1)
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert outbox.sweep() == 0


# ---------------------------------------------------------------- the mail server fails


@pytest.fixture
def refused_smtp(settings):
    """Django's real SMTP backend, pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", CLOSED_PORT, 5
    settings.EMAIL_MAX_ATTEMPTS, settings.EMAIL_RETRY_SECONDS, settings.EMAIL_RETRY_MAX_SECONDS = 3, 60, 100


@pytest.mark.django_db
def test_a_failing_mail_server_backs_off_then_gives_up_and_the_status_page_shows_it(
    refused_smtp, settings, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(T0, tick=False)
    user = _user()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], title="通知")
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts, row.next_attempt_at) == (
        OutboundEmail.Status.PENDING,
        1,
        T0 + timedelta(seconds=60),
    )
    assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    assert outbox.sweep() == 0  # backing off

    time_machine.move_to(T0 + timedelta(seconds=60), tick=False)
    assert outbox.sweep() == 1  # the sweep's task runs eagerly here, and fails again
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at) == (2, T0 + timedelta(seconds=60 + 100))  # 120 s, capped at 100

    time_machine.move_to(T0 + timedelta(seconds=160), tick=False)
    assert outbox.sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == (OutboundEmail.Status.FAILED, 3, None)
    time_machine.move_to(T0 + timedelta(days=1), tick=False)
    assert outbox.sweep() == 0  # given up: never tried again

    page = logged_in(make_user("staffer", "office_staff")).get(reverse("core:health"))
    assert page.status_code == 200
    assert list(page.context["failed_emails"]) == [row]
    assert user.email in page.content.decode()
    outbox_check = page.context["checks"][-1]  # the last row of the checks table
    assert outbox_check.ok is False
    assert "1" in outbox_check.detail

    # Once the mail server works again, a failed e-mail stays failed: nothing is resent blindly.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.send(row.pk) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_status_page_is_green_while_the_outbox_drains():
    page = logged_in(make_user("staffer", "office_staff")).get(reverse("core:health"))
    assert page.status_code == 200
    assert list(page.context["failed_emails"]) == []
    assert page.context["checks"][-1].ok is True  # the outbox's row


# ---------------------------------------------------------------- a sender that dies


@pytest.mark.django_db
def test_a_sender_that_died_leaves_the_mail_to_the_sweep_once_its_lease_runs_out(settings, time_machine):
    time_machine.move_to(T0, tick=False)
    user = _user()
    _written_not_published(recipients=[user], title="通知")
    row = OutboundEmail.objects.get()
    assert outbox._claim(row.pk, now=T0) is not None  # a worker claims it and is killed mid-send
    assert outbox.sweep() == 0  # held: nobody else sends it meanwhile
    assert outbox.send(row.pk) is False

    time_machine.move_to(T0 + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 61), tick=False)
    assert outbox.sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboundEmail.Status.SENT, 2)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_sender_that_died_on_the_last_attempt_leaves_the_mail_failed(settings, time_machine):
    settings.EMAIL_MAX_ATTEMPTS = 1
    time_machine.move_to(T0, tick=False)
    _written_not_published(recipients=[_user()], title="通知")
    row = OutboundEmail.objects.get()
    outbox._claim(row.pk, now=T0)
    time_machine.move_to(T0 + timedelta(hours=1), tick=False)
    assert outbox.sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboundEmail.Status.FAILED, 1)
    assert "never finished" in row.last_error
    assert mail.outbox == []


# ---------------------------------------------------------------- two sweeps at once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_send_each_mail_once(settings):
    """On PostgreSQL the second sender skips a row the first holds (SKIP LOCKED) or finds it
    leased; on SQLite the claims queue on the write lock and the second finds it leased."""
    settings.EMAIL_BACKEND = "tests.core.test_outbox.SlowBackend"
    users = [_user(f"racer{i}") for i in range(4)]
    _written_not_published(recipients=users, title="并发")
    start = threading.Barrier(2)

    def sweeper() -> None:
        try:
            start.wait()
            outbox.sweep()  # publishes each due row; the task runs eagerly, in this thread
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {(OutboundEmail.Status.SENT, 1)}
