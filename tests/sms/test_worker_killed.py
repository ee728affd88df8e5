"""The issue's must-show: a ``flask worker`` process killed with SIGKILL in the middle of
its inbox batch loses no message and handles none twice (PostgreSQL).

Three numbers are each in the middle of telling what happened; their next messages are
stored by the webhook, interleaved, before any worker runs. The test holds a row lock
on one number's conversation, so the worker, handling the batch in arrival order,
commits the messages before that number's and then blocks inside the next message's
transaction (the conversation is locked ``FOR UPDATE`` there): the kill lands mid-
message, without timing. A second worker then handles what is left.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Connection, select, text

from remedy.core.extensions import db
from remedy.models import Conversation, InboundMessage, OutboxMessage
from remedy.models.inbound_message import InboxOutcome
from remedy.models.outbox_message import MessageStatus, reply_key
from tests.fake_twilio import FakeTwilio
from tests.messaging.processes import postpone_jobs, start_worker, wait_until, worker_environ
from tests.sms.conftest import PUBLIC_URL, Phone, a_number

# A worker process on its own connection, blocked on a row lock: PostgreSQL's.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]

ROUNDS = 3


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return sends_to_twilio


def part(phone: Phone, round_: int) -> str:
    return f"Part {round_} of what happened, from {phone.number}."


def pending() -> list[InboundMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(InboundMessage)
            .where(InboundMessage.processed_at.is_(None))
            .order_by(InboundMessage.id)
        )
    )


def unsent() -> int:
    db.session.expire_all()
    return len(
        db.session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.status != MessageStatus.SENT)
        ).all()
    )


@contextmanager
def conversation_locked(conversation_id: int) -> Iterator[Connection]:
    """A transaction of the test's that holds the conversation's row lock until the end."""
    with db.engine.connect() as connection:
        connection.execute(
            select(Conversation.id).where(Conversation.id == conversation_id).with_for_update()
        )
        try:
            yield connection
        finally:
            connection.rollback()


def blocked_by(connection: Connection) -> list[str]:
    """The queries of the sessions waiting on a lock the connection holds (from another
    connection each time: a transaction sees ``pg_stat_activity`` as it first read it)."""
    holder = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with db.engine.connect() as observer:
        return list(
            observer.execute(
                text(
                    "SELECT query FROM pg_stat_activity WHERE :holder = ANY(pg_blocking_pids(pid))"
                ),
                {"holder": holder},
            ).scalars()
        )


def stop(worker: subprocess.Popen[str]) -> str:
    """Its output, once it stopped: SIGTERM, then SIGKILL if it still waits on a lock."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    try:
        return worker.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.communicate()[0]


def test_a_worker_killed_mid_message_loses_nothing_and_handles_nothing_twice(
    on_postgresql: None,
    app: Flask,
    database_url: str,
    tmp_path: Path,
    fake_twilio: FakeTwilio,
    phone: Phone,
) -> None:
    phones = [phone, *(Phone(phone.client, a_number()) for _ in range(2))]
    for each in phones:
        each.send("HELLO")  # handled here: each number's conversation is open
    for round_ in range(ROUNDS):
        for each in phones:
            each.post(each.params(part(each, round_)))
    postpone_jobs()
    first, second, caught = phones
    (conversation,) = caught.conversations()
    environ = worker_environ(
        database_url,
        tmp_path,
        fake_twilio,
        PUBLIC_URL,
        REMEDY_SEND_RATE=0,
        REMEDY_WORKER_IDLE_SECONDS=0.05,
        REMEDY_JOBS_INTERVAL_SECONDS=3600,
    )

    with conversation_locked(conversation.id) as lock:
        victim = start_worker(environ)
        try:
            wait_until(lambda: blocked_by(lock), timeout=60, what="the worker waits on the lock")
            (waiting,) = blocked_by(lock)
            assert "FROM conversations" in waiting
            assert "FOR UPDATE" in waiting
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
        finally:
            victim_output = stop(victim)
        # Mid-batch: the two messages before the caught number's were committed, the
        # caught one and everything after it still wait.
        stored = sorted(m.id for each in phones for m in each.inbound()[1:])
        assert [m.id for m in pending()] == stored[2:]
        assert stored[:2] == [first.inbound()[1].id, second.inbound()[1].id]
    assert victim.returncode == -signal.SIGKILL, victim_output

    survivor = start_worker(environ)
    try:
        wait_until(lambda: not pending() and not unsent(), timeout=60, what="all is sent")
    finally:
        survivor_output = stop(survivor)
    assert survivor.returncode == 0, survivor_output

    for each in phones:
        inbound = each.inbound()
        assert len(inbound) == 1 + ROUNDS
        assert {(m.outcome, m.attempts) for m in inbound} == {(InboxOutcome.REPLIED, 0)}
        replies = [
            db.session.scalars(
                select(OutboxMessage.body).where(OutboxMessage.dedupe_key == reply_key(m.id))
            ).all()
            for m in inbound
        ]
        assert [len(queued) for queued in replies] == [1] * len(inbound)  # each once
        received = [message["Body"] for message in fake_twilio.sent_to(each.number)]
        assert sorted(received) == sorted(body for (body,) in replies)  # each sent once
        (told,) = each.conversations()
        assert told.description == "\n".join(part(each, r) for r in range(ROUNDS))
        assert told.state == "what_happened"
