"""Webhook deliveries as the worker handles them: claimed like outbox messages
(``claims.claim_rows``: the same lease, attempts and dialect rules), and each attempt's
outcome written with its row of the delivery log, in one transaction that holds only
while this worker still owns the claim.

What is posted is assembled above messaging (the payload needs the visibility rules), so
the worker finds the drain in the app (``app.extensions[WEBHOOK_DRAIN_KEY]``, filled by
``remedy.jobs.registry``), as it finds the inbox's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app
from sqlalchemy import insert, update

from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.messaging.claims import claim_rows
from remedy.messaging.delivery import rows_changed
from remedy.messaging.webhook_sender import Outcome, Posted
from remedy.models.webhook import DeliveryStatus, WebhookAttempt, WebhookDelivery

WEBHOOK_DRAIN_KEY = "remedy.webhook_drain"

# Delivers up to ``limit`` due webhooks as worker ``worker_id`` at ``now``; how many.
WebhookDrain = Callable[[str, datetime, int], int]

deliveries = WebhookDelivery.__table__
attempts = WebhookAttempt.__table__


def app_webhook_drain() -> WebhookDrain | None:
    """The app's webhook drain, if it has one."""
    drain: WebhookDrain | None = current_app.extensions.get(WEBHOOK_DRAIN_KEY)
    return drain


def claim(
    worker_id: str, now: datetime, size: int, lease_until: datetime, max_attempts: int
) -> list[int]:
    """Take up to ``size`` due deliveries for this worker, committed before any POST."""
    due = (deliveries.c.status == DeliveryStatus.PENDING.value) & (deliveries.c.available_at <= now)
    return claim_rows(deliveries, due, worker_id, now, size, lease_until, max_attempts)


def record(
    worker_id: str,
    delivery_id: int,
    attempt: int,
    posted: Posted,
    started: datetime,
    finished: datetime,
    retry_at: datetime | None,
) -> bool:
    """Write an attempt's outcome and its log row; ``retry_at`` None: no retry left.
    False when the claim was lost meanwhile (nothing written)."""
    values: dict[str, object] = {
        "claimed_by": None,
        "lease_expires_at": None,
        "last_status_code": posted.status_code,
        "last_error": posted.error,
    }
    outcome = posted.outcome
    if outcome is Outcome.DELIVERED:
        values.update(status=DeliveryStatus.DELIVERED.value, delivered_at=finished)
    elif outcome is Outcome.RETRY and retry_at is not None:
        values.update(status=DeliveryStatus.PENDING.value, available_at=retry_at)
    else:
        outcome = Outcome.FAILED
        values.update(status=DeliveryStatus.FAILED.value)
    with atomic():
        written = rows_changed(
            update(deliveries)
            .where(
                deliveries.c.id == delivery_id,
                deliveries.c.status == DeliveryStatus.SENDING.value,
                deliveries.c.claimed_by == worker_id,
            )
            .values(values)
        )
        if written:
            db.session.execute(
                insert(attempts).values(
                    delivery_id=delivery_id,
                    attempt=attempt,
                    started_at=started,
                    finished_at=finished,
                    status_code=posted.status_code,
                    error=posted.error,
                    outcome=outcome.value,
                )
            )
    return bool(written)
