"""Fixtures for the outbox worker, its senders and delivery status: a fake Twilio API, a
clock the tests move by hand, workers built from the app's settings, queued messages."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from remedy.core.extensions import db
from remedy.messaging.inbox import InboxDrain
from remedy.messaging.periodic import PeriodicJob
from remedy.messaging.senders import Sender, build_sender
from remedy.messaging.whatsapp_window import record_inbound
from remedy.messaging.worker import Worker
from remedy.messaging.worker_settings import WorkerSettings
from remedy.models.outbox_message import (
    SENDABLE_CHANNELS,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from remedy.models.types import keyring, utcnow
from tests.fake_twilio import FakeTwilio, fake_twilio

__all__ = ["fake_twilio"]

PUBLIC_URL = "https://remedy.example.org"
NUMBER = "+254700000001"


@pytest.fixture
def app_overrides(fake_twilio: FakeTwilio) -> dict[str, Any]:
    """Send through the fake; no rate limit unless a test sets one."""
    return {
        **fake_twilio.settings(),
        "REMEDY_PUBLIC_URL": PUBLIC_URL,
        "REMEDY_SEND_RATE": 0,
        "REMEDY_SEND_TIMEOUT_SECONDS": 2.0,
        "REMEDY_OUTBOX_LEASE_SECONDS": 60.0,
        "REMEDY_OUTBOX_BACKOFF_SECONDS": 4.0,
        "REMEDY_OUTBOX_MAX_ATTEMPTS": 5,
    }


class Clock:
    """The worker's time: moves only when the test (or the worker's sleep) moves it.

    It starts a minute ahead of the wall clock, so what a test queues is already due.
    """

    def __init__(self) -> None:
        self.now = utcnow() + timedelta(minutes=1)
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


MakeWorker = Callable[..., Worker]


@pytest.fixture
def make_worker(app: Flask, clock: Clock) -> MakeWorker:
    """A worker on the app's settings (changed by keyword), the test's clock, and no jobs
    (and the app's inbox, unless one is given)."""

    def make(
        sender: Sender | None = None,
        *,
        jobs: tuple[PeriodicJob, ...] = (),
        worker_id: str | None = None,
        inbox: InboxDrain | None = None,
        **changes: Any,
    ) -> Worker:
        settings = replace(WorkerSettings.from_config(app.config), **changes)
        return Worker(
            sender or build_sender(app.config),
            settings,
            worker_id=worker_id,
            clock=clock,
            sleep=clock.sleep,
            jobs=jobs,
            inbox=inbox,
        )

    return make


_numbers = itertools.count(1)


def wrote_on_whatsapp(number: str = NUMBER, at: datetime | None = None) -> None:
    """The number wrote to us on WhatsApp at ``at`` (now): its 24-hour window opens."""
    record_inbound(keyring().lookup_hash(number), at or utcnow())
    db.session.commit()


def queue(
    channel: MessageChannel = MessageChannel.SMS,
    address: str | None = NUMBER,
    body: str | None = None,
    window_open: bool = True,
    **fields: Any,
) -> int:
    """One outbox row as the workflows write it; its id. A WhatsApp message's number
    wrote just before (its window is open) unless ``window_open`` is false."""
    sendable = channel in (*SENDABLE_CHANNELS, MessageChannel.VOICE)
    n = next(_numbers)
    message = OutboxMessage(
        dedupe_key=f"test:{n}",
        channel=channel,
        address=address,
        language="en",
        template="acknowledged",
        body=body or f"Case 1234-5678: message {n}",
        status=MessageStatus.PENDING if sendable else MessageStatus.STORED,
        **fields,
    )
    db.session.add(message)
    db.session.commit()
    if channel is MessageChannel.WHATSAPP and address and window_open:
        wrote_on_whatsapp(address)
    return message.id


def queue_many(count: int, **fields: Any) -> list[int]:
    """``count`` SMS to distinct numbers, with distinct bodies, in one commit."""
    messages = []
    for index in range(count):
        n = next(_numbers)
        messages.append(
            OutboxMessage(
                dedupe_key=f"test:{n}",
                channel=MessageChannel.SMS,
                address=f"+2547{index:08d}",
                language="en",
                template="acknowledged",
                body=f"Case 1234-5678: message {n}",
                status=MessageStatus.PENDING,
                **fields,
            )
        )
    db.session.add_all(messages)
    db.session.commit()
    return [message.id for message in messages]


def row(outbox_id: int) -> OutboxMessage:
    """The row as committed now."""
    db.session.expire_all()
    found = db.session.get(OutboxMessage, outbox_id)
    assert found is not None
    return found


@pytest.fixture
def callbacks_to_app(fake_twilio: FakeTwilio, client: FlaskClient) -> FakeTwilio:
    """The fake posts its signed status callbacks to the app (through the test client)."""

    def deliver(url: str, params: dict[str, str], headers: dict[str, str]) -> int:
        assert url.startswith(PUBLIC_URL + "/"), url
        parts = urlsplit(url)
        response = client.post(
            f"{parts.path}?{parts.query}",
            data=params,
            headers={"X-Twilio-Signature": headers["X-Twilio-Signature"]},
        )
        return response.status_code

    fake_twilio.deliver = deliver
    return fake_twilio
