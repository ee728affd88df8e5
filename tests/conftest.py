"""Test harness: every database test runs on SQLite and, by tier, on PostgreSQL.

Each run (each xdist worker) migrates one template database per backend with the real
Alembic migrations, and builds a second template from it that also holds the cast of
:class:`tests.workflows.scenarios.Scenario`. Then, by tier (``docs/testing.md``):

- most tests share one app per (backend, cast or not, settings), cached for the worker
  process, and one database copy per (backend, cast or not); each test runs inside an
  outer transaction on one connection that is rolled back at the end, the app's session
  joining it with savepoints, so what the code under test commits is undone;
- tests marked ``commits`` (several connections, threads or processes, real locks,
  migrations, tampering below the models, routes added to the app) get their own app
  and a fresh copy of a template (a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE``
  on PostgreSQL, or a database an earlier test used, given the template's contents back:
  see ``tests/postgres_reuse.py``), as every test did before the tiers.

Locally PostgreSQL runs only the tests marked ``postgres`` (where the dialect matters),
and tests run once per language run in English, French and Arabic (``LOCAL_LANGUAGES``)
but for those marked ``every_language``; ``CI=true`` or ``REMEDY_TEST_MATRIX=full`` runs
every database test on both backends and every test in every language.
"""

from __future__ import annotations

import copy
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_sqlalchemy.session import Session as FlaskSession
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from remedy import create_app
from remedy.core import settings
from remedy.core.extensions import db, limiter
from tests.postgres_reuse import TemplateContents
from tests.support import SECRET_KEY, TEST_KEY, IsolatedClient, test_overrides
from tests.workflows.scenarios import Cast, Scenario


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


POSTGRES_ADMIN_URL = _postgres_admin_url()
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_ADMIN_URL else [])
# For quick local runs: REMEDY_TEST_BACKENDS=sqlite (CI always runs every backend it has).
if os.environ.get("REMEDY_TEST_BACKENDS") and not os.environ.get("CI"):
    BACKENDS = [b for b in BACKENDS if b in os.environ["REMEDY_TEST_BACKENDS"].split(",")]
# CI runs every database test on every backend; locally PostgreSQL runs the tests marked
# ``postgres`` only (the ones where the dialect matters).
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
FULL_MATRIX = IN_CI or os.environ.get("REMEDY_TEST_MATRIX") == "full"

# Hypothesis: a fixed, reproducible budget in CI; a modest random one on a laptop.
hypothesis_settings.register_profile(
    "ci", derandomize=True, max_examples=30, database=None, deadline=None, print_blob=True
)
hypothesis_settings.register_profile("dev", max_examples=20, deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev")
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "commits: needs real commits (several connections, threads, processes, locks, "
        "migrations, tampering): its own app and a fresh database copy, no outer transaction",
    )
    config.addinivalue_line(
        "markers",
        "every_language: runs in every shipped language in local runs too, not only in the "
        "full (CI) matrix (cheap checks of the catalogues and the SMS wordings)",
    )
    config.addinivalue_line(
        "markers",
        "postgres: the dialect matters here: runs on PostgreSQL in local runs too, "
        "not only in the full (CI) matrix",
    )
    if os.environ.get("REMEDY_REQUIRE_POSTGRES") and not POSTGRES_ADMIN_URL:
        raise pytest.UsageError(
            "REMEDY_REQUIRE_POSTGRES is set but no PostgreSQL answers: set TEST_DATABASE_URL."
        )


def pytest_report_header(config: pytest.Config) -> list[str]:
    if POSTGRES_ADMIN_URL and "postgresql" in BACKENDS:
        shown = make_url(POSTGRES_ADMIN_URL).render_as_string(hide_password=True)
        databases = f"databases: {', '.join(BACKENDS)} ({shown})"
    elif POSTGRES_ADMIN_URL:
        databases = f"databases: {', '.join(BACKENDS)} (REMEDY_TEST_BACKENDS)"
    else:
        databases = "databases: sqlite only (set TEST_DATABASE_URL to add PostgreSQL)"
    if "postgresql" not in BACKENDS:
        matrix = "matrix: sqlite only"
    elif FULL_MATRIX:
        matrix = "matrix: full (every database test on every backend: CI or REMEDY_TEST_MATRIX)"
    else:
        matrix = (
            "matrix: local (PostgreSQL for tests marked `postgres` only; "
            "CI=true or REMEDY_TEST_MATRIX=full for every test on every backend)"
        )
    languages = (
        "languages: every shipped language"
        if FULL_MATRIX
        else f"languages: {', '.join(sorted(LOCAL_LANGUAGES))} (but tests marked "
        "`every_language`; CI=true or REMEDY_TEST_MATRIX=full for all)"
    )
    return [databases, matrix, languages, f"hypothesis profile: {HYPOTHESIS_PROFILE}"]


# The local tier's languages: the source language, a Latin one with accents that must stay
# GSM-7 in SMS, and the right-to-left one sent as UCS-2. The full matrix adds es and sw.
LOCAL_LANGUAGES = frozenset({"en", "fr", "ar"})
# In a real browser, layout and accessibility differ by direction, not by Latin language:
# the browser sweeps run locally in English and Arabic; French joins them in CI.
LOCAL_BROWSER_LANGUAGES = frozenset({"en", "ar"})
BROWSER_FOLDER = Path(__file__).resolve().parent / "browser"


def _local_tier_skips(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return False
    on_postgres = callspec.params.get("databases") == "postgresql"
    if on_postgres and item.get_closest_marker("postgres") is None:
        return True
    # A walk's parameter is its language too (tests/browser/walks.py).
    language = callspec.params.get("language", callspec.params.get("walk"))
    if not isinstance(language, str) or item.get_closest_marker("every_language") is not None:
        return False
    in_browser = BROWSER_FOLDER in item.path.parents
    return language not in (LOCAL_BROWSER_LANGUAGES if in_browser else LOCAL_LANGUAGES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The local tier: PostgreSQL only for the tests marked ``postgres``; tests run in each
    language run in ``LOCAL_LANGUAGES`` only, but for those marked ``every_language``."""
    if FULL_MATRIX:
        return
    kept, deselected = [], []
    for item in items:
        if _local_tier_skips(item):
            deselected.append(item)
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


# How many apps this process built, and the time it took: the app cache's whole point.
APP_STATS = {"created": 0, "seconds": 0.0}


# The limiter is one object for the whole process, and each create_app() gives it a new
# storage: each app keeps its own here, and is given it back when a test uses it.
LIMITER_STATE = "tests.limiter"


def build_app(overrides: dict[str, Any]) -> Flask:
    started = time.perf_counter()
    application = create_app(overrides)
    application.extensions[LIMITER_STATE] = (limiter._storage, limiter._limiter)
    APP_STATS["created"] += 1
    APP_STATS["seconds"] += time.perf_counter() - started
    return application


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the numbers to the controller
        workeroutput["remedy_apps"] = dict(APP_STATS)


def pytest_testnodedown(node: Any, error: Any) -> None:
    found = getattr(node, "workeroutput", {}).get("remedy_apps")
    if found:
        APP_STATS["created"] += found["created"]
        APP_STATS["seconds"] += found["seconds"]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if APP_STATS["created"]:
        terminalreporter.write_line(
            f"apps built: {APP_STATS['created']} in {APP_STATS['seconds']:.1f} s"
        )


def migrate(url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    app = build_app(test_overrides(url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def build_cast(url: str, instance: Path) -> Cast:
    """The Scenario's cast, created once through the services in a template database."""
    app = build_app({**test_overrides(url, instance), **backend_overrides(url)})
    with app.app_context():
        cast = Scenario.create().cast()
        db.session.remove()
        db.engine.dispose()
    return cast


# Settings that tests set to per-test values (a fake Twilio on a fresh port): they are not
# part of the app cache's key, but put into the cached app's config (and its typed
# settings) for the test.
PER_TEST_SETTINGS = frozenset({"TWILIO_API_BASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"})

# Rows that change whenever anything is committed: a test in a rolled-back transaction
# leaves them as they were; one that committed on another connection does not.
LEAK_PROBE = text(
    "SELECT (SELECT count(*) FROM audit_events), (SELECT count(*) FROM users),"
    " (SELECT count(*) FROM grievances), (SELECT count(*) FROM outbox_messages)"
)


class LeakedCommit(AssertionError):
    pass


@dataclass
class TestDatabases:
    """Hands out migrated databases of one backend, and apps on them.

    ``fresh()`` and ``discard()`` give a test a database of its own; ``app_for()`` gives
    the shared app and database that tests isolated by a rolled-back transaction use.
    """

    __test__ = False  # a helper named Test..., not a test class

    backend: str
    root: Path
    template_url: str = ""
    cast_template_url: str = ""
    admin_url: str = ""
    cast: Cast | None = None
    created: list[str] = field(default_factory=list)
    # Used PostgreSQL databases with the template's contents back, ready for the next test.
    spare: list[str] = field(default_factory=list)
    spare_cast: list[str] = field(default_factory=list)
    contents: TemplateContents | None = None
    cast_contents: TemplateContents | None = None
    # The databases the shared apps use, with or without the cast, and the apps.
    shared: dict[bool, str] = field(default_factory=dict)
    apps: dict[tuple[bool, str], Flask] = field(default_factory=dict)
    probes: dict[bool, tuple[int, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.backend == "sqlite":
            self.template_url = f"sqlite:///{self.root / 'template.db'}"
            migrate(self.template_url, self.root)
            shutil.copyfile(self.root / "template.db", self.root / "cast.db")
            self.cast_template_url = f"sqlite:///{self.root / 'cast.db'}"
            self.cast = build_cast(self.cast_template_url, self.root)
        else:
            assert POSTGRES_ADMIN_URL
            self.admin_url = POSTGRES_ADMIN_URL
            name = f"remedy_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            self._execute(f'CREATE DATABASE "{name}"')
            self.created.append(name)
            self.template_url = self._url_for(name)
            migrate(self.template_url, self.root)
            self.contents = TemplateContents.read(self.conninfo(self.template_url))
            self._execute(f'CREATE DATABASE "{name}_cast" TEMPLATE "{name}"')
            self.created.append(f"{name}_cast")
            self.cast_template_url = self._url_for(f"{name}_cast")
            self.cast = build_cast(self.cast_template_url, self.root)
            self.cast_contents = TemplateContents.read(self.conninfo(self.cast_template_url))

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

    # A database of the test's own ------------------------------------------------------

    def fresh(self, cast: bool = False) -> str:
        """A copy of the migrated template, or of the one that also holds the cast."""
        if self.backend == "sqlite":
            path = self.root / f"{'cast-' if cast else ''}{uuid.uuid4().hex}.db"
            shutil.copyfile(self.root / ("cast.db" if cast else "template.db"), path)
            return f"sqlite:///{path}"
        spare = self.spare_cast if cast else self.spare
        if spare:
            return spare.pop()
        template = make_url(self.cast_template_url if cast else self.template_url).database
        name = f"{self.created[0]}_{'cast_' if cast else ''}{uuid.uuid4().hex[:8]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.created.append(name)
        return self._url_for(name)

    def discard(self, url: str) -> None:
        if self.backend == "sqlite":
            path = Path(make_url(url).database or "")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        name = str(make_url(url).database)
        cast = name.startswith(f"{self.created[0]}_cast_")
        contents = self.cast_contents if cast else self.contents
        if contents is not None and contents.restore(self.conninfo(url)):
            (self.spare_cast if cast else self.spare).append(url)
            return
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.remove(name)

    # The shared apps, for tests in a rolled-back transaction -----------------------------

    def shared_url(self, cast: bool) -> str:
        if cast not in self.shared:
            self.shared[cast] = self.fresh(cast)
        return self.shared[cast]

    def app_for(self, cast: bool, overrides: dict[str, Any]) -> Flask:
        """The process's app for these settings, on the shared database."""
        key = (
            cast,
            repr(sorted((k, v) for k, v in overrides.items() if k not in PER_TEST_SETTINGS)),
        )
        application = self.apps.get(key)
        if application is None:
            url = self.shared_url(cast)
            application = build_app(
                {
                    **test_overrides(url, self.root / "instance"),
                    **backend_overrides(url),
                    **overrides,
                }
            )
            application.test_client_class = IsolatedClient
            with application.app_context():
                if self.backend == "sqlite":
                    savepoints_on_sqlite(db.engine)
                if cast not in self.probes:
                    with db.engine.connect() as connection:
                        self.probes[cast] = tuple(connection.execute(LEAK_PROBE).one())
            self.apps[key] = application
        return application

    def reset_shared(self, cast: bool) -> None:
        """After a leaked commit: a new shared database, and new apps on it."""
        for key in [key for key in self.apps if key[0] == cast]:
            with self.apps.pop(key).app_context():
                db.engine.dispose()
        self.probes.pop(cast, None)
        self.discard(self.shared.pop(cast))

    def drop_all(self) -> None:
        for application in self.apps.values():
            with application.app_context():
                db.engine.dispose()
        self.apps.clear()
        if self.backend == "postgresql":
            for name in reversed(self.created):
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.created.clear()


def savepoints_on_sqlite(engine: Engine) -> None:
    """pysqlite begins transactions itself, late, and not for SAVEPOINT: let SQLAlchemy do
    it, so a test's outer transaction and the savepoints inside it are real (the SQLAlchemy
    documentation's recipe). Only on the tests' shared engines; the app is untouched."""

    @event.listens_for(engine, "connect")
    def _no_pysqlite_transactions(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    engine.dispose()


class ConnectionSession(FlaskSession):
    """Flask-SQLAlchemy's session, on the test's connection instead of the app's engine."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind


@contextmanager
def rolled_back(application: Flask, databases: TestDatabases, cast: bool) -> Iterator[None]:
    """Everything the test and the app commit goes into savepoints inside one outer
    transaction on one connection, rolled back at the end.

    ``db.session`` is replaced for the test by a scoped session whose every scope (each
    request runs in its own application context: see ``IsolatedClient``) is a session
    on that connection, joining the outer transaction with a savepoint.
    """
    connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = scoped_session(
        sessionmaker(
            class_=ConnectionSession,
            db=db,
            query_cls=db.Query,
            bind=connection,
            join_transaction_mode="create_savepoint",
        ),
        scopefunc=original.registry.scopefunc,  # type: ignore[attr-defined]
    )
    try:
        yield
    finally:
        db.session.remove()
        db.session = original
        if outer.is_active:
            outer.rollback()
        leaked = tuple(connection.execute(LEAK_PROBE).one()) != databases.probes[cast]
        connection.rollback()
        connection.close()
    if leaked:
        databases.reset_shared(cast)
        raise LeakedCommit(
            "this test committed outside its transaction (another connection, thread or "
            "process): mark it `@pytest.mark.commits`"
        )


def _copied(value: Any) -> Any:
    try:
        return copy.deepcopy(value)
    except Exception:  # an object that cannot be copied is restored as it is
        return value


@contextmanager
def per_test_state(application: Flask, overrides: dict[str, Any]) -> Iterator[None]:
    """What a test may change on a shared app, put back afterwards: its settings, its
    extensions (a test swaps the keyring), and the rate limiter's counters."""
    config = {name: _copied(value) for name, value in application.config.items()}
    extensions = dict(application.extensions)
    per_test = {k: v for k, v in overrides.items() if k in PER_TEST_SETTINGS}
    if per_test:
        application.config.update(per_test)
        settings.init_app(application)  # the typed settings follow, until put back below
    # The limiter is one object for every app in the process: this app's choice and
    # storage (another test may have built an app with another one), clean counters.
    limiter.enabled = application.config.get("RATELIMIT_ENABLED", True)
    use_limiter_of(application)
    _reset_limiter(application)
    try:
        yield
    finally:
        application.config.clear()
        application.config.update(config)
        application.extensions.clear()
        application.extensions.update(extensions)
        _reset_limiter(application)


def use_limiter_of(application: Flask) -> None:
    """Count in ``application``'s own limiter storage, as its worker process would."""
    limiter._storage, limiter._limiter = application.extensions[LIMITER_STATE]


def _reset_limiter(application: Flask) -> None:
    if getattr(limiter, "_storage", None) is not None:
        with application.app_context():  # the database storage counts in the app's database
            limiter.storage.reset()


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
def on_postgresql(backend: str) -> None:
    """Skip before the app is built: for tests of PostgreSQL's own behaviour (SKIP LOCKED
    claims, row locks held by worker processes), the production database."""
    if backend != "postgresql":
        pytest.skip("needs PostgreSQL (set TEST_DATABASE_URL): the production database")


def commits(request: pytest.FixtureRequest) -> bool:
    """Whether the test gets a database of its own: marked ``commits``, or it takes the
    database's URL without the app (it connects by itself then)."""
    if request.node.get_closest_marker("commits") is not None:
        return True
    return "app" not in request.fixturenames


def wants_cast(request: pytest.FixtureRequest) -> bool:
    return "scenario" in request.fixturenames


@pytest.fixture
def database_url(request: pytest.FixtureRequest, databases: TestDatabases) -> Iterator[str]:
    if not commits(request):
        yield databases.shared_url(wants_cast(request))
        return
    url = databases.fresh(wants_cast(request))
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
def app(
    request: pytest.FixtureRequest,
    databases: TestDatabases,
    database_url: str,
    tmp_path: Path,
    app_overrides: dict[str, Any],
) -> Iterator[Flask]:
    if commits(request):
        application = build_app(
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
        return
    cast = wants_cast(request)
    application = databases.app_for(cast, app_overrides)
    with (
        per_test_state(application, app_overrides),
        application.app_context(),
        rolled_back(application, databases, cast),
    ):
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


__all__ = ["SECRET_KEY", "TEST_KEY", "Callable"]


@pytest.fixture
def scenario(app: Flask, databases: TestDatabases) -> Scenario:
    """The cast of a mechanism (team, company, partner, vetted NGO) and paths to every state:
    built once per backend into a template database, read back here by id."""
    assert databases.cast is not None
    return Scenario.load(databases.cast)
