"""Delivery status from the provider, and what a failed delivery leads to.

Twilio posts a status callback for each change (``sending``, ``sent``, ``delivered``,
``undelivered``, ``failed``, ``read`` on WhatsApp) to the URL the worker gave, which
carries the outbox id. Callbacks can arrive in any order and more than once, so a
message's status only ever moves forward: each change is one conditional UPDATE that
applies only if nobody changed the row since it was read (compare and swap).

A callback also settles an ambiguous send: when the worker died or timed out after
Twilio took the message, the row is still ``sending`` (or ``pending`` for a retry);
the callback records Twilio's message id and moves it to ``sent`` or beyond, so no
worker sends it again.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    bindparam,
    insert,
    literal,
    select,
    update,
)

from remedy.core.extensions import db
from remedy.core.unit_of_work import durable
from remedy.messaging.call_outcomes import give_up_calling_by_id
from remedy.messaging.opt_outs import ReportedBy, record_opt_out
from remedy.messaging.senders import NO_TEMPLATE, OPTED_OUT, WHATSAPP_WINDOW_CLOSED, describe
from remedy.models.grievance import Grievance
from remedy.models.outbox_message import (
    TEXT_CHANNELS,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from remedy.models.person import Person
from remedy.models.types import utcnow

logger = logging.getLogger(__name__)

outbox = OutboxMessage.__table__

# Provider statuses in the order a message goes through them; the last ones are final.
RANK = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
    "canceled": 3,
    "read": 4,
}
FAILURES = frozenset({"undelivered", "failed", "canceled"})
FINAL = FAILURES | {"read"}
OUR_STATUS = {
    **dict.fromkeys(("accepted", "scheduled", "queued", "sending", "sent"), MessageStatus.SENT),
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    **dict.fromkeys(FAILURES, MessageStatus.FAILED),
}
# Rows in these states have no provider id yet but may have reached the provider.
UNSETTLED = (MessageStatus.PENDING, MessageStatus.SENDING)


def rows_changed(
    statement: Executable, rows: list[dict[str, Any]] | dict[str, Any] | None = None
) -> int:
    """Run an UPDATE or INSERT in the session (once per parameter set); rows changed."""
    result = cast(CursorResult[Any], db.session.execute(statement, rows))
    return int(result.rowcount)


def moves_forward(current: str | None, new: str) -> bool:
    """Whether a callback saying ``new`` may replace ``current`` (``read`` is delivered, seen)."""
    if new not in RANK:
        return False
    if current is None or current not in RANK:
        return True
    if current in FINAL:
        return False
    if current == "delivered":
        return new == "read"
    return RANK[new] > RANK[current]


class _SwapMissed(Exception):
    """Someone changed the row between reading and swapping: roll back, read again."""


def record_delivery_status(
    outbox_id: int, message_sid: str, status: str, error_code: str | None
) -> None:
    """Apply one status callback. Unknown ids, foreign message ids and stale news are ignored."""
    status = status.strip().lower()
    error_code = (error_code or "").strip()[:16] or None
    for _ in range(5):  # a concurrent change makes the swap miss: read again and retry
        try:
            with durable():
                if _apply(outbox_id, message_sid[:64], status, error_code) is None:
                    raise _SwapMissed
            return
        except _SwapMissed:
            continue
    logger.warning("outbox %s: status callback gave up after repeated conflicts", outbox_id)


def _apply(outbox_id: int, sid: str, status: str, error_code: str | None) -> bool | None:
    """True when applied, False when ignored, None when the row changed under us."""
    row = db.session.execute(_STATUS_ROW, {"outbox_id": outbox_id}).first()
    if row is None or row.channel not in TEXT_CHANNELS or status not in RANK:
        # Calls have their own status callback (``call_outcomes``).
        logger.info("outbox %s: status callback for no sendable message ignored", outbox_id)
        return False
    if row.provider_id is None:
        if row.status not in UNSETTLED:
            logger.info("outbox %s: status callback without a send of ours ignored", outbox_id)
            return False
    elif row.provider_id != sid:
        logger.warning("outbox %s: status callback for another provider message ignored", outbox_id)
        return False
    if not moves_forward(row.provider_status, status):
        return False

    values: dict[str, object] = {
        "provider_status": status,
        "status": OUR_STATUS[status],
        "provider_id": sid,
        "claimed_by": None,
        "lease_expires_at": None,
    }
    now = utcnow()
    if row.status in UNSETTLED:
        values["sent_at"] = now
        logger.info("outbox %s: settled by the provider's status callback", outbox_id)
    failed = status in FAILURES
    if failed:
        values["error_code"] = error_code
        values["last_error"] = describe(error_code) if error_code else f"provider: {status}"
    swapped = rows_changed(
        _swap(tuple(values), row.provider_status is None, row.provider_id is None),
        {
            "outbox_id": outbox_id,
            "was_status": row.status,
            "was_provider_status": row.provider_status,
            "was_provider_id": row.provider_id,
            **{f"new_{name}": value for name, value in values.items()},
        },
    )
    if swapped != 1:
        return None
    if failed:
        after_failure(outbox_id, row.channel, error_code, now)
    return True


# Callbacks are two per message sent: their statements are built once (per shape), and
# each callback only binds its values.
_STATUS_ROW = select(
    outbox.c.status, outbox.c.provider_status, outbox.c.provider_id, outbox.c.channel
).where(outbox.c.id == bindparam("outbox_id"))


@lru_cache(maxsize=32)
def _swap(columns: tuple[str, ...], status_was_null: bool, id_was_null: bool) -> Executable:
    """The compare and swap setting ``columns`` (from ``:new_<column>``) if the row is still
    as read (``:was_status``, ``:was_provider_status``, ``:was_provider_id``)."""
    return (
        update(outbox)
        .where(
            outbox.c.id == bindparam("outbox_id"),
            outbox.c.status == bindparam("was_status"),
            _same(outbox.c.provider_status, "was_provider_status", status_was_null),
            _same(outbox.c.provider_id, "was_provider_id", id_was_null),
        )
        .values({name: bindparam(f"new_{name}") for name in columns})
    )


def _same(column: ColumnElement[Any], name: str, was_null: bool) -> ColumnElement[bool]:
    return column.is_(None) if was_null else column == bindparam(name)


def after_failure(
    outbox_id: int, channel: MessageChannel, error_code: str | None, now: datetime
) -> None:
    """What a definite failure leads to, in the same transaction as recording it."""
    if channel is MessageChannel.VOICE:
        give_up_calling_by_id(outbox_id, now)
        return
    if error_code == OPTED_OUT:
        mark_opted_out(outbox_id, now)
    if channel is MessageChannel.WHATSAPP and error_code == WHATSAPP_WINDOW_CLOSED:
        fall_back(outbox_id, now, by_sms=True)


# Codes whose words say what happened when a message was kept on the web instead.
WEB_CODED = frozenset({WHATSAPP_WINDOW_CLOSED, NO_TEMPLATE})


def fall_back(outbox_id: int, now: datetime, by_sms: bool) -> None:
    """What WhatsApp could not carry: by SMS where the person allowed it (``by_sms``, their
    case's consent to contact on this number, no STOP), else kept on the web status
    page, its reason saying so for the team. Once per original either way."""
    row = db.session.execute(
        select(
            outbox.c.grievance_id,
            outbox.c.error_code,
            Grievance.contact_consent,
            Person.id.label("stopped"),
        )
        .outerjoin(Grievance, Grievance.id == outbox.c.grievance_id)
        .outerjoin(
            Person, (Person.id == outbox.c.person_id) & Person.phone_opted_out_at.is_not(None)
        )
        .where(outbox.c.id == outbox_id)
    ).first()
    if row is None:
        return
    consented = row.grievance_id is None or bool(row.contact_consent)
    if by_sms and consented and row.stopped is None:
        queue_sms_fallback(outbox_id, now)
        return
    if row.grievance_id is not None:
        _copy(outbox_id, now, f"web-fallback:{outbox_id}", MessageChannel.WEB, MessageStatus.STORED)
    code = f"{row.error_code}-web" if row.error_code in WEB_CODED else "whatsapp-web"
    db.session.execute(update(outbox).where(outbox.c.id == outbox_id).values(error_code=code))
    logger.info("outbox %s: WhatsApp could not deliver; kept on the web status page", outbox_id)


def queue_sms_fallback(outbox_id: int, now: datetime) -> None:
    """The same text to the same number by SMS: a new outbox row, once per original."""
    _copy(outbox_id, now, f"sms-fallback:{outbox_id}", MessageChannel.SMS, MessageStatus.PENDING)
    logger.info("outbox %s: WhatsApp could not deliver; queued again by SMS", outbox_id)


def _copy(
    outbox_id: int, now: datetime, key: str, channel: MessageChannel, status: MessageStatus
) -> None:
    """A copy of a message on another channel, pointing at it, once per original.

    The address and body are copied as stored (same columns, so same encryption
    context): nothing is decrypted on the way.
    """
    copied = ("grievance_id", "person_id", "organisation_id", "track_id", "language", "template")
    source = select(
        *(outbox.c[name] for name in copied),
        outbox.c.address,
        outbox.c.body,
        literal(key, outbox.c.dedupe_key.type),
        literal(channel, outbox.c.channel.type),
        literal(status, outbox.c.status.type),
        literal(now, outbox.c.available_at.type),
        literal(0, outbox.c.attempts.type),
        literal(outbox_id, outbox.c.fallback_of_id.type),
        literal(now, outbox.c.created_at.type),
    ).where(
        outbox.c.id == outbox_id,
        ~select(outbox.c.id).where(outbox.c.fallback_of_id == outbox_id).exists(),
    )
    columns = [
        *copied,
        "address",
        "body",
        "dedupe_key",
        "channel",
        "status",
        "available_at",
        "attempts",
        "fallback_of_id",
        "created_at",
    ]
    db.session.execute(insert(outbox).from_select(columns, source))


def mark_opted_out(outbox_id: int, now: datetime) -> None:
    """The provider says the person opted out (STOP): no SMS or WhatsApp until START.

    The same record as when the person sends STOP to us (``opt_outs``).
    """
    person_id = db.session.execute(
        select(outbox.c.person_id).where(outbox.c.id == outbox_id)
    ).scalar()
    person = db.session.get(Person, person_id) if person_id is not None else None
    if person is not None:
        record_opt_out(person, now, ReportedBy.PROVIDER)
