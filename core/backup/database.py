"""The database half of a backup: a consistent dump with what it holds, and loading one into an
empty database.

PostgreSQL: pg_dump's custom format (compressed; pg_restore loads it in one transaction),
taken inside an exported snapshot (`pg_dump --snapshot`), and the row counts and the file list
the manifest records are read in that same snapshot: they describe the dump exactly, whatever
the app writes meanwhile. SQLite: the online backup API (sqlite3.Connection.backup) copies a
consistent image of the live file while web and worker go on; counts and files are read from
the copy. Either way the app keeps running during a backup.

Credentials reach pg_dump and pg_restore through the environment (PGPASSWORD), never the
command line, which every user of the machine can read in `ps`.
"""

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

from core.models import StoredFile


class DatabaseToolFailed(Exception):
    """pg_dump or pg_restore failed; the message holds its error output."""


@dataclass(frozen=True)
class Dump:
    path: Path
    tables: dict[str, int]  # rows per table, as dumped
    storage_names: list[str]  # every StoredFile row's file, as dumped


def vendor() -> str:
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [row[0] for row in cursor.fetchall()]


def _row_counts(cursor: Any, vendor: str) -> dict[str, int]:
    counts = {}
    for table in _table_names(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - a name from the catalogue, quoted
        counts[table] = cursor.fetchone()[0]
    return counts


def _storage_names(cursor: Any) -> list[str]:
    table, column = StoredFile._meta.db_table, StoredFile._meta.get_field("storage_name").column
    cursor.execute(f"SELECT {_quote(column)} FROM {_quote(table)} ORDER BY 1")  # noqa: S608 - model names
    return [row[0] for row in cursor.fetchall()]


def row_counts() -> dict[str, int]:
    """Rows per table of the live database (after a restore: what to compare with the manifest)."""
    with connection.cursor() as cursor:
        return _row_counts(cursor, connection.vendor)


def _pg_env() -> dict[str, str]:
    params = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[variable] = str(params[key])
    if sslmode := params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise DatabaseToolFailed(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()}")


def dump(folder: Path) -> Dump:
    """Write a consistent dump of the database into folder."""
    if connection.vendor == "postgresql":
        return _dump_postgresql(folder / "db.dump")
    return _dump_sqlite(folder / "db.sqlite3")


def _dump_sqlite(path: Path) -> Dump:
    with closing(sqlite3.connect(connection.settings_dict["NAME"])) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
        # One self-contained file: the live database is in WAL mode, the archived copy need not be.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        return Dump(path, _row_counts(cursor, "sqlite"), _storage_names(cursor))


def _dump_postgresql(path: Path) -> Dump:
    with _snapshot() as (cursor, snapshot):
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}", connection.settings_dict["NAME"]]
        )
        return Dump(path, _row_counts(cursor, "postgresql"), _storage_names(cursor))


@contextmanager
def _snapshot() -> Iterator[tuple[Any, str]]:
    """A read-only repeatable-read transaction on a connection of its own (not the caller's,
    which may be inside a transaction already), and its exported snapshot id."""
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with own.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor, cursor.fetchone()[0]
            cursor.execute("COMMIT")
    finally:
        own.close()


def is_empty() -> bool:
    """Whether the database has no tables at all (a new, unmigrated database)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            return not _table_names(cursor, "postgresql")
    with closing(sqlite3.connect(connection.settings_dict["NAME"])) as target:
        return not _table_names(target.cursor(), "sqlite")


def load(path: Path, *, replace: bool) -> None:
    """Load a dump made by dump() into this database; replace: drop what is there first.

    Django's own connection is closed first and reopens on the restored database."""
    connection.close()
    if connection.vendor == "postgresql":
        if replace:
            _drop_everything()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-acl",  # the restoring account owns what it restores, whatever the old one was
                "--exit-on-error",
                "--single-transaction",  # all of it or nothing
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ]
        )
        return
    # The backup API overwrites every page of the target in one step, whatever it held before.
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(connection.settings_dict["NAME"])) as target:
        source.backup(target)


def _drop_everything() -> None:
    """--force on PostgreSQL: the schema goes, with every table, sequence and view in it."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
