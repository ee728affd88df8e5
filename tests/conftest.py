"""Test harness: every database test runs on SQLite and, when a server answers, PostgreSQL.

Each run migrates one template database per backend with the real Alembic
migrations; each test gets a fresh copy (a file copy on SQLite, ``CREATE
DATABASE ... TEMPLATE`` on PostgreSQL, or a database an earlier test used, given
the template's contents back: see ``tests/postgres_reuse.py``) and every database
is dropped at the end.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from remedy import create_app
from remedy.core.extensions import db
from tests.postgres_reuse import TemplateContents
from tests.route_builders import compile_each_route_once
from tests.support import SECRET_KEY, TEST_KEY, IsolatedClient, test_overrides
from tests.workflows.scenarios import Scenario


def _postgres_admin_url() -> str | None:
    candidates = [os.environ.get("TEST_DATABASE_URL", "")]
    candidates += [
        "postgresql+psycopg:///postgres",
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    ]
    for url in filter(None, candidates):
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        try:
            engine = create_engine(
                url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
            )
            with engine.connect() as connection:
                allowed = connection.execute(
                    text(
                        "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
                    )
                ).scalar()
            engine.dispose()
            if allowed:
                return url
        except Exception:  # noqa: S112 - any failure means "not available here"
            continue
    return None


compile_each_route_once()
POSTGRES_ADMIN_URL = _postgres_admin_url()
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_ADMIN_URL else [])
# For quick local runs: REMEDY_TEST_BACKENDS=sqlite (CI always runs every backend it has).
if os.environ.get("REMEDY_TEST_BACKENDS") and not os.environ.get("CI"):
    BACKENDS = [b for b in BACKENDS if b in os.environ["REMEDY_TEST_BACKENDS"].split(",")]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("REMEDY_REQUIRE_POSTGRES") and not POSTGRES_ADMIN_URL:
        raise pytest.UsageError(
            "REMEDY_REQUIRE_POSTGRES is set but no PostgreSQL answers: set TEST_DATABASE_URL."
        )


def pytest_report_header(config: pytest.Config) -> str:
    if POSTGRES_ADMIN_URL:
        shown = make_url(POSTGRES_ADMIN_URL).render_as_string(hide_password=True)
        return f"databases: sqlite, postgresql ({shown})"
    return "databases: sqlite only (set TEST_DATABASE_URL to add PostgreSQL)"


def migrate(url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    app = create_app(test_overrides(url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@dataclass
class TestDatabases:
    """Hands out fresh, migrated databases of one backend."""

    __test__ = False  # a helper named Test..., not a test class

    backend: str
    root: Path
    template_url: str = ""
    admin_url: str = ""
    created: list[str] = field(default_factory=list)
    # Used PostgreSQL databases with the template's contents back, ready for the next test.
    spare: list[str] = field(default_factory=list)
    contents: TemplateContents | None = None

    def __post_init__(self) -> None:
        if self.backend == "sqlite":
            template = self.root / "template.db"
            self.template_url = f"sqlite:///{template}"
            migrate(self.template_url, self.root)
        else:
            assert POSTGRES_ADMIN_URL
            self.admin_url = POSTGRES_ADMIN_URL
            name = f"remedy_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            self._execute(f'CREATE DATABASE "{name}"')
            self.created.append(name)
            self.template_url = self._url_for(name)
            migrate(self.template_url, self.root)
            self.contents = TemplateContents.read(self.conninfo(self.template_url))

    def _url_for(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    @staticmethod
    def conninfo(url: str) -> str:
        return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(statement))
        engine.dispose()

    def fresh(self) -> str:
        if self.backend == "sqlite":
            path = self.root / f"{uuid.uuid4().hex}.db"
            shutil.copyfile(self.root / "template.db", path)
            return f"sqlite:///{path}"
        if self.spare:
            return self.spare.pop()
        name = f"{self.created[0]}_{uuid.uuid4().hex[:8]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.created[0]}"')
        self.created.append(name)
        return self._url_for(name)

    def discard(self, url: str) -> None:
        if self.backend == "sqlite":
            path = Path(make_url(url).database or "")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        if self.contents is not None and self.contents.restore(self.conninfo(url)):
            self.spare.append(url)
            return
        name = make_url(url).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.remove(str(name))

    def drop_all(self) -> None:
        if self.backend == "postgresql":
            for name in reversed(self.created):
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.created.clear()


@pytest.fixture(scope="session", params=BACKENDS)
def databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestDatabases]:
    store = TestDatabases(request.param, tmp_path_factory.mktemp(f"db-{request.param}"))
    yield store
    store.drop_all()


@pytest.fixture
def backend(databases: TestDatabases) -> str:
    return databases.backend


@pytest.fixture
def database_url(databases: TestDatabases) -> Iterator[str]:
    url = databases.fresh()
    yield url
    databases.discard(url)


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Override in a test module to change settings for its apps."""
    return {}


def backend_overrides(database_url: str) -> dict[str, Any]:
    """PostgreSQL without waiting for each commit to reach the disk: durability is not what
    these tests examine, and it makes the PostgreSQL half of the suite several times faster."""
    if not database_url.startswith("postgresql"):
        return {}
    return {
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": True,
            "hide_parameters": True,
            "connect_args": {"options": "-c synchronous_commit=off"},
        }
    }


@pytest.fixture
def app(database_url: str, tmp_path: Path, app_overrides: dict[str, Any]) -> Iterator[Flask]:
    application = create_app(
        {
            **test_overrides(database_url, tmp_path),
            **backend_overrides(database_url),
            **app_overrides,
        }
    )
    # Requests run in their own application context, as in production (see IsolatedClient).
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


__all__ = ["SECRET_KEY", "TEST_KEY", "Callable"]


@pytest.fixture
def scenario(app: Flask) -> Scenario:
    """The cast of a mechanism (team, company, partner, vetted NGO) and paths to every state."""
    return Scenario.create()
