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

from remedy.actors import Actor
from remedy.extensions import db
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
        db.session.expunge_all()


def verify_chain() -> ChainReport:
    """Walk the chain from the start; report the first event that does not fit."""
    expected_seq, expected_prev, count = 1, GENESIS_HASH, 0
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
        expected_prev, expected_seq, count = event.hash, expected_seq + 1, count + 1
    head = db.session.get(AuditChainHead, HEAD_ID)
    if head is not None and (head.seq != count or head.last_hash != expected_prev):
        return ChainReport(
            False,
            count,
            expected_prev,
            count + 1,
            f"the log ends at event {count} but {head.seq} were written "
            "(events were deleted from the end)",
        )
    return ChainReport(True, count, expected_prev)
