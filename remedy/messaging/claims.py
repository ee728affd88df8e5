"""Claims on outbox messages: taking a batch, keeping the lease, handing it back, and
reading what a worker holds. The SQL differs by dialect where it must.

Claiming. One ``UPDATE … WHERE id IN (due ids) RETURNING id`` moves a batch to
``sending`` with this worker's id and a lease, counting an attempt, and is committed
before the provider is called. On PostgreSQL the due ids come from a ``FOR UPDATE SKIP
LOCKED`` select (a materialized CTE, so it runs once), which re-checks each row as it
locks it: workers take different rows without waiting. SQLite drops that clause; the
statement runs under its single write lock, and its WHERE also repeats the due
condition, so a row is never claimed twice there either. Due means ``pending`` and
``available_at`` passed, or ``sending`` with an expired lease (its worker died). SMS,
WhatsApp and calls are claimed; web and console messages are never sent. A message about
a case whose contact is on hold (``grievances.contact_held_since``, after a reprisal
incident) is not due: it waits until the hold is lifted (``remedy.cases.contact_hold``).

Holding. Every later write on a claimed message holds only while this worker still owns
the claim (:func:`held_by`: ``status='sending' AND claimed_by=me``). The lease is renewed
while a batch takes long, and what was claimed but not sent is handed back at once, its
attempt uncounted.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, exists, select, true, update

from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.messaging.delivery import rows_changed
from remedy.messaging.senders import Outgoing
from remedy.messaging.whatsapp_window import open_numbers
from remedy.models.grievance import Grievance
from remedy.models.outbox_message import (
    OPT_OUT_REPLY_TEMPLATE,
    SENDABLE_CHANNELS,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from remedy.models.person import Person
from remedy.models.types import utcnow

outbox = OutboxMessage.__table__
grievances = Grievance.__table__


def claim(
    worker_id: str, now: datetime, size: int, lease_until: datetime, max_attempts: int
) -> list[int]:
    """Take up to ``size`` due messages for this worker, committed before any send."""
    due = (
        (outbox.c.status == MessageStatus.PENDING)
        & (outbox.c.available_at <= now)
        & outbox.c.channel.in_(SENDABLE_CHANNELS)
        & not_held()
    )
    return claim_rows(outbox, due, worker_id, now, size, lease_until, max_attempts)


def claim_rows(
    table: Table,
    due: ColumnElement[bool],
    worker_id: str,
    now: datetime,
    size: int,
    lease_until: datetime,
    max_attempts: int,
) -> list[int]:
    """Claim rows of ``table`` (the outbox, or webhook deliveries: the same status, lease
    and attempt columns): expired leases first, then ``due`` rows, committed at once."""
    sending, failed = MessageStatus.SENDING.value, MessageStatus.FAILED.value
    expired = (table.c.status == sending) & (table.c.lease_expires_at <= now)
    # PostgreSQL re-checks each row as SKIP LOCKED locks it, so the ids are still
    # claimable; SQLite runs the statement under its single write lock, and checks again.
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    with atomic():
        # Claimed again and again by workers that died while sending it: give up.
        exhausted = expired & (table.c.attempts >= max_attempts)
        lease_order = table.c.lease_expires_at
        db.session.execute(
            update(table)
            .where(
                table.c.id.in_(lock_ids(table, exhausted, size, lease_order, "chosen_exhausted")),
                exhausted if sqlite else true(),
            )
            .values(
                status=failed,
                claimed_by=None,
                lease_expires_at=None,
                last_error="gave up: no outcome recorded after the last attempt",
            )
        )
        claimable = (
            (expired & (table.c.attempts < max_attempts), lease_order, "chosen_lease"),
            (due, table.c.available_at, "chosen_due"),
        )
        claimed: list[int] = []
        for condition, order, name in claimable:
            room = size - len(claimed)
            if room <= 0:
                break
            claimed += (
                db.session.execute(
                    update(table)
                    .where(
                        table.c.id.in_(lock_ids(table, condition, room, order, name)),
                        condition if sqlite else true(),
                    )
                    .values(
                        status=sending,
                        claimed_by=worker_id,
                        lease_expires_at=lease_until,
                        attempts=table.c.attempts + 1,
                    )
                    .returning(table.c.id)
                )
                .scalars()
                .all()
            )
    return sorted(claimed)


def not_held() -> ColumnElement[bool]:
    """Not about a case whose contact with the people is on hold."""
    return outbox.c.grievance_id.is_(None) | ~exists(
        select(grievances.c.id).where(
            grievances.c.id == outbox.c.grievance_id,
            grievances.c.contact_held_since.is_not(None),
        )
    )


def lock_ids(
    table: Table, condition: ColumnElement[bool], limit: int, order: ColumnElement[Any], name: str
) -> Select[Any]:
    """The ids to take: oldest first, skipping rows another worker is taking (PostgreSQL).

    A materialized CTE, so PostgreSQL runs it exactly once: as a plain ``IN (subquery)``
    the planner may rescan it for every outer row, each rescan locking more rows.
    """
    chosen = (
        select(table.c.id)
        .where(condition)
        .order_by(order, table.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte(name)
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    return select(chosen.c.id)


def backoff_seconds(attempt: int, base: float, ceiling: float, rng: random.Random) -> float:
    """Seconds before retry ``attempt + 1``: doubling, capped, half of it random."""
    growth: int = 2 ** max(attempt - 1, 0)  # int ** int is typed Any (negative powers)
    top = min(ceiling, base * growth)
    return top / 2 + rng.uniform(0, top / 2)


def held_by(worker_id: str, ids: Sequence[int]) -> ColumnElement[bool]:
    """The messages among ``ids`` this worker still holds."""
    return (
        outbox.c.id.in_(ids)
        & (outbox.c.status == MessageStatus.SENDING)
        & (outbox.c.claimed_by == worker_id)
    )


def renew(worker_id: str, ids: Sequence[int], lease_until: datetime) -> set[int]:
    """Extend the lease on what this worker still holds; the ids it still holds."""
    with atomic():
        return set(
            db.session.execute(
                update(outbox)
                .where(held_by(worker_id, ids))
                .values(lease_expires_at=lease_until)
                .returning(outbox.c.id)
            ).scalars()
        )


def release(worker_id: str, ids: Sequence[int]) -> int:
    """Hand claimed but unsent messages back (the attempt did not happen); how many."""
    with atomic():
        return rows_changed(
            update(outbox)
            .where(held_by(worker_id, ids))
            .values(
                status=MessageStatus.PENDING,
                claimed_by=None,
                lease_expires_at=None,
                attempts=outbox.c.attempts - 1,
            )
        )


def load(worker_id: str, ids: Sequence[int], now: datetime | None = None) -> list[Outgoing]:
    """What this worker holds among ``ids``, ready to send, oldest first (``now``: when
    they leave, for WhatsApp's window)."""
    with atomic():
        rows = db.session.execute(
            select(
                outbox.c.id,
                outbox.c.channel,
                outbox.c.address,
                outbox.c.body,
                outbox.c.template,
                outbox.c.attempts,
                outbox.c.language,
                outbox.c.kind,
                outbox.c.variables,
                outbox.c.request_id,
                Person.phone_opted_out_at,
            )
            .outerjoin(Person, Person.id == outbox.c.person_id)
            .where(held_by(worker_id, ids))
            # Oldest first, ties by id: a person reads messages in the order they were written.
            .order_by(outbox.c.available_at, outbox.c.id)
        ).all()
        # WhatsApp's window is read now, as the message leaves, not when it was queued.
        whatsapp = [r.address for r in rows if r.channel is MessageChannel.WHATSAPP and r.address]
        window = open_numbers(whatsapp, now or utcnow()) if whatsapp else set()
    return [
        Outgoing(
            row.id,
            row.channel,
            row.address or "",
            row.body,
            row.template,
            row.attempts,
            # STOP ends texts; a person who asked to be called is still called.
            opted_out=row.phone_opted_out_at is not None
            and row.template != OPT_OUT_REPLY_TEMPLATE
            and row.channel is not MessageChannel.VOICE,
            kind=row.kind or row.template,
            language=row.language,
            variables=json.loads(row.variables) if row.variables else None,
            window_open=row.address in window,
            request_id=row.request_id,
        )
        for row in rows
    ]
