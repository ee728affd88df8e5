"""The delivery log admins read: a subscription's latest deliveries, each with its attempts
(when, HTTP status, fixed-words error, outcome). It holds no payload: what was posted is
rebuilt at each attempt and kept nowhere."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models.webhook import WebhookAttempt, WebhookDelivery, WebhookSubscription


@dataclass(frozen=True)
class LogEntry:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


def delivery_log(subscription: WebhookSubscription, limit: int = 50) -> list[LogEntry]:
    """Newest first."""
    found = list(
        db.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
    tried: dict[int, list[WebhookAttempt]] = defaultdict(list)
    for attempt in db.session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_([delivery.id for delivery in found]))
        .order_by(WebhookAttempt.delivery_id, WebhookAttempt.attempt)
    ):
        tried[attempt.delivery_id].append(attempt)
    return [LogEntry(delivery, tried[delivery.id]) for delivery in found]
