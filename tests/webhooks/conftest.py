"""Fixtures for outbound webhooks: a receiving server, subscriptions to it, and a worker
whose clock the tests move by hand (so backoff waits are crossed without sleeping)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.messaging.senders import LogSender
from remedy.messaging.worker import Worker
from remedy.messaging.worker_settings import WorkerSettings
from remedy.models.organisation import Organisation
from remedy.models.webhook import WebhookAttempt, WebhookDelivery, WebhookEvent
from remedy.webhooks.subscriptions import IssuedSecret, add_subscription
from tests.messaging.conftest import Clock
from tests.webhooks.receiver import Receiver, receiver

__all__ = ["receiver"]

EVERY_EVENT = tuple(event.value for event in WebhookEvent)
MAX_ATTEMPTS = 3
BACKOFF = 10.0


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {
        "REMEDY_WEBHOOK_TIMEOUT_SECONDS": 0.5,
        "REMEDY_WEBHOOK_MAX_ATTEMPTS": MAX_ATTEMPTS,
        "REMEDY_WEBHOOK_BACKOFF_SECONDS": BACKOFF,
        "REMEDY_WEBHOOK_BACKOFF_MAX_SECONDS": 60.0,
    }


Subscribe = Callable[..., IssuedSecret]


@pytest.fixture
def subscribe(receiver: Receiver) -> Subscribe:
    """Subscribe an organisation to the receiver, which learns the secret."""

    def make(organisation: Organisation, events: tuple[str, ...] = EVERY_EVENT) -> IssuedSecret:
        issued = add_subscription(OPERATOR, organisation, receiver.url, events)
        receiver.secret = issued.secret
        return issued

    return make


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def worker(clock: Clock) -> Worker:
    """A worker as ``flask worker`` runs one: the app's webhook drain, no texts to send."""
    return Worker(LogSender(), WorkerSettings(), clock=clock, jobs=(), inbox=lambda limit: 0)


def deliveries(organisation: Organisation | None = None) -> list[WebhookDelivery]:
    db.session.expire_all()
    query = db.select(WebhookDelivery).order_by(WebhookDelivery.id)
    found = list(db.session.scalars(query))
    if organisation is None:
        return found
    return [row for row in found if row.subscription.organisation_id == organisation.id]


def attempts(delivery: WebhookDelivery) -> list[WebhookAttempt]:
    query = (
        db.select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id == delivery.id)
        .order_by(WebhookAttempt.attempt)
    )
    return list(db.session.scalars(query))
