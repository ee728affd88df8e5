"""The harness's promise: every test starts on a database equal to the migrated template.

On PostgreSQL a used database is given the template's contents back instead of being
dropped (``tests/postgres_reuse.py``); these check that what comes back is the same as
a fresh copy, and that a database whose schema a test changed is dropped instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from tests.conftest import TestDatabases

# The database harness itself.
pytestmark = pytest.mark.postgres

COUNTS = """
SELECT (SELECT count(*) FROM grievances), (SELECT count(*) FROM audit_events),
       (SELECT count(*) FROM audit_chain_head), (SELECT count(*) FROM referral_mechanisms),
       (SELECT last_value FROM grievances_id_seq), (SELECT is_called FROM grievances_id_seq)
"""


@pytest.fixture
def postgres(databases: TestDatabases) -> TestDatabases:
    if databases.backend != "postgresql":
        pytest.skip("SQLite databases are file copies, never reused")
    return databases


@pytest.fixture
def used(postgres: TestDatabases) -> Iterator[tuple[str, psycopg.Connection]]:
    url = postgres.fresh()
    with psycopg.connect(postgres.conninfo(url), autocommit=True) as connection:
        yield url, connection


def counts(databases: TestDatabases, url: str) -> tuple[int, ...]:
    with psycopg.connect(databases.conninfo(url), autocommit=True) as connection:
        row = connection.execute(COUNTS).fetchone()
    assert row is not None
    return tuple(row)


def write_rows(connection: psycopg.Connection) -> None:
    connection.execute("SET session_replication_role = replica")
    connection.execute("DELETE FROM audit_chain_head")
    connection.execute("DELETE FROM referral_mechanisms")
    connection.execute(
        "INSERT INTO audit_events (seq, prev_hash, hash, occurred_at, actor_kind, action,"
        " subject_type) VALUES (1, 'x', 'y', now(), 'system', 'test', 'test')"
    )
    connection.execute("SELECT setval('grievances_id_seq', 500)")


def test_a_database_whose_rows_changed_comes_back_as_the_template_was(
    postgres: TestDatabases, used: tuple[str, psycopg.Connection]
) -> None:
    url, connection = used
    template = counts(postgres, postgres.template_url)
    write_rows(connection)
    assert counts(postgres, url) != template

    postgres.discard(url)

    assert url in postgres.spare
    assert counts(postgres, url) == template


def test_a_database_whose_schema_changed_is_dropped(
    postgres: TestDatabases, used: tuple[str, psycopg.Connection]
) -> None:
    url, connection = used
    connection.execute("DROP TRIGGER audit_events_append_only ON audit_events")

    postgres.discard(url)

    assert url not in postgres.spare
    assert url.rsplit("/", 1)[1] not in postgres.created
