"""The audit log's hash chain: every entry links to the one before; verify_audit finds the first break."""

import itertools
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from core import audit
from core.models import AuditLog, Organisation, User
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def verify() -> tuple[int, str]:
    """Run verify_audit; its exit code and what it printed."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def three_entries(user: User) -> list[AuditLog]:
    organisation = Organisation.objects.create(name="示范区民政局", unit_type="gov_dept")
    return [
        audit.log_action(user=user, action=AuditLog.Action.VIEW, obj=organisation, note=f"第{n}次") for n in range(3)
    ]


def test_each_entry_links_to_the_hash_of_the_one_before(db: Any) -> None:
    user = make_user("reader", "office_staff")
    entries = list(AuditLog.objects.order_by("pk"))

    assert entries[0].prev_hash == ""
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.entry_hash
    assert all(len(entry.entry_hash) == 64 for entry in entries)
    assert three_entries(user)[0].prev_hash == entries[-1].entry_hash


def test_an_intact_chain_verifies_with_exit_0(db: Any) -> None:
    three_entries(make_user("reader", "office_staff"))

    assert verify() == (0, "intact\n")


def test_changing_one_entry_with_raw_sql_is_reported_at_that_entry(db: Any) -> None:
    _first, second, _third = three_entries(make_user("reader", "office_staff"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET note = %s WHERE id = %s", ["改过", second.pk])

    code, output = verify()

    assert code == 1
    assert f"entry {second.pk}:" in output
    assert "content does not match its hash" in output


def test_removing_an_entry_is_reported_at_the_entry_after_it(db: Any) -> None:
    _first, second, third = three_entries(make_user("reader", "office_staff"))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditlog WHERE id = %s", [second.pk])

    code, output = verify()

    assert code == 1
    assert f"entry {third.pk}:" in output
    assert "previous-entry hash does not match" in output


def test_rehashing_a_changed_entry_still_breaks_the_next_link(db: Any) -> None:
    """Someone who recomputes the changed entry's own hash is caught by the entry after it."""
    _first, second, third = three_entries(make_user("reader", "office_staff"))
    AuditLog.objects.filter(pk=second.pk).update(note="改过")
    second.refresh_from_db()
    AuditLog.objects.filter(pk=second.pk).update(entry_hash=audit.chain_hash(second))

    code, output = verify()

    assert code == 1
    assert f"entry {third.pk}:" in output


def test_the_actor_keeps_its_username_on_the_entry(db: Any) -> None:
    user = make_user("reader", "office_staff")
    entry = three_entries(user)[0]
    entry.refresh_from_db()
    assert entry.username == "reader"
    assert entry.user == user


def test_an_account_with_audit_entries_cannot_be_deleted(db: Any) -> None:
    from django.db.models import ProtectedError

    user = make_user("reader", "office_staff")
    three_entries(user)

    with pytest.raises(ProtectedError):
        user.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time (BEGIN IMMEDIATE)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_on_postgresql_keep_one_intact_chain() -> None:
    user = make_user("reader", "office_staff")
    organisation = Organisation.objects.create(name="示范区民政局", unit_type="gov_dept")
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for k in range(15):
                with transaction.atomic():
                    audit.log_action(user=user, action=AuditLog.Action.VIEW, obj=organisation, note=f"{n}-{k}")
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert AuditLog.objects.filter(note__contains="-").count() == 60
    assert verify() == (0, "intact\n")


def test_the_migration_names_and_chains_the_entries_written_before_the_chain(db: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    user = make_user("reader", "office_staff")
    entries = three_entries(user)
    # As the entries were before the migration: no username, no hashes.
    AuditLog.objects.update(username="", prev_hash="", entry_hash="")
    assert verify()[0] == 1

    import_module("core.migrations.0005_audit_hash_chain_and_username").chain_existing_entries(apps, None)

    assert verify() == (0, "intact\n")
    entries[0].refresh_from_db()
    assert entries[0].username == "reader"
