"""The rate limiter's counters in the app's database (``remedy-db://``): one atomic
upsert per hit, a transaction of its own, and a job that deletes ended windows."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from remedy.access.rate_limits import DatabaseStorage, counters, prune_counters
from remedy.core.extensions import db, limiter
from remedy.core.unit_of_work import atomic
from remedy.jobs.registry import PERIODIC_JOBS
from remedy.models.pin_lockout import PinLockout
from remedy.models.types import utcnow

# Each hit commits on a connection of its own: every test needs its own database.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]

KEY = "LIMITER/web:127.0.0.1/pin-lookup/20/1/hour"
HOUR = 3600


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"RATELIMIT_STORAGE_URI": "remedy-db://"}


@pytest.fixture
def storage(app: Flask) -> DatabaseStorage:
    return DatabaseStorage()


def end_window(key: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(counters).where(counters.c.key == key).values(expires_at=time.time() - 1)
        )


def test_the_default_limiter_counts_in_the_database(app: Flask) -> None:
    assert isinstance(limiter.storage, DatabaseStorage)
    assert limiter.storage.check()


def test_hits_in_one_window_add_up_and_an_ended_window_starts_afresh(
    storage: DatabaseStorage,
) -> None:
    assert [storage.incr(KEY, HOUR) for _ in range(3)] == [1, 2, 3]
    assert storage.get(KEY) == 3
    assert storage.get_expiry(KEY) > time.time()

    end_window(KEY)

    assert storage.get(KEY) == 0
    assert storage.incr(KEY, HOUR) == 1


def test_a_hit_counts_even_when_the_request_then_fails(storage: DatabaseStorage) -> None:
    def failing_request() -> None:
        with atomic():
            storage.incr(KEY, HOUR)
            raise RuntimeError("the request failed after the limiter counted it")

    with pytest.raises(RuntimeError):
        failing_request()

    assert storage.get(KEY) == 1


def test_a_hit_while_the_request_writes_does_not_wait_for_itself(
    storage: DatabaseStorage,
) -> None:
    """SQLite has one writer: an SMS message being handled holds the lock when STATUS
    counts a look-up. The hit must not wait for its own request's lock."""
    db.session.add(PinLockout(reference="12345674", failures=0, window_started_at=utcnow()))
    db.session.flush()

    assert storage.incr(KEY, HOUR) == 1
    db.session.commit()
    assert storage.get(KEY) == 1


def test_hits_at_once_from_many_threads_are_each_counted(app: Flask) -> None:
    at_once = threading.Barrier(20)

    def hit(_: int) -> int:
        with app.app_context():
            at_once.wait()
            return DatabaseStorage().incr(KEY, HOUR)

    with ThreadPoolExecutor(max_workers=20) as pool:
        counts = list(pool.map(hit, range(20)))

    assert sorted(counts) == list(range(1, 21))


def test_clear_forgets_one_key_and_reset_every_key(storage: DatabaseStorage) -> None:
    other = KEY.replace("127.0.0.1", "10.0.0.9")
    storage.incr(KEY, HOUR)
    storage.incr(other, HOUR)

    storage.clear(KEY)
    assert (storage.get(KEY), storage.get(other)) == (0, 1)

    assert storage.reset() == 1
    assert storage.get(other) == 0


def test_a_periodic_job_deletes_the_counters_of_ended_windows_only(
    storage: DatabaseStorage,
) -> None:
    ended = KEY.replace("127.0.0.1", "10.0.0.9")
    storage.incr(KEY, HOUR)
    storage.incr(ended, HOUR)
    end_window(ended)

    assert "rate_limits" in [job.name for job in PERIODIC_JOBS]
    assert prune_counters() == 1
    assert list(db.session.scalars(select(counters.c.key))) == [KEY]


def test_the_job_leaves_the_table_alone_when_limits_count_elsewhere(
    app: Flask, storage: DatabaseStorage
) -> None:
    storage.incr(KEY, HOUR)
    end_window(KEY)
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"

    assert prune_counters() == 0
    assert list(db.session.scalars(select(counters.c.key))) == [KEY]


def test_a_key_longer_than_the_column_is_kept_hashed(storage: DatabaseStorage) -> None:
    long_key = KEY + "/" + "x" * 400

    assert [storage.incr(long_key, HOUR) for _ in range(2)] == [1, 2]
    assert storage.get(long_key) == 2
