"""The inbox: a message the conversation fails on is never lost. It is tried again after a
backoff while the later messages of its number wait; after the last attempt it is
``failed``, shown to the team, and the number's later messages go on. Replies reach the
phone through the outbox, and PostgreSQL wakes a waiting worker when a message arrives."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from remedy.core.actors import SYSTEM
from remedy.core.extensions import db
from remedy.messaging import sms_texts
from remedy.messaging.inbox import Waker
from remedy.models.grievance import Channel
from remedy.models.inbound_message import InboundMessage, InboxOutcome
from remedy.models.types import utcnow
from remedy.sms import inbox
from remedy.sms.inbound import InboundText
from tests.sms.conftest import Phone, file_by_phone, handle_inbox, new_sid, rendered

BROKEN = "This message breaks the conversation"


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return {**sends_to_twilio, "REMEDY_INBOX_MAX_ATTEMPTS": 3}


@pytest.fixture
def breaking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The conversation raises on ``BROKEN``, as a bug would."""
    handle = inbox.handle

    def failing(inbound: InboundMessage, settle: Any) -> str:
        if inbound.body == BROKEN:
            raise RuntimeError(f"a bug, quoting the message: {inbound.body}")
        return handle(inbound, settle)

    monkeypatch.setattr(inbox, "handle", failing)


def stored(phone: Phone) -> list[InboundMessage]:
    return phone.inbound()


def due_now(message: InboundMessage) -> None:
    """The backoff is over (the test does not wait for it)."""
    message.available_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_the_phone_receives_each_reply_through_the_outbox_in_order(
    texting_phone: Phone,
) -> None:
    texting_phone.send("HABARI")
    texting_phone.send("Uzio mpya unazuia njia ya kisima.")
    assert texting_phone.received() == [
        rendered(sms_texts.WHAT_HAPPENED, "sw"),
        rendered(sms_texts.MORE, "sw"),
    ]


def test_the_filing_reply_reaches_the_phone_with_its_pin(texting_phone: Phone) -> None:
    filed = file_by_phone(texting_phone, "fr")
    received = texting_phone.received()
    assert filed.reply in received
    assert filed.pin in filed.reply


def test_a_failing_message_is_retried_after_a_backoff_then_failed_and_shown_to_the_team(
    breaking: None, phone: Phone, app: Flask
) -> None:
    phone.send("HELLO")
    assert phone.send(BROKEN) == ""
    broken = stored(phone)[-1]
    assert (broken.attempts, broken.processed_at) == (1, None)
    assert broken.available_at > utcnow()  # backoff
    assert broken.last_error is not None
    assert broken.last_error.startswith("RuntimeError at ")
    assert BROKEN not in broken.last_error  # no personal data in the reason

    # A later message of the number waits while the earlier one is in backoff.
    assert phone.send("The well is dry.") == ""
    assert stored(phone)[-1].processed_at is None

    for attempt in (2, 3):
        due_now(broken)
        handle_inbox(phone.hashes)
        db.session.refresh(broken)
        assert broken.attempts == attempt
    assert broken.outcome == InboxOutcome.FAILED
    assert [message.id for message in inbox.failed()] == [broken.id]

    # Once it failed, the later message went on, in the conversation it was part of.
    later = stored(phone)[-1]
    assert later.outcome == InboxOutcome.REPLIED
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.description == "The well is dry."


def test_a_supervisor_retries_a_failed_message(breaking: None, phone: Phone) -> None:
    phone.send("HELLO")
    phone.send(BROKEN)
    broken = stored(phone)[-1]
    broken.attempts, broken.outcome, broken.processed_at = 3, InboxOutcome.FAILED, utcnow()
    db.session.commit()

    assert inbox.retry(SYSTEM, broken.id)
    db.session.refresh(broken)
    assert (broken.attempts, broken.outcome, broken.processed_at) == (0, None, None)
    assert inbox.failed() == []
    assert not inbox.retry(SYSTEM, broken.id)  # only a failed message


def test_a_message_is_handled_once_however_often_the_inbox_is_drained(phone: Phone) -> None:
    sid = new_sid()
    inbox.accept(InboundText(sid, phone.number, Channel.SMS, "HELLO"))
    assert handle_inbox() == 1
    assert handle_inbox() == 0
    (message,) = stored(phone)
    assert message.outcome == InboxOutcome.REPLIED


@pytest.mark.commits
@pytest.mark.postgres
def test_a_new_message_wakes_a_waiting_worker(app: Flask, backend: str, phone: Phone) -> None:
    if backend != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite polls")
    stop = threading.Event()
    woke: list[bool] = []

    def worker() -> None:
        with app.app_context():
            waker = Waker(idle=60, poll=60, stop=stop).listen()
            ready.set()
            woke.append(waker.wait())
            waker.close()

    ready = threading.Event()
    thread = threading.Thread(target=worker)
    thread.start()
    assert ready.wait(30)
    inbox.accept(InboundText(new_sid(), phone.number, Channel.SMS, "HELLO"))
    thread.join(90)
    assert woke == [True]  # woken by the message, not by the end of its idle time
