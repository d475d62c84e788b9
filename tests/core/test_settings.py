"""config/env.py parsers, the settings module in production-like subprocesses, and its defaults."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_str,
    load_env_file,
    parse_database_url,
    parse_site_url,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NAME = "XUNCHA_TEST_VARIABLE"


# ---------------------------------------------------------------- parsers


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " On "])
def test_env_bool_reads_true(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off", ""])
def test_env_bool_reads_false(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    assert env_bool(NAME, True) is False


def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    assert env_bool(NAME, True) is True
    assert env_bool(NAME, False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "y e s", "enabled"])
def test_env_bool_rejects_anything_else(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_bool(NAME, False)


def test_env_int_reads_an_integer_or_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    assert env_int(NAME, 7) == 7
    monkeypatch.setenv(NAME, "")
    assert env_int(NAME, 7) == 7
    monkeypatch.setenv(NAME, "42")
    assert env_int(NAME, 7) == 42
    monkeypatch.setenv(NAME, " -3 ")
    assert env_int(NAME, 7) == -3


@pytest.mark.parametrize("raw", ["4x", "1.5", "twenty"])
def test_env_int_rejects_a_non_integer(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(NAME, raw)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_int(NAME, 7)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NAME, " xc.example.gov.cn, localhost ,,127.0.0.1, ")
    assert env_list(NAME) == ["xc.example.gov.cn", "localhost", "127.0.0.1"]
    monkeypatch.setenv(NAME, "")
    assert env_list(NAME, ["default"]) == []  # set but empty means empty, not the default


def test_env_list_default_is_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    default = ["a"]
    value = env_list(NAME, default)
    assert value == ["a"]
    value.append("b")
    assert default == ["a"]
    assert env_list(NAME) == []


def test_env_str_and_env_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(NAME, raising=False)
    assert env_str(NAME, "fallback") == "fallback"
    assert env_path(NAME, tmp_path) == tmp_path
    monkeypatch.setenv(NAME, str(tmp_path / "a" / ".." / "b"))
    assert env_path(NAME, Path("/nowhere")) == (tmp_path / "b").resolve()


def test_env_secret_prefers_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv(NAME, "from-the-variable")
    assert env_secret(NAME) == "from-the-variable"
    monkeypatch.setenv(NAME + "_FILE", str(secret_file))
    assert env_secret(NAME) == "from-the-file"  # trailing newline stripped


def test_env_secret_default_when_neither_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.delenv(NAME + "_FILE", raising=False)
    assert env_secret(NAME, "dflt") == "dflt"


def test_env_secret_with_a_missing_file_fails_loudly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(NAME + "_FILE", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError):
        env_secret(NAME)


def test_parse_database_url_reads_every_part() -> None:
    assert parse_database_url("postgres://xun%40cha:p%40ss%3Aword@db.example:5433/xun%2Dcha") == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "xun-cha",
        "USER": "xun@cha",
        "PASSWORD": "p@ss:word",
        "HOST": "db.example",
        "PORT": "5433",
    }


def test_parse_database_url_without_port_or_credentials() -> None:
    parsed = parse_database_url("postgresql://db/xuncha")
    assert parsed["NAME"] == "xuncha"
    assert parsed["HOST"] == "db"
    assert parsed["PORT"] == ""
    assert parsed["USER"] == ""
    assert parsed["PASSWORD"] == ""


@pytest.mark.parametrize(
    "url", ["mysql://u:p@db/xuncha", "sqlite:///var/db.sqlite3", "postgres://u:p@db", "postgres://u:p@db/"]
)
def test_parse_database_url_rejects_other_schemes_and_missing_names(url: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url)


@pytest.mark.parametrize(
    ("raw", "origin"),
    [
        ("https://xc.example.gov.cn", "https://xc.example.gov.cn"),
        ("https://xc.example.gov.cn/", "https://xc.example.gov.cn"),
        (" http://10.1.2.3:8000 ", "http://10.1.2.3:8000"),
    ],
)
def test_parse_site_url_keeps_the_origin(raw: str, origin: str) -> None:
    assert parse_site_url(raw) == origin


@pytest.mark.parametrize(
    "raw",
    ["xc.example.gov.cn", "ftp://xc.example.gov.cn", "https://", "https://xc.example.gov.cn/xuncha", "https://h/?a=1"],
)
def test_parse_site_url_refuses_anything_but_an_origin(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        parse_site_url(raw)


# ---------------------------------------------------------------- the settings module in a subprocess


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in (
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_SECURE_COOKIES",
        "DJANGO_STATIC_MANIFEST",
        "DJANGO_SECRET_KEY_FILE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests set it for Playwright (a shell may too); never in production
    ):
        env.pop(name, None)
    env["DJANGO_DEBUG"] = "0"
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(48)
    env["DJANGO_ALLOWED_HOSTS"] = "xc.example.gov.cn"
    env["SITE_URL"] = "https://xc.example.gov.cn"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return env


def test_production_without_a_secret_key_refuses_to_start() -> None:
    env = production_env()
    env.pop("DJANGO_SECRET_KEY")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_without_a_site_url_refuses_to_start() -> None:
    env = production_env()
    env.pop("SITE_URL", None)
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_a_production_like_environment_passes_the_deploy_checks() -> None:
    env = production_env()
    assert len(env["DJANGO_SECRET_KEY"]) == 64
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_invalid_boolean_in_the_environment_stops_the_start() -> None:
    env = production_env()
    env["DJANGO_SECURE_COOKIES"] = "maybe"
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECURE_COOKIES" in result.stderr


# ---------------------------------------------------------------- defaults


def test_links_default_to_the_development_server_only_in_debug() -> None:
    env = dict(os.environ, DJANGO_DEBUG="1")
    env.pop("SITE_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=PROJECT_ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8000", result.stderr


def test_language_and_time_zone_defaults() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.USE_I18N is True


@pytest.mark.django_db
def test_database_defaults() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        assert database["CONN_HEALTH_CHECKS"] is True
        assert database["CONN_MAX_AGE"] > 0
        with connection.cursor() as cursor:  # as the server took them, not as written
            cursor.execute("SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather')")
            assert cursor.fetchone() == ("off", "0")  # the pages' short plans (config/settings.py)
    else:
        assert database["ENGINE"] == "django.db.backends.sqlite3"
        options = database["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in options["init_command"]
        assert options["timeout"] > 0  # busy_timeout, so queued writers wait instead of failing


def test_upload_limits_have_sane_defaults() -> None:
    assert settings.UPLOAD_MAX_BYTES > 0
    assert settings.UPLOAD_MAX_UNPACKED_BYTES > settings.UPLOAD_MAX_BYTES
    assert settings.UPLOAD_MAX_COMPRESSION_RATIO > 1
    assert settings.STORAGES["private"]["OPTIONS"]["base_url"] is None  # no public URL for private files


def test_an_env_file_fills_only_what_the_environment_leaves_unset(tmp_path, monkeypatch) -> None:

    path = tmp_path / "dev.env"
    path.write_text("# comment\n\nXC_TEST_FROM_FILE = 1\nXC_TEST_ALREADY_SET=file\n", encoding="utf-8")
    monkeypatch.delenv("XC_TEST_FROM_FILE", raising=False)
    monkeypatch.setenv("XC_TEST_ALREADY_SET", "environment")
    load_env_file(path)
    assert os.environ["XC_TEST_FROM_FILE"] == "1"
    assert os.environ["XC_TEST_ALREADY_SET"] == "environment"
    monkeypatch.delenv("XC_TEST_FROM_FILE")


def test_a_malformed_env_file_line_is_refused(tmp_path) -> None:

    path = tmp_path / "dev.env"
    path.write_text("NOT A SETTING\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=r"dev\.env:1"):
        load_env_file(path)


def test_a_missing_env_file_changes_nothing(tmp_path) -> None:

    before = dict(os.environ)
    load_env_file(tmp_path / "absent.env")
    assert dict(os.environ) == before


def test_tests_run_with_debug_off_even_in_a_development_checkout(settings) -> None:
    assert settings.DEBUG is False


def test_django_s_async_guard_is_on_outside_the_browser_tests() -> None:
    """Only tests/e2e allow ORM calls next to an event loop (tests/e2e/conftest.py)."""
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
