"""The worker's webhook turn: claim due deliveries, post each one signed, record what
happened (``remedy.messaging.webhook_claims``), retry with backoff or give up.

The worker calls :func:`deliver_due` once per turn of its loop, before it claims the
outbox (``remedy.jobs.registry`` puts it in the app). The lease covers every POST of the
batch at its timeout, twice over, so a live worker never loses a claim mid-batch; a
worker that dies leaves its claims to expire, and another takes them again (a receiver
may then see one delivery id twice: the ``X-Remedy-Delivery`` header lets it tell).
"""

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.messaging import webhook_claims
from remedy.messaging.claims import backoff_seconds
from remedy.messaging.webhook_sender import Outcome, Posted, post, signed_headers
from remedy.models.types import utcnow
from remedy.models.webhook import WebhookDelivery
from remedy.webhooks.payload import payload

logger = logging.getLogger(__name__)
_jitter = random.Random()  # spreads retries, not secrets


@dataclass(frozen=True)
class Request:
    url: str
    body: bytes
    headers: dict[str, str]


def _request(delivery_id: int, now: datetime) -> tuple[int, Request | Posted]:
    """The attempt's number, and the signed request or why it must not be sent (a failed
    attempt, no POST)."""
    with atomic():
        delivery = db.session.get(WebhookDelivery, delivery_id, populate_existing=True)
        if delivery is None:
            return 0, Posted(Outcome.FAILED, error="delivery gone")
        attempt, subscription = delivery.attempts, delivery.subscription
        if not subscription.is_active:
            return attempt, Posted(Outcome.FAILED, error="subscription deactivated")
        document = payload(delivery)
        if document is None:
            return attempt, Posted(Outcome.FAILED, error="no longer visible to the organisation")
        body = json.dumps(document, separators=(",", ":"), sort_keys=True).encode("utf-8")
        headers = signed_headers(
            subscription.secret, delivery.event.value, delivery.id, int(now.timestamp()), body
        )
        return attempt, Request(subscription.url, body, headers)


def deliver_due(worker_id: str, now: datetime, limit: int) -> int:
    """Post up to ``limit`` due deliveries as worker ``worker_id``; how many were claimed."""
    config = current_app.config
    timeout = float(config["REMEDY_WEBHOOK_TIMEOUT_SECONDS"])
    max_attempts = int(config["REMEDY_WEBHOOK_MAX_ATTEMPTS"])
    lease_until = now + timedelta(seconds=2 * timeout * (limit + 1))
    claimed = webhook_claims.claim(worker_id, now, limit, lease_until, max_attempts)
    for delivery_id in claimed:
        started = utcnow()
        attempt, request = _request(delivery_id, now)
        if isinstance(request, Request):
            posted = post(request.url, request.body, request.headers, timeout)
        else:
            posted = request
        retry_at = None
        if posted.outcome is Outcome.RETRY and attempt < max_attempts:
            wait = backoff_seconds(
                attempt,
                float(config["REMEDY_WEBHOOK_BACKOFF_SECONDS"]),
                float(config["REMEDY_WEBHOOK_BACKOFF_MAX_SECONDS"]),
                _jitter,
            )
            retry_at = now + timedelta(seconds=wait)
        webhook_claims.record(worker_id, delivery_id, attempt, posted, started, utcnow(), retry_at)
        if posted.outcome is not Outcome.DELIVERED:
            logger.info("webhook delivery %s: %s", delivery_id, posted.error)
    return len(claimed)
