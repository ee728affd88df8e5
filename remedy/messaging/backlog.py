"""How much waits in the inbox and the outbox, and for how long: the first numbers to
look at when people say their messages get no answer (``worker status``, ``/metrics``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.models.inbound_message import InboundMessage
from remedy.models.outbox_message import SENDABLE_CHANNELS, MessageStatus, OutboxMessage


@dataclass(frozen=True)
class Backlog:
    depth: int
    oldest: datetime | None

    def age(self, now: datetime) -> float:
        """Seconds the oldest waiting item has waited (0 when none waits)."""
        return max(0.0, (now - self.oldest).total_seconds()) if self.oldest else 0.0


def inbox() -> Backlog:
    """Inbound messages not yet handled (failed ones are settled, so not counted)."""
    depth, oldest = db.session.execute(
        select(func.count(), func.min(InboundMessage.received_at)).where(
            InboundMessage.processed_at.is_(None)
        )
    ).one()
    return Backlog(depth, _aware(oldest))


def outbox() -> Backlog:
    """Messages a worker still has to send: pending, or claimed and not yet settled."""
    depth, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status.in_((MessageStatus.PENDING, MessageStatus.SENDING)),
            OutboxMessage.channel.in_(SENDABLE_CHANNELS),
        )
    ).one()
    return Backlog(depth, _aware(oldest))


def _aware(moment: datetime | None) -> datetime | None:
    """``min()`` skips the column type: SQLite hands back a naive UTC time or text."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment
