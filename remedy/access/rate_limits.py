"""Rate limits counted in the app's own database, so they hold across worker processes.

Flask-Limiter's ``memory://`` storage counts in each process: with gunicorn's two
workers a limit of 20 an hour let 40 through. ``remedy-db://`` (the default) keeps the
counters in ``rate_limits``; Redis (``redis://...``) stays an option for many servers.

Fixed windows, as the limits always used (Flask-Limiter's default strategy): one row
per limit and source, bumped by one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``,
atomic on PostgreSQL and on SQLite (3.35 or later). A moving window would need a row
per hit; the fixed window's worst case (twice the limit across a window's edge) is
what Redis and memory gave before.

Each hit commits in a short transaction of its own, not in the request's unit of work,
so a hit counts even when the request then fails. One exception: on SQLite, while the
request's session already holds the write lock (an SMS message being handled), another
connection would wait for that lock behind itself; the hit then joins the session in a
savepoint and commits with it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response, current_app, g
from limits.storage import Storage
from sqlalchemy import Connection, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from remedy.core.extensions import db
from remedy.models.rate_limit import KEY_LENGTH, RateLimitCounter

SCHEME = "remedy-db"
counters = RateLimitCounter.__table__


def _stored_key(key: str) -> str:
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _session_writes_on_sqlite() -> bool:
    """Whether the session holds SQLite's write lock, which another connection would
    wait for in vain (pysqlite begins a transaction at the first write)."""
    session = db.session()
    if db.engine.dialect.name != "sqlite" or not session.in_transaction():
        return False
    dbapi_connection = session.connection().connection.dbapi_connection
    return bool(getattr(dbapi_connection, "in_transaction", False))


@contextmanager
def _transaction() -> Iterator[Connection]:
    """A short transaction of its own (see the module's docstring for SQLite's case)."""
    if _session_writes_on_sqlite():
        with db.session.begin_nested():
            yield db.session.connection()
        return
    with db.engine.begin() as connection:
        yield connection


def _bump(connection: Connection, key: str, expiry: float, amount: int, now: float) -> int:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(counters).values(key=key, expires_at=now + expiry, count=amount)
    expired = counters.c.expires_at <= now
    statement = statement.on_conflict_do_update(
        index_elements=[counters.c.key],
        # Every expression sees the row as it was: an expired window starts afresh.
        set_={
            "count": case((expired, amount), else_=counters.c.count + amount),
            "expires_at": case((expired, now + expiry), else_=counters.c.expires_at),
        },
    ).returning(counters.c.count)
    return int(connection.execute(statement).scalar_one())


class DatabaseStorage(Storage):
    """The `limits` storage behind ``RATELIMIT_STORAGE_URI=remedy-db://``: the counters
    of the app whose context is current (Flask-Limiter counts inside requests)."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 - read once, by the base's metaclass

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        with _transaction() as connection:
            return _bump(connection, _stored_key(key), expiry, amount, time.time())

    def _current(self, key: str) -> tuple[int, float] | None:
        with _transaction() as connection:
            row = connection.execute(
                select(counters.c.count, counters.c.expires_at).where(
                    counters.c.key == _stored_key(key), counters.c.expires_at > time.time()
                )
            ).one_or_none()
        if row is None:
            return None
        count, expires_at = row
        return int(count), float(expires_at)

    def get(self, key: str) -> int:
        current = self._current(key)
        return 0 if current is None else current[0]

    def get_expiry(self, key: str) -> float:
        current = self._current(key)
        return time.time() if current is None else current[1]

    def check(self) -> bool:
        try:
            with _transaction() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with _transaction() as connection:
            return connection.execute(delete(counters)).rowcount

    def clear(self, key: str) -> None:
        with _transaction() as connection:
            connection.execute(delete(counters).where(counters.c.key == _stored_key(key)))


def prune_counters() -> int:
    """Periodic (the worker): delete the counters of windows that have ended. Nothing to
    do when the limits count elsewhere (Redis, memory): the table then stays empty."""
    if not str(current_app.config.get("RATELIMIT_STORAGE_URI", "")).startswith(SCHEME):
        return 0
    with db.engine.begin() as connection:
        return connection.execute(
            delete(counters).where(counters.c.expires_at <= time.time())
        ).rowcount


# Statuses that ask the client to come back later (RFC 9110 §10.2.3).
RETRY_STATUSES = frozenset({429, 503})


def _retry_after_only_when_refused(response: Response) -> Response:
    """Flask-Limiter sets ``Retry-After`` on every limited response, successes included;
    a client that honours it would wait for nothing. Only a refusal keeps it."""
    if response.status_code not in RETRY_STATUSES:
        response.headers.pop("Retry-After", None)
    elif response.status_code == 503 and "retry_after" in g:
        # A 503 of the app's own (the database unreachable) says how long to wait; the
        # limiter's header, set afterwards, would say how long its window is.
        response.headers["Retry-After"] = str(g.retry_after)
    return response


def init_app(app: Flask) -> None:
    """Before the limiter's own init_app: Flask runs after-request hooks in reverse order,
    so this one runs after the limiter has added its headers."""
    app.after_request(_retry_after_only_when_refused)
