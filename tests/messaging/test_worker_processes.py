"""The issue's must-show: on PostgreSQL, 4 ``flask worker`` processes, one killed with
SIGKILL mid-batch while its provider call is in flight, and every queued message reaches
the provider exactly once.

The fake Twilio API holds back its answer for one number, so the worker sending to it
is caught with the call in flight; the test kills that worker. Twilio had already taken
the message: its signed status callback reaches the live app (``/twilio/status``) and
settles the row, so it is not sent again. The rest of the dead worker's batch comes
back when its lease expires and the other workers send it.
"""

from __future__ import annotations

import signal
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models.outbox_message import MessageStatus, OutboxMessage
from tests.fake_twilio import FakeTwilio
from tests.messaging.conftest import queue_many, row
from tests.messaging.processes import (
    live_app,
    postpone_jobs,
    start_worker,
    wait_until,
    worker_environ,
)

# Worker processes on their own connections; claims are the dialect's.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]

MESSAGES = 240
LEASE_SECONDS = 5


def statuses() -> Counter[MessageStatus]:
    db.session.expire_all()
    return Counter(db.session.scalars(select(OutboxMessage.status)).all())


def test_four_workers_one_killed_mid_send_every_message_reaches_the_provider_exactly_once(
    on_postgresql: None,
    app: Flask,
    database_url: str,
    tmp_path: Path,
    fake_twilio: FakeTwilio,
) -> None:
    ids = queue_many(MESSAGES)
    postpone_jobs()
    in_flight = ids[4]  # early in the first batch: the rest of that batch is still to send
    caught = row(in_flight).address
    assert caught is not None
    fake_twilio.delay_for(caught, 120)
    fake_twilio.auto_status = ("sent",)
    fake_twilio.auto_status_delay = 2.0  # time to see who holds the message, then kill it

    with live_app(database_url, tmp_path, fake_twilio) as public_url:
        environ = worker_environ(
            database_url,
            tmp_path,
            fake_twilio,
            public_url,
            REMEDY_OUTBOX_LEASE_SECONDS=LEASE_SECONDS,
            REMEDY_SEND_TIMEOUT_SECONDS=1,
            REMEDY_OUTBOX_BATCH_SIZE=20,
            REMEDY_SEND_RATE=0,
            REMEDY_WORKER_IDLE_SECONDS=0.05,
            REMEDY_JOBS_INTERVAL_SECONDS=3600,
        )
        workers = [start_worker(environ) for _ in range(4)]
        survivors: list[subprocess.Popen[str]] = []
        try:
            fake_twilio.wait_for(lambda: bool(fake_twilio.sent_to(caught)), timeout=60)
            holder = row(in_flight).claimed_by
            assert holder is not None, "the callback settled it before the kill"
            victim = next(w for w in workers if w.pid == int(holder.split(":")[1]))
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            survivors = [w for w in workers if w is not victim]

            wait_until(
                lambda: statuses()[MessageStatus.SENT] == MESSAGES,
                timeout=60,
                what="every message is sent",
            )
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
            outputs = [worker.communicate(timeout=30)[0] for worker in workers]

    assert victim.returncode == -signal.SIGKILL
    assert [w.returncode for w in survivors] == [0, 0, 0], outputs
    bodies = Counter(message["Body"] for message in fake_twilio.messages)
    assert bodies == Counter(row(i).body for i in ids)  # every one, exactly once
    settled = row(in_flight)
    assert (settled.status, settled.attempts) == (MessageStatus.SENT, 1)
    assert settled.provider_id == fake_twilio.sent_to(caught)[0]["sid"]
    taken_again = [i for i in ids if row(i).attempts == 2]
    assert taken_again, "nothing of the dead worker's batch was left to take over"
    assert all(row(i).attempts == 1 for i in ids if i not in taken_again)
