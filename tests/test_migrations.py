"""The Alembic migrations build the schema the models describe, and can be undone."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    Enum,
    MetaData,
    String,
    inspect,
    text,
)
from sqlalchemy.exc import DBAPIError

from remedy import create_app
from remedy.core.config import PROJECT_ROOT
from remedy.core.extensions import db
from tests.db_tools import empty_database
from tests.support import test_overrides as settings_for

# Migrations commit DDL, and the dialect is what they are about.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]

if TYPE_CHECKING:
    from tests.conftest import TestDatabases

MIGRATIONS = PROJECT_ROOT / "migrations"


def drift(connection: Connection, metadata: MetaData) -> list[Any]:
    """What autogenerate would put in a new revision: nothing, when models and migrations agree."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def summary(differences: list[Any]) -> set[tuple[str, str, str]]:
    """(operation, table, column) for each difference; column changes come wrapped in lists."""
    found = set()
    for entry in differences:
        operation = entry[0] if isinstance(entry, list) else entry
        column = operation[3]
        found.add((operation[0], operation[2], getattr(column, "name", column)))
    return found


# An empty database -----------------------------------------------------------------------


@pytest.fixture
def empty_database_url(databases: TestDatabases, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, not even the harness's migrations."""
    with empty_database(databases, tmp_path, "empty") as url:
        yield url


@pytest.fixture
def empty_app(empty_database_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = create_app(settings_for(empty_database_url, tmp_path))
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def flask_db(app: Flask, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"


def tables() -> set[str]:
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def assert_audit_events_are_append_only() -> None:
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_events (seq, prev_hash, hash, occurred_at, actor_kind, "
                "action, subject_type) VALUES (1, :zero, :one, CURRENT_TIMESTAMP, 'operator', "
                "'test.insert', 'test')"
            ),
            {"zero": "0" * 64, "one": "1" * 64},
        )
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events"))


def test_upgrade_builds_every_table_from_an_empty_database(empty_app: Flask) -> None:
    assert tables() == set()

    flask_db(empty_app, "upgrade")

    assert tables() == {*db.metadata.tables, "alembic_version"}
    with db.engine.connect() as connection:
        head = connection.execute(text("SELECT id, seq, last_hash FROM audit_chain_head")).all()
    assert [tuple(row) for row in head] == [(1, 0, "0" * 64)]
    assert_audit_events_are_append_only()


def test_downgrade_to_base_removes_everything_and_upgrade_rebuilds_it(empty_app: Flask) -> None:
    flask_db(empty_app, "upgrade")

    flask_db(empty_app, "downgrade", "base")

    assert tables() == {"alembic_version"}

    flask_db(empty_app, "upgrade")

    assert tables() == {*db.metadata.tables, "alembic_version"}
    assert_audit_events_are_append_only()


def test_migrating_in_process_leaves_the_application_logging(empty_app: Flask) -> None:
    """Alembic's logging set-up must not silence loggers that already exist (the app's)."""
    loggers = [empty_app.logger, logging.getLogger("sqlalchemy.engine.Engine")]

    flask_db(empty_app, "upgrade")

    assert [logger.disabled for logger in loggers] == [False, False]


def test_the_migrations_have_a_single_head() -> None:
    from alembic.config import Config

    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))

    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


# Drift between models and migrations --------------------------------------------------------


def test_the_models_match_the_migrations(app: Flask) -> None:
    with db.engine.connect() as connection:
        assert drift(connection, db.metadata) == []


def test_flask_db_check_finds_nothing_to_generate(app: Flask) -> None:
    """The same question asked through migrations/env.py, as `flask db migrate` would ask it."""
    flask_db(app, "check")


def test_the_drift_check_notices_what_the_migrations_lack(app: Flask) -> None:
    """Guards the test above: a new column and changed types, encrypted ones too, are reported."""
    changed = MetaData(naming_convention=db.metadata.naming_convention)
    for table in db.metadata.sorted_tables:
        table.to_metadata(changed)
    people = changed.tables["people"]
    people.append_column(Column("nickname", String(40)))
    people.c.language.type = String(40)
    people.c.name.type = String(200)  # was EncryptedText, stored as binary

    with db.engine.connect() as connection:
        found = summary(drift(connection, changed))

    assert found == {
        ("add_column", "people", "nickname"),
        ("modify_type", "people", "language"),
        ("modify_type", "people", "name"),
    }


def test_the_check_constraints_match_the_models(app: Flask) -> None:
    """Alembic does not compare CHECK constraints; their names and enum values are compared here."""
    inspector = inspect(db.engine)
    for table in db.metadata.sorted_tables:
        stored = {ck["name"]: ck["sqltext"] for ck in inspector.get_check_constraints(table.name)}
        declared = {
            str(constraint.name)
            for constraint in table.constraints
            if isinstance(constraint, CheckConstraint)
        }
        assert set(stored) == declared, table.name
        for column in table.columns:
            if isinstance(column.type, Enum) and column.type.create_constraint:
                name = f"ck_{table.name}_{column.type.name}"
                assert set(re.findall(r"'([^']*)'", stored[name])) == set(column.type.enums), name
