"""The harness's promise: every test starts on a database equal to its template.

Most tests share an app and a database and run in a transaction that is rolled back
(``rolled_back`` in ``tests/conftest.py``); these check that what a test commits there is
gone for the next one, that a commit that escapes the transaction is caught, and that
the cast template holds the Scenario's cast. On PostgreSQL a used database of the
``commits`` tier is given the template's contents back instead of being dropped
(``tests/postgres_reuse.py``); these check that what comes back is the same as a fresh
copy, and that a database whose schema a test changed is dropped instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import func, select, text

from remedy.accounts.organisations import create_organisation
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.models import Organisation, OrganisationKind, User
from tests.conftest import LeakedCommit, TestDatabases, rolled_back
from tests.workflows.scenarios import ACTORS, ORGANISATIONS, Scenario

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


# The rolled-back tier ------------------------------------------------------------------


def organisations() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation)) or 0


def test_what_a_test_commits_is_rolled_back_before_the_next(databases: TestDatabases) -> None:
    application = databases.app_for(False, {})
    with application.app_context():
        with rolled_back(application, databases, False):
            before = organisations()
            create_organisation(OPERATOR, "Harness Test Ltd", OrganisationKind.COMPANY, "KE")
            db.session.commit()
            assert organisations() == before + 1
            # A request in its own application context sees it: one connection for all.
            with application.app_context():
                assert organisations() == before + 1

        with rolled_back(application, databases, False):
            assert organisations() == before
            assert (
                db.session.scalar(
                    select(Organisation).where(Organisation.name == "Harness Test Ltd")
                )
                is None
            )


def test_a_commit_on_another_connection_is_caught(databases: TestDatabases) -> None:
    application = databases.app_for(False, {})
    with (
        application.app_context(),
        pytest.raises(LeakedCommit),
        rolled_back(application, databases, False),
        db.engine.begin() as connection,
    ):
        connection.execute(
            text(
                "INSERT INTO audit_events (seq, prev_hash, hash, occurred_at,"
                " actor_kind, action, subject_type) VALUES"
                " (999999, 'x', 'y', CURRENT_TIMESTAMP, 'system', 'test', 'test')"
            )
        )
    # The shared database was replaced: the next test starts from the template again.
    application = databases.app_for(False, {})
    with application.app_context(), rolled_back(application, databases, False):
        assert db.session.scalar(text("SELECT count(*) FROM audit_events WHERE seq = 999999")) == 0


def test_the_cast_template_holds_the_cast(databases: TestDatabases, scenario: Scenario) -> None:
    assert databases.cast is not None
    assert sorted(databases.cast.organisations) == sorted(ORGANISATIONS)
    assert sorted(databases.cast.actors) == sorted(ACTORS)
    assert [o.name for o in (scenario.company, scenario.partner, scenario.ngo)] == [
        "Acme Mining",
        "Rift Haulage",
        "Friends of the River",
    ]
    assert scenario.ngo.is_vetted
    emails = {
        name: db.session.get(User, int(getattr(scenario, name).id or 0)).email  # type: ignore[union-attr]
        for name in ACTORS
    }
    assert emails["handler"] == "handler@example.org"
    assert emails["proxy"] == "member@friends.example"
    assert db.session.scalar(select(func.count()).select_from(User)) == len(ACTORS)
