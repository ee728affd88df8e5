"""The send rate: ``REMEDY_SEND_RATE`` messages per second per sending number (or Messaging
Service), for all workers together.

A ``worker_timers`` row per sender holds its next free slot, and each batch reserves its
slots there with one compare-and-swap UPDATE; the batch is then sent in slot order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update

from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.messaging.delivery import rows_changed
from remedy.messaging.senders import Outgoing, Sender
from remedy.messaging.timers import create_timer, timers


def reserve_slots(key: str, count: int, now: datetime, rate: float) -> datetime:
    """Reserve ``count`` consecutive slots of ``key``'s rate; the first slot's time."""
    name = f"rate:{key}"[:120]
    length = timedelta(seconds=count / rate)
    while True:
        with atomic():
            current: datetime | None = db.session.execute(
                select(timers.c.at).where(timers.c.name == name)
            ).scalar()
            if current is None:
                if create_timer(name, now + length):
                    return now
                continue
            start = max(current, now)
            swapped = rows_changed(
                update(timers)
                .where(timers.c.name == name, timers.c.at == current)
                .values(at=start + length)
            )
            if swapped == 1:
                return start


def schedule(
    messages: Sequence[Outgoing], sender: Sender, now: datetime, rate: float
) -> list[tuple[datetime, Outgoing]]:
    """When each message may go: slots reserved on its sender's shared rate (no rate: now)."""
    if not rate:
        return [(now, message) for message in messages]
    groups: dict[str | None, list[Outgoing]] = {}
    for message in messages:
        groups.setdefault(sender.rate_key(message), []).append(message)
    planned: list[tuple[datetime, Outgoing]] = []
    gap = timedelta(seconds=1 / rate)
    for key, group in groups.items():
        start = now if key is None else reserve_slots(key, len(group), now, rate)
        planned += [
            (start + index * gap if key is not None else now, message)
            for index, message in enumerate(group)
        ]
    planned.sort(key=lambda item: (item[0], item[1].id))
    return planned
