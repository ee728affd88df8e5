"""Giving a used PostgreSQL test database back its template's contents.

``CREATE DATABASE ... TEMPLATE`` and ``DROP DATABASE`` cost about half a second per
test together (measured: 0.3 to 0.7 s to create, 0.1 to 0.3 s to drop), and the suite
runs about two thousand tests on PostgreSQL. A database a test has finished with is
instead emptied and refilled with what migrations left in the template (a few rows),
its sequences set back, in one transaction: a few milliseconds.

That is only the same as a fresh copy when the test changed rows and nothing else. The
schema's fingerprint (tables, columns, indexes, constraints, triggers and whether they
are enabled, functions, the migration version) is compared with the template's first,
and any difference (a test that drops the audit log's triggers, say) sends the
database to be dropped as before. Resetting needs ``session_replication_role``, so
that the append-only triggers and foreign keys let the rows go; a role that may not
set it keeps the old way.

Only the ``commits`` tier (``docs/testing.md``) uses fresh databases now; a copy of the
template that holds the Scenario's cast is given back the cast's rows the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Json, Jsonb

KEPT_TABLES = frozenset({"alembic_version"})
# The OIDs of json and jsonb, and how a value read from such a column is written back.
JSON_WRAPPERS: dict[int, Any] = {114: Json, 3802: Jsonb}

FINGERPRINT = """
SELECT md5(coalesce(string_agg(item, E'\\n' ORDER BY item), ''))
FROM (
    SELECT 'relation ' || c.relname || ' ' || c.relkind::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public'
    UNION ALL
    SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
        || ' ' || a.attnotnull
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' '
        || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname || ' ' || tgenabled::text
    FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc)
    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'version ' || version_num FROM alembic_version
) AS schema_items(item)
"""


def _fingerprint(connection: psycopg.Connection[Any]) -> str:
    row = connection.execute(FINGERPRINT).fetchone()
    assert row is not None
    return str(row[0])


@dataclass(frozen=True)
class TemplateContents:
    """What a migrated template holds beyond its schema: a few rows and sequence values."""

    fingerprint: str
    tables: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...], tuple[tuple[Any, ...], ...]], ...]
    sequences: tuple[tuple[str, int, bool], ...]

    @classmethod
    def read(cls, conninfo: str) -> TemplateContents:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            tables = tuple(
                name
                for (name,) in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
                if name not in KEPT_TABLES
            )
            rows = []
            for table in tables:
                cursor = connection.execute(
                    sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))
                )
                description = cursor.description or ()
                # JSON values come back as Python objects; they go back in as JSON.
                wrappers = [JSON_WRAPPERS.get(column.type_code) for column in description]
                found = tuple(
                    tuple(
                        value if wrap is None or value is None else wrap(value)
                        for wrap, value in zip(wrappers, row, strict=True)
                    )
                    for row in cursor.fetchall()
                )
                if found:
                    columns = tuple(column.name for column in description)
                    rows.append((table, columns, found))
            sequences = tuple(
                _sequence_state(connection, name)
                for (name,) in connection.execute(
                    "SELECT c.oid::regclass::text FROM pg_class c"
                    " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE c.relkind = 'S' AND n.nspname = 'public'"
                )
            )
            return cls(_fingerprint(connection), tables, tuple(rows), sequences)

    def restore(self, conninfo: str) -> bool:
        """Give the database the template's contents back; False when it cannot be (the
        schema differs, or this role may not bypass triggers), and it must be dropped."""
        with psycopg.connect(conninfo, autocommit=True) as connection:
            # Connections a test left behind (threads, child processes) hold locks.
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if _fingerprint(connection) != self.fingerprint:
                return False
            try:
                with connection.transaction():
                    connection.execute("SET LOCAL session_replication_role = replica")
                    for table in self.tables:
                        connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
                    for table, columns, rows in self.rows:
                        insert = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                            sql.Identifier(table),
                            sql.SQL(", ").join(map(sql.Identifier, columns)),
                            sql.SQL(", ").join(sql.Placeholder() * len(columns)),
                        )
                        with connection.cursor() as cursor:
                            cursor.executemany(insert, rows)
                    for name, value, called in self.sequences:
                        connection.execute(
                            "SELECT setval(%s::regclass, %s, %s)", (name, value, called)
                        )
            except psycopg.errors.InsufficientPrivilege:
                return False
        return True


def _sequence_state(connection: psycopg.Connection[Any], name: str) -> tuple[str, int, bool]:
    """A sequence as ``setval`` takes it back: a fresh one has its start value, not called."""
    row = connection.execute(
        sql.SQL("SELECT last_value, is_called FROM {}").format(sql.SQL(name))
    ).fetchone()
    assert row is not None
    return (name, int(row[0]), bool(row[1]))
