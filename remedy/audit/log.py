"""Append to and verify the hash-chained audit log.

Each event's hash covers its own fields and the previous event's hash, so an
edited, deleted or reordered event breaks the chain from that point on. The
chain head row is updated first in every append: that takes a write lock on
both SQLite and PostgreSQL, so two concurrent transactions cannot both append
after the same event. Events hold states, ids and field names, never personal
data (which lives encrypted in its own tables).
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.audit_event import GENESIS_HASH, AuditChainHead, AuditEvent
from remedy.models.types import utcnow

HEAD_ID = 1
JsonDict = dict[str, Any]


def _canonical(value: Any) -> Any:
    """Make values JSON-stable (enums and datetimes as strings)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def event_hash(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "prev_hash": event.prev_hash,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_kind": event.actor_kind,
        "actor_id": event.actor_id,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "before": event.before,
        "after": event.after,
    }
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(encoded.encode("ascii")).hexdigest()


def _advance_head() -> tuple[int, str]:
    """Take the chain's write lock and reserve the next sequence number."""
    result = db.session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(seq=AuditChainHead.seq + 1)
        .returning(AuditChainHead.seq, AuditChainHead.last_hash)
    ).one_or_none()
    if result is None:
        db.session.add(AuditChainHead(id=HEAD_ID, seq=1, last_hash=GENESIS_HASH))
        db.session.flush()
        return 1, GENESIS_HASH
    return int(result[0]), str(result[1])


def record(
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: object | None = None,
    before: JsonDict | None = None,
    after: JsonDict | None = None,
) -> AuditEvent:
    """Append one event inside the caller's transaction."""
    seq, prev_hash = _advance_head()
    event = AuditEvent(
        seq=seq,
        prev_hash=prev_hash,
        occurred_at=utcnow(),
        actor_kind=actor.kind.value,
        actor_id=actor.id,
        action=action,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        before=_canonical(before) if before is not None else None,
        after=_canonical(after) if after is not None else None,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(last_hash=event.hash)
    )
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str | None = None


def _events_in_order(batch: int = 1000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        # Only the events walked: the caller's own rows (a signed-in account) stay attached.
        for row in rows:
            db.session.expunge(row)


def _head() -> tuple[int, str]:
    """The chain head as committed: how many events were written and the last one's hash."""
    row = db.session.execute(
        select(AuditChainHead.seq, AuditChainHead.last_hash).where(AuditChainHead.id == HEAD_ID)
    ).one_or_none()
    return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))


def verify_chain() -> ChainReport:
    """Walk the chain from the start; report the first event that does not fit.

    The head is read before the walk (every event up to it must be there, the last one
    with the hash it recorded) and again after it (no event may lie beyond it). Events
    appended meanwhile by a live system satisfy both, so they raise no false alarm.
    """
    head_seq, head_hash = _head()
    expected_seq, expected_prev, count = 1, GENESIS_HASH, 0
    hash_at_head = GENESIS_HASH
    for event in _events_in_order():
        if event.seq != expected_seq:
            return ChainReport(
                False,
                count,
                expected_prev,
                expected_seq,
                f"event {expected_seq} is missing (next stored event is {event.seq})",
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                False,
                count,
                expected_prev,
                event.seq,
                f"event {event.seq} does not follow event {event.seq - 1} "
                "(deleted, reordered or replaced)",
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                False,
                count,
                expected_prev,
                event.seq,
                f"event {event.seq} was altered after it was written",
            )
        if event.seq == head_seq:
            hash_at_head = event.hash
        expected_prev, expected_seq, count = event.hash, expected_seq + 1, count + 1
    if count < head_seq:
        return ChainReport(
            False,
            count,
            expected_prev,
            count + 1,
            f"the log ends at event {count} but {head_seq} were written "
            "(events were deleted from the end)",
        )
    if hash_at_head != head_hash:
        return ChainReport(
            False,
            head_seq - 1,
            expected_prev,
            head_seq,
            f"event {head_seq} is not the event the chain head recorded (replaced)",
        )
    written, _last_hash = _head()
    if count > written:
        return ChainReport(
            False,
            written,
            expected_prev,
            written + 1,
            f"the log holds {count} events but only {written} were written "
            f"(event {written + 1} onwards were inserted directly into the database)",
        )
    return ChainReport(True, count, expected_prev)


def anchored(head_hash: str) -> bool:
    """Whether a head hash kept outside the database still belongs to the chain."""
    return db.session.scalar(select(AuditEvent.seq).where(AuditEvent.hash == head_hash)) is not None
