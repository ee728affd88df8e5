"""Looking at the database the way someone with direct access would: below the models.

These helpers bypass the encrypted column types and the application's services on
purpose. They read stored bytes, dump whole tables as text, and drop the audit log's
append-only triggers exactly as an attacker holding the database password could.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    LargeBinary,
    create_engine,
    inspect,
    select,
    text,
    type_coerce,
)
from sqlalchemy.engine import make_url

from remedy.core.extensions import db


def stored_bytes(column: Column[Any], row_id: object) -> bytes | None:
    """The bytes a column holds for one row, as stored: ciphertext, never decrypted."""
    table = column.table
    (key,) = table.primary_key.columns
    value = db.session.execute(
        select(type_coerce(column, LargeBinary)).where(key == row_id)
    ).scalar_one()
    return None if value is None else bytes(value)


def overwrite_bytes(column: Column[Any], row_id: object, value: bytes | None) -> None:
    """Write raw bytes into a column, past the encryption, and commit."""
    table = column.table
    (key,) = table.primary_key.columns
    with db.engine.begin() as connection:
        connection.execute(
            table.update()
            .where(key == row_id)
            .values({column.name: type_coerce(value, LargeBinary)})
        )
    db.session.expire_all()


def drop_append_only_triggers(connection: Connection) -> None:
    """What an attacker with the database password does first (mirrors the migration)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP FUNCTION IF EXISTS audit_events_append_only() CASCADE"))
    else:
        connection.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
        connection.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))


@contextmanager
def as_attacker() -> Iterator[Connection]:
    """A raw connection with the audit triggers gone; everything done in it is committed."""
    db.session.commit()
    with db.engine.begin() as connection:
        drop_append_only_triggers(connection)
        yield connection
    db.session.expire_all()


def table_names(connection: Connection) -> list[str]:
    """Every table in the database, not only those the models know about."""
    return sorted(inspect(connection).get_table_names())


def postgres_rows_as_text(connection: Connection) -> str:
    """Every row of every table rendered by PostgreSQL itself (bytea shows as hex)."""
    lines = []
    for name in table_names(connection):
        quoted = connection.dialect.identifier_preparer.quote(name)
        rows = connection.execute(text(f"SELECT t::text FROM {quoted} t"))  # noqa: S608
        lines.extend(f"{name}: {row}" for (row,) in rows)
    return "\n".join(lines)


def sqlite_files(url: str) -> list[Path]:
    """The database file and its write-ahead log, when there is one."""
    path = Path(make_url(url).database or "")
    return [candidate for candidate in (path, Path(f"{path}-wal")) if candidate.exists()]


def raw_database_contents(backend: str) -> bytes:
    """Everything the database holds, as an attacker with a copy of it would see it.

    On SQLite: the bytes of the write-ahead log as it stands, then of the database file
    after every connection is closed (which checkpoints the log into the file). On
    PostgreSQL: every row of every table as text.
    """
    db.session.commit()
    if backend == "postgresql":
        with db.engine.connect() as connection:
            return postgres_rows_as_text(connection).encode("utf-8")
    url = db.engine.url.render_as_string(hide_password=False)
    before = b"".join(path.read_bytes() for path in sqlite_files(url))
    db.session.remove()
    db.engine.dispose()
    after = b"".join(path.read_bytes() for path in sqlite_files(url))
    return before + after


@contextmanager
def empty_database(databases: Any, folder: Path, label: str) -> Iterator[str]:
    """The URL of a database with nothing in it, not even migrations, dropped afterwards:
    a file in ``folder`` on SQLite, a database of its own on PostgreSQL."""
    if databases.backend == "sqlite":
        yield f"sqlite:///{folder / f'{label}.db'}"
        return
    name = f"remedy_{label}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(databases.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(databases.admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
