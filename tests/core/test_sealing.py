"""Sealed text at rest (core.sealing): keys outside the database, loud failure on a wrong key,
rotation, and a production start refused without a key."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.core.serializers import serialize
from django.db import connection

from clues.models import Clue
from core import audit
from core.sealing import SEALED_MARK, SealBroken, Sealed, open_token, seal
from tests.clues.lifecycle import register
from tests.core.test_settings import production_env, run_manage

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _stored_reporters() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reporter_name FROM {Clue._meta.db_table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_sealed_text_opens_with_the_key_and_empty_stays_empty():
    token = seal("举报人甲")
    assert "举报人甲" not in token
    assert seal("举报人甲") != token  # a fresh IV: equal names do not show as equal tokens
    assert open_token(token) == "举报人甲"
    assert (seal(""), open_token("")) == ("", "")


def test_a_wrong_key_fails_loudly(settings):
    token = seal("举报人甲")
    settings.SEAL_KEYS = [KEY_B]
    with pytest.raises(SealBroken, match="XC_SEAL_KEYS"):
        open_token(token)
    with pytest.raises(SealBroken):
        Sealed(token).open()


def test_no_key_fails_loudly(settings):
    settings.SEAL_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="XC_SEAL_KEYS"):
        seal("举报人甲")


def test_a_sealed_value_prints_as_the_mark():
    assert str(Sealed(seal("举报人甲"))) == SEALED_MARK
    assert str(Sealed("")) == ""
    assert not Sealed("")


@pytest.mark.django_db
def test_the_reporter_cannot_be_searched_or_ordered_by_its_clear_text(world):
    register(world)
    assert not Clue.objects.filter(reporter_name="举报人甲").exists()
    with pytest.raises(FieldError):
        Clue.objects.filter(reporter_name__icontains="举报人").exists()


@pytest.mark.django_db
def test_snapshots_and_dumps_never_hold_the_clear_text(world):
    clue = register(world)
    assert audit.snapshot(clue)["reporter_name"] == audit.HIDDEN  # not even a digest
    assert audit.snapshot(Clue.objects.get(pk=clue.pk))["reporter_contact"] == audit.HIDDEN
    dumped = serialize("json", Clue.objects.all())
    assert "举报人甲" not in dumped
    assert SEALED_MARK not in dumped  # the token itself, so a restore keeps the identity


@pytest.mark.django_db
def test_rotation_re_seals_everything_under_the_new_key(world, settings):
    settings.SEAL_KEYS = [KEY_A]
    clues = [register(world), register(world, reporter_name="", reporter_contact="")]
    before = _stored_reporters()
    settings.SEAL_KEYS = [KEY_B, KEY_A]
    call_command("rotate_seal_key", "--batch-size", "1")
    after = _stored_reporters()
    assert after[0] != before[0]
    assert after[1] == ""  # nothing recorded stays nothing
    call_command("rotate_seal_key")  # idempotent: nothing left to re-seal
    assert _stored_reporters() == after
    settings.SEAL_KEYS = [KEY_B]
    stored = Clue.objects.get(pk=clues[0].pk)
    assert (stored.reporter_name.open(), stored.reporter_contact.open()) == ("举报人甲", "13800000000")


@pytest.mark.django_db
def test_rotation_stops_when_a_value_opens_with_no_key(world, settings):
    settings.SEAL_KEYS = [KEY_A]
    register(world)
    before = _stored_reporters()
    settings.SEAL_KEYS = [KEY_B]  # the old key dropped too early
    with pytest.raises(CommandError, match="old key"):
        call_command("rotate_seal_key")
    assert _stored_reporters() == before


def test_production_without_a_seal_key_refuses_to_start():
    env = production_env()
    env.pop("XC_SEAL_KEYS", None)
    env.pop("XC_SEAL_KEYS_FILE", None)
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "XC_SEAL_KEYS" in result.stderr


def test_production_with_a_malformed_seal_key_refuses_to_start():
    env = production_env()
    env["XC_SEAL_KEYS"] = "change-me-to-a-fernet-key"
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "not a Fernet key" in result.stderr


def test_production_reads_the_seal_keys_from_a_file(tmp_path):
    path = tmp_path / "seal_keys"
    path.write_text(f"{KEY_B}\n{KEY_A}\n", encoding="utf-8")
    env = production_env()
    env.pop("XC_SEAL_KEYS", None)
    env["XC_SEAL_KEYS_FILE"] = str(path)
    code = "from django.conf import settings; print(','.join(settings.SEAL_KEYS))"
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"{KEY_B},{KEY_A}"
