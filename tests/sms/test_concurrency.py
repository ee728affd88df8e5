"""Against a live server (threads, each request its own session and connection), handled by
two workers at once (threads, each its own session): the same MessageSid twenty times at
once is stored once, has one effect and one reply; messages from one number at once never
open two conversations, are handled in arrival order, never lost, never twice."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import BaseWSGIServer, make_server

from remedy.core.extensions import db
from remedy.models import Conversation, Grievance, InboundMessage, OutboxMessage, PinLockout
from remedy.models.outbox_message import reply_key
from remedy.sms.inbox import process_pending
from tests.sms.conftest import NOT_A_REPLY, WEBHOOK, Phone, a_number, file_by_phone, signature

# Concurrent requests on a live server, each with its own connection; row locks are PostgreSQL's.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]

AT_ONCE = 20


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    live: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=live.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{live.server_port}"
    live.shutdown()
    thread.join(timeout=10)


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except BaseException as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return results


def post(server: str, params: dict[str, str]) -> requests.Response:
    return requests.post(
        server + WEBHOOK,
        data=params,
        headers={"X-Twilio-Signature": signature(params)},
        timeout=30,
    )


def two_workers(app: Flask) -> list[int]:
    """Two workers handle the inbox at once, each in its own app context and session, until
    nothing is left; how many messages each handled."""

    def work() -> int:
        with app.app_context():
            handled = 0
            while step := process_pending(5):
                handled += step
            db.session.remove()
            return handled

    handled = at_once([work, work])
    assert all(isinstance(n, int) for n in handled), handled
    return handled


def replies(sid: str) -> int:
    db.session.expire_all()
    inbound = db.session.scalar(select(InboundMessage.id).where(InboundMessage.message_sid == sid))
    return (
        db.session.scalar(
            select(func.count()).where(OutboxMessage.dedupe_key == reply_key(inbound or 0))
        )
        or 0
    )


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_the_same_filing_message_twenty_times_at_once_files_once(
    app: Flask, server: str, phone: Phone
) -> None:
    for body in ("HELLO", "The dam leaks into our fields.", "0", "Garissa", "1", "2"):
        phone.send(body)
    last = phone.params("1")  # the answer that files
    responses = at_once([lambda: post(server, last)] * AT_ONCE)
    assert [r.status_code for r in responses] == [200] * AT_ONCE, responses
    assert len({r.text for r in responses}) == 1
    assert sum(two_workers(app)) == 1
    assert count(Grievance) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(NOT_A_REPLY)) == 1  # acknowledgement
    assert replies(last["MessageSid"]) == 1
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count()).where(InboundMessage.message_sid == last["MessageSid"])
        )
        == 1
    )


def test_the_same_wrong_pin_twenty_times_at_once_counts_once(
    app: Flask, server: str, phone: Phone
) -> None:
    filed = file_by_phone(phone)
    guesser = Phone(phone.client, a_number())
    wrong = str((int(filed.pin) + 1) % 1_000_000).zfill(6)
    params = guesser.params(f"STATUS {filed.reference} {wrong}")
    responses = at_once([lambda: post(server, params)] * AT_ONCE)
    assert [r.status_code for r in responses] == [200] * AT_ONCE
    assert len({r.text for r in responses}) == 1
    two_workers(app)
    db.session.expire_all()
    lockout = db.session.get(PinLockout, filed.reference)
    assert lockout is not None
    assert lockout.failures == 1
    assert replies(params["MessageSid"]) == 1


def test_different_messages_from_one_number_at_once_are_told_in_arrival_order_once_each(
    app: Flask, server: str, phone: Phone
) -> None:
    phone.send("HELLO")
    parts = [f"Part {index} of what happened at the mine." for index in range(10)]
    calls: list[Callable[[], Any]] = [partial(post, server, phone.params(part)) for part in parts]
    responses = at_once(calls)
    assert [r.status_code for r in responses] == [200] * len(parts)
    assert sum(two_workers(app)) == len(parts)
    (conversation,) = phone.conversations()
    assert conversation.state == "what_happened"
    told = (conversation.description or "").split("\n")
    arrived = [message.body for message in phone.inbound()[1:]]  # by id: arrival order
    assert told == arrived  # every message kept, none twice, in the order they came
    assert sorted(told) == sorted(parts)


def test_first_messages_from_one_number_at_once_open_one_conversation(
    app: Flask, server: str
) -> None:
    number = a_number()
    phones = [Phone(None, number) for _ in range(8)]  # type: ignore[arg-type]
    calls: list[Callable[[], Any]] = [partial(post, server, p.params("BONJOUR")) for p in phones]
    responses = at_once(calls)
    assert [r.status_code for r in responses] == [200] * len(phones)
    two_workers(app)
    assert count(Conversation) == 1
    assert count(InboundMessage) == len(phones)
