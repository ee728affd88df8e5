"""A consistent copy of the database, and putting one back, on SQLite and PostgreSQL.

SQLite: the online backup API copies the database page by page as one consistent state,
while the app keeps writing. PostgreSQL: ``pg_dump`` in its custom format (compressed,
read by ``pg_restore``) on a snapshot exported from a repeatable-read transaction, the
manifest's counts read in that same transaction, so they describe exactly what was dumped.
The password reaches ``pg_dump`` and ``pg_restore`` in their environment, never on a
command line that ``ps`` shows.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL

from remedy.backup.problems import BadBackup, UsageProblem

SQLITE_PART = "database.sqlite3"
POSTGRES_PART = "database.pgdump"
PARTS = {"sqlite": SQLITE_PART, "postgresql": POSTGRES_PART}
COUNTED = ("grievances", "attachments", "audit_events")
TIMEOUT = 6 * 3600


@dataclass(frozen=True)
class Snapshot:
    """What the copied database holds, as the manifest records it."""

    part: str
    revision: str | None
    counts: dict[str, int]


def kind_of(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in PARTS:
        raise UsageProblem(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def read_state(connection: Connection | sqlite3.Connection) -> tuple[str | None, dict[str, int]]:
    """The migration revision and the counted tables' row counts."""

    def scalar(statement: str) -> Any:
        if isinstance(connection, sqlite3.Connection):
            row = connection.execute(statement).fetchone()
            return row[0] if row else None
        return connection.execute(text(statement)).scalar()

    counts = {table: int(scalar(f"SELECT count(*) FROM {table}")) for table in COUNTED}  # noqa: S608
    return scalar("SELECT version_num FROM alembic_version"), counts


def dump(engine: Engine, staging: Path) -> Snapshot:
    """Copy the app's database into ``staging`` (a private folder)."""
    if kind_of(engine) == "sqlite":
        return _dump_sqlite(engine, staging)
    return _dump_postgres(engine, staging)


def _dump_sqlite(engine: Engine, staging: Path) -> Snapshot:
    path = staging / SQLITE_PART
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    raw = engine.raw_connection()
    try:
        copy = sqlite3.connect(path)
        try:
            raw.driver_connection.backup(copy)  # type: ignore[union-attr]
            revision, counts = read_state(copy)
        finally:
            copy.close()
    finally:
        raw.close()
    return Snapshot(SQLITE_PART, revision, counts)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise UsageProblem(
            f"{name} is not installed (PostgreSQL's client tools, the server's major version)."
        )
    return found


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A connection string without the password, and an environment that carries it."""
    conninfo = url.set(drivername="postgresql", password=None)
    environment = dict(os.environ)  # noqa: TID251 - the child process's own environment
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return conninfo.render_as_string(hide_password=False), environment


def _run(
    command: list[str], environment: dict[str, str], failure: Callable[[str], Exception]
) -> str:
    done = subprocess.run(  # noqa: S603 - fixed tool, arguments as a list
        command, env=environment, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    if done.returncode != 0:
        raise failure(done.stderr.strip() or f"{Path(command[0]).name} failed")
    return done.stdout


def _dump_postgres(engine: Engine, staging: Path) -> Snapshot:
    path = staging / POSTGRES_PART
    conninfo, environment = libpq(engine.url)
    repeatable = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with repeatable as connection, connection.begin():
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        revision, counts = read_state(connection)
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={path}",
                f"--dbname={conninfo}",
            ],
            environment,
            lambda message: BadBackup(f"pg_dump failed: {message}"),
        )
    os.chmod(path, 0o600)
    return Snapshot(POSTGRES_PART, revision, counts)


def check_copy(kind: str, staging: Path, manifest: dict[str, Any]) -> None:
    """Without touching any database: SQLite's own integrity check and the manifest's
    counts on a read-only copy; for PostgreSQL, ``pg_restore`` must read the dump's list."""
    if kind == "sqlite":
        uri = (staging / SQLITE_PART).resolve().as_uri() + "?mode=ro"
        try:
            copy = sqlite3.connect(uri, uri=True)
            try:
                result = [row[0] for row in copy.execute("PRAGMA integrity_check")]
                state = read_state(copy)
            finally:
                copy.close()
        except sqlite3.DatabaseError as exc:
            raise BadBackup(f"The database copy is not readable: {exc}.") from exc
        if result != ["ok"]:
            raise BadBackup(f"SQLite's integrity check fails: {'; '.join(result[:5])}.")
        if state != (manifest.get("alembic_revision"), manifest.get("counts")):
            raise BadBackup("The database copy does not hold what the manifest says it holds.")
        return
    listing = _run(
        [_tool("pg_restore"), "--list", str(staging / POSTGRES_PART)],
        dict(os.environ),  # noqa: TID251 - the child process's own environment
        lambda message: BadBackup(f"pg_restore cannot read the dump: {message}"),
    )
    for table in COUNTED:
        if f"TABLE DATA public {table} " not in listing:
            raise BadBackup(f"The dump has no data for the table {table}.")


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return not inspect(connection).get_table_names()


def load(engine: Engine, kind: str, staging: Path) -> None:
    """Put a checked copy into the app's empty database."""
    if kind == "sqlite":
        copy = sqlite3.connect(staging / SQLITE_PART)
        raw = engine.raw_connection()
        try:
            copy.backup(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()
            copy.close()
        engine.dispose()
        return
    conninfo, environment = libpq(engine.url)
    engine.dispose()
    _run(
        [
            _tool("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={conninfo}",
            str(staging / POSTGRES_PART),
        ],
        environment,
        lambda message: BadBackup(f"pg_restore failed, nothing was restored: {message}"),
    )
