"""Several workers claiming at once, on both databases, never take one message twice.

PostgreSQL claims with ``FOR UPDATE SKIP LOCKED``; SQLite ignores that clause, and the
same statement stays safe there because the outer WHERE checks again under SQLite's
single writer. Threads stand in for processes here (each with its own connection);
``test_worker_processes.py`` runs real processes.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.messaging.senders import Accepted, Outgoing
from remedy.messaging.worker import Worker
from remedy.models.outbox_message import MessageStatus, OutboxMessage
from tests.messaging.conftest import MakeWorker, queue_many, row

# Threads claim with their own connections (SKIP LOCKED on PostgreSQL).
pytestmark = [pytest.mark.commits, pytest.mark.postgres]

MESSAGES = 400
WORKERS = 4


def pending() -> int:
    with db.session.begin():
        return (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == MessageStatus.PENDING)
            )
            or 0
        )


def in_threads(app: Flask, workers: list[Worker], work: Callable[[Worker], None]) -> None:
    """Start every worker at the same moment, each in its own thread and app context."""
    start = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(worker: Worker) -> None:
        with app.app_context():
            try:
                start.wait()
                work(worker)
            except BaseException as error:
                errors.append(error)
                raise
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors


def test_concurrent_claims_never_take_one_message_twice(
    app: Flask, make_worker: MakeWorker
) -> None:
    ids = queue_many(MESSAGES)
    workers = [make_worker(worker_id=f"w{n}", batch_size=5) for n in range(WORKERS)]
    claims: dict[str, list[int]] = {worker.id: [] for worker in workers}

    def claim_until_none_left(worker: Worker) -> None:
        while True:
            claimed = worker.claim()
            claims[worker.id] += claimed
            if not claimed and not pending():
                return

    in_threads(app, workers, claim_until_none_left)

    every_claim = [i for claimed in claims.values() for i in claimed]
    assert sorted(every_claim) == ids
    for worker_id, claimed in claims.items():
        assert all(row(i).claimed_by == worker_id for i in claimed)


class RecordingSender:
    """Accepts everything, remembering which worker sent which message."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[int] = []
        self.lock = threading.Lock()

    def rate_key(self, message: Outgoing) -> str | None:
        return None

    def send(self, message: Outgoing) -> Accepted:
        with self.lock:
            self.sent.append(message.id)
        return Accepted(f"SM{message.id:032d}", "queued")


def test_concurrent_workers_send_every_message_exactly_once(
    app: Flask, make_worker: MakeWorker
) -> None:
    ids = queue_many(MESSAGES)
    sender = RecordingSender()
    workers = [make_worker(sender, worker_id=f"w{n}", batch_size=10) for n in range(WORKERS)]

    def drain_until_none_left(worker: Worker) -> None:
        while worker.drain().sent is not None and pending():
            pass

    in_threads(app, workers, drain_until_none_left)

    assert Counter(sender.sent) == Counter(ids)
    assert sum(worker.report.sent for worker in workers) == MESSAGES
    db.session.expire_all()
    statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert Counter(statuses) == Counter({MessageStatus.SENT: MESSAGES})
