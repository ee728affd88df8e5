"""The inbox: the webhook stores each inbound message, workers hold the conversation.

Storing (:func:`store`). The webhook checks the signature and stores the message with
its number, body and media encrypted, under its unique ``MessageSid``: a retried
webhook stores nothing new. Its transaction notifies the idle workers (PostgreSQL).

Handling (:func:`process_pending`, the worker's inbox drain and the simulator's). One
message is one unit of work: it is claimed, the conversation runs
(:func:`remedy.sms.receiving.handle`), and it is settled (``processed_at``, outcome)
with its reply queued in the outbox (:mod:`remedy.sms.replies`), all in one commit.
A message is claimable when it is pending, due, and no earlier message of the same
number is pending: arrival order per number, any number of workers. On PostgreSQL the
claim is ``SELECT … FOR UPDATE SKIP LOCKED``: the row lock lasts the whole
transaction, so another worker skips it, and a worker killed mid-message leaves it
pending when PostgreSQL ends its connection, nothing of it committed. SQLite has one
writer: the claim is an ``UPDATE … RETURNING`` as the transaction's first statement,
which takes the write lock until the commit.

Failures. Any exception from the conversation rolls the message's work back; a new
transaction counts the attempt, keeps a short technical reason (no personal data) and
makes the message due again after an exponential backoff with jitter. After
``REMEDY_INBOX_MAX_ATTEMPTS`` it is ``failed``: shown to the team (:func:`failed`), who
may :func:`retry` it. Later messages of its number wait while it is in backoff, and go
on once it failed.
"""

from __future__ import annotations

import json
import logging
import random
import traceback
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import Executable, bindparam, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.core.request_ids import bound, current_request_id
from remedy.core.unit_of_work import ConflictError, atomic
from remedy.messaging.inbox import notify
from remedy.messaging.whatsapp_window import record_inbound
from remedy.models.grievance import Channel
from remedy.models.inbound_message import InboundMessage, InboxOutcome
from remedy.models.types import keyring, utcnow
from remedy.sms.inbound import InboundText, validate
from remedy.sms.receiving import handle
from remedy.sms.replies import settle

logger = logging.getLogger(__name__)

# A message whose number changed under it (a conflict) is handled again at once, this often.
CONFLICT_ATTEMPTS = 5
BACKOFF_MAX = timedelta(minutes=15)


# Built once: each webhook request only binds its values (an ORM add and flush, or a
# statement built per request, costs more than the INSERT itself).
_STORE = insert(InboundMessage.__table__)


def store(message: InboundText) -> None:
    """Store one message for the workers (the webhook); nothing new when its MessageSid
    came before."""
    e164, body = validate(message)
    sid = message.message_sid.strip()
    now = utcnow()
    phone_hash = keyring().lookup_hash(e164)
    row = {
        "message_sid": sid,
        "channel": message.channel,
        "phone_hash": phone_hash,
        "phone": e164,
        "body": body or None,
        "media_sent": json.dumps([[m.url, m.content_type] for m in message.media])
        if message.media
        else None,
        "opt_out": message.opt_out,
        "received_at": now,
        "available_at": now,
        "request_id": current_request_id(),
    }
    # No look-up first: a retried webhook is rare, a look-up would cost every message.
    try:
        with atomic():
            db.session.execute(_STORE, row)
            if message.channel is Channel.WHATSAPP:
                record_inbound(phone_hash, now)  # WhatsApp's 24 hours start again
            notify()
    except IntegrityError:
        if not _stored(sid):
            raise


def accept(message: InboundText) -> InboundMessage:
    """Store one message (:func:`store`) and load it: the one stored before when its
    MessageSid came before."""
    store(message)
    stored = _stored(message.message_sid.strip())
    assert stored is not None
    return stored


def _stored(sid: str) -> InboundMessage | None:
    return db.session.scalar(select(InboundMessage).where(InboundMessage.message_sid == sid))


def process_pending(limit: int = 50, phone_hashes: Sequence[str] | None = None) -> int:
    """Handle up to ``limit`` claimable messages (of these numbers only, when given), each
    in its own unit of work; how many were handled or failed."""
    handled = 0
    while handled < limit and process_one(phone_hashes):
        handled += 1
    return handled


def process_one(phone_hashes: Sequence[str] | None = None) -> bool:
    """Claim one message and handle it; False when none was claimable."""
    claimed: int | None = None
    for attempt in range(CONFLICT_ATTEMPTS):
        _end_reading()
        try:
            with atomic():
                claimed = _claim(utcnow(), phone_hashes)
                if claimed is None:
                    return False
                inbound = db.session.get(InboundMessage, claimed)
                assert inbound is not None
                with bound(inbound.request_id):  # the reply is queued under the webhook's id
                    handle(inbound, settle)
            return True
        except ConflictError as error:
            if claimed is None:
                raise
            if attempt == CONFLICT_ATTEMPTS - 1:
                _record_failure(claimed, error)
                return True
        except Exception as error:
            if claimed is None:
                raise
            _record_failure(claimed, error)
            return True
    return True


def _end_reading() -> None:
    """Start the claim on a fresh transaction: on SQLite an old read snapshot could not
    take the write lock. (A read-only transaction ends the same by commit or rollback.)"""
    session = db.session()
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        session.commit()


def _claims(of_numbers: bool) -> tuple[Executable, Executable]:
    """The claim's statements, PostgreSQL's and SQLite's, for any numbers or only those
    in ``:hashes``; due at ``:now``."""
    message = aliased(InboundMessage, name="message")
    earlier = aliased(InboundMessage, name="earlier")
    condition = (
        message.processed_at.is_(None)
        & (message.available_at <= bindparam("now"))
        & ~exists().where(
            earlier.phone_hash == message.phone_hash,
            earlier.processed_at.is_(None),
            earlier.id < message.id,
        )
    )
    if of_numbers:
        condition &= message.phone_hash.in_(bindparam("hashes", expanding=True))
    oldest = select(message.id).where(condition).order_by(message.id).limit(1)
    # SQLite: the first statement takes the write lock, held until the commit.
    table = InboundMessage.__table__
    sqlite = (
        update(table)
        .where(table.c.id.in_(oldest.scalar_subquery()), table.c.processed_at.is_(None))
        .values(attempts=table.c.attempts)
        .returning(table.c.id)
    )
    return oldest.with_for_update(skip_locked=True, of=message), sqlite


# Built once: building them for each message (two aliases, their column collections,
# the expressions) cost more CPU than handling a message under way.
_CLAIM_ANY, _CLAIM_OF_NUMBERS = _claims(False), _claims(True)


def _claim(now: datetime, phone_hashes: Sequence[str] | None) -> int | None:
    """The id of the oldest claimable message, locked for this transaction."""
    values: dict[str, object] = {"now": now}
    postgresql, sqlite = _CLAIM_ANY
    if phone_hashes is not None:
        values["hashes"] = list(phone_hashes)
        postgresql, sqlite = _CLAIM_OF_NUMBERS
    on_postgresql = db.session.get_bind().dialect.name == "postgresql"
    claimed: int | None = db.session.scalar(postgresql if on_postgresql else sqlite, values)
    return claimed


def _record_failure(message_id: int, error: BaseException) -> None:
    """Count a failed attempt in a new transaction: due again after a backoff, or failed."""
    db.session.rollback()
    logger.error("inbox: message %s failed: %s", message_id, _reason(error), exc_info=error)
    config = current_app.config
    now = utcnow()
    with atomic():
        inbound = db.session.get(InboundMessage, message_id, with_for_update=True)
        if inbound is None or inbound.processed_at is not None:
            return  # settled before a commit of its own (STATUS): its reply is queued
        inbound.attempts += 1
        inbound.last_error = _reason(error)
        if inbound.attempts >= config["REMEDY_INBOX_MAX_ATTEMPTS"]:
            inbound.processed_at = now
            inbound.outcome = InboxOutcome.FAILED
        else:
            inbound.available_at = now + backoff(
                inbound.attempts, config["REMEDY_INBOX_BACKOFF_SECONDS"]
            )


def backoff(attempts: int, base: float) -> timedelta:
    """The wait after ``attempts`` failures: doubling, capped, half of it random."""
    ceiling = min(BACKOFF_MAX.total_seconds(), base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))


def _reason(error: BaseException) -> str:
    """The error's type and where it was raised: never its text, which may quote a message."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).stem}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"[:200]


def failed(limit: int = 50) -> list[InboundMessage]:
    """Messages every attempt failed on, newest first: for the team."""
    return list(
        db.session.scalars(
            select(InboundMessage)
            .where(InboundMessage.outcome == InboxOutcome.FAILED)
            .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
            .limit(limit)
        )
    )


def retry(actor: Actor, message_id: int) -> bool:
    """Make a failed message due again, its attempts counted afresh; False if not failed."""
    with atomic():
        inbound = db.session.get(InboundMessage, message_id, with_for_update=True)
        if inbound is None or inbound.outcome != InboxOutcome.FAILED:
            return False
        inbound.processed_at = None
        inbound.outcome = None
        inbound.attempts = 0
        inbound.available_at = utcnow()
        audit.record(actor, "inbox.retry", "inbound_message", inbound.id)
        notify()
    return True
