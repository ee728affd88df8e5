"""What the benchmarks share: finding PostgreSQL, a throwaway database, a migrated app,
percentiles and the machine they ran on.

The benchmarks are scripts (``python bench/x.py``), so this folder is on ``sys.path`` and
they import this module as ``_support``. It imports nothing from ``tests/``.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import platform
import sqlite3
import sys
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from remedy import create_app
from remedy.core.crypto import generate_key
from remedy.core.extensions import db

# Taken when the benchmark is imported: other work on the machine skews the numbers.
LOAD = os.getloadavg()
POSTGRES_CANDIDATES = (
    "postgresql+psycopg:///postgres",
    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
)
# Only the set-up hashes (staff passwords, PINs): Argon2id at its cheapest keeps it short.
FAST_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024}


def load_fake_twilio() -> Any:
    """``tests/fake_twilio.py``'s ``FakeTwilio``, loaded from its file: the benchmarks import
    nothing of the ``tests`` package (which needs pytest's set-up)."""
    path = Path(__file__).resolve().parent.parent / "tests" / "fake_twilio.py"
    spec = importlib.util.spec_from_file_location("remedy_bench_fake_twilio", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module.FakeTwilio


# Databases -------------------------------------------------------------------------------


def as_psycopg(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def postgres_admin_url(
    given: str | None, env: Iterable[str] = ("BENCH_DATABASE_URL", "TEST_DATABASE_URL")
) -> str | None:
    """A PostgreSQL URL whose role may create databases, or None: ``given``, else the first
    of the ``env`` variables and the usual local servers that answers."""
    candidates = [given] if given else [os.environ.get(name, "") for name in env]
    candidates += [] if given else list(POSTGRES_CANDIDATES)
    for url in filter(None, candidates):
        url = as_psycopg(url)
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


def _admin(admin_url: str, statement: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


@contextmanager
def sqlite_database() -> Iterator[tuple[str, Path]]:
    """A database file in a temporary folder, and that folder (the app's instance path)."""
    with tempfile.TemporaryDirectory(prefix="remedy-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder)


@contextmanager
def postgres_database(
    admin_url: str, label: str = "", keep: bool = False
) -> Iterator[tuple[str, Path]]:
    """A database created for the run (dropped after it unless ``keep``), and a temporary
    folder for the app's instance path."""
    name = f"remedy_bench{'_' + label if label else ''}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    _admin(admin_url, f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory(prefix="remedy-bench-") as folder:
            yield url, Path(folder)
    finally:
        if keep:
            print(f"kept the database: {url}", file=sys.stderr)
        else:
            _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The app ---------------------------------------------------------------------------------


def make_app(url: str, instance: Path, *, migrated: bool = True, **config: Any) -> Flask:
    """The app on ``url`` with fresh keys (unless given in ``config``), migrated with the
    real migrations unless ``migrated`` is false."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "REMEDY_ENCRYPTION_KEY": generate_key(),
            "RATELIMIT_STORAGE_URI": "memory://",
            **config,
        }
    )
    if migrated:
        migrate(app)
    return app


def migrate(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        logging.disable(logging.INFO)
        try:
            upgrade()
        finally:
            logging.disable(logging.NOTSET)


def server_version(backend: str) -> str:
    """The database server and its durability settings (inside an app context)."""
    if backend == "sqlite":
        journal = db.session.execute(text("PRAGMA journal_mode")).scalar()
        sync = db.session.execute(text("PRAGMA synchronous")).scalar()
        mode = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(int(sync or 0), str(sync))
        return f"SQLite {sqlite3.sqlite_version} (journal_mode={journal}, synchronous={mode})"
    version = db.session.execute(text("SHOW server_version")).scalar()
    commit = db.session.execute(text("SHOW synchronous_commit")).scalar()
    return f"PostgreSQL {version} (synchronous_commit={commit})"


# Numbers ---------------------------------------------------------------------------------


def percentiles(values: list[float], digits: int = 2) -> dict[str, float]:
    """p50, p95, p99 (nearest rank) and max, rounded to ``digits``."""
    ordered = sorted(values)

    def at(share: float) -> float:
        index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
        return round(ordered[index], digits)

    return {
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": round(ordered[-1], digits),
    }


def environment(packages: Iterable[str]) -> dict[str, str]:
    """The machine, its load before and after the run, and the versions that matter."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}",
        "load average before the run (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in LOAD),
        "load average after it": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        **{package: metadata.version(package) for package in packages},
    }
