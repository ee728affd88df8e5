"""WhatsApp's 24-hour session window, per number (``remedy.models.whatsapp_window``).

The webhook calls :func:`record_inbound` for every WhatsApp message it stores, in the
same transaction; the worker asks :func:`open_numbers` just before it sends, because a
message queued inside the window may leave after it closed. Numbers are found by their
look-up hashes under every configured key, so a key rotation does not close windows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.models.types import keyring, utcnow
from remedy.models.whatsapp_window import WhatsAppWindow

# WhatsApp's rule; a minute less, so a message never leaves in the window's last seconds
# and arrives after it closed.
WINDOW = timedelta(hours=24)
MARGIN = timedelta(minutes=1)

windows = WhatsAppWindow.__table__


def record_inbound(phone_hash: str, now: datetime) -> None:
    """The number wrote now: its window is open for 24 hours (one upsert, never backwards)."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(windows).values(phone_hash=phone_hash, last_inbound_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[windows.c.phone_hash],
        set_={"last_inbound_at": statement.excluded.last_inbound_at},
        where=windows.c.last_inbound_at < statement.excluded.last_inbound_at,
    )
    db.session.execute(statement)


def is_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    return last_inbound_at is not None and now < last_inbound_at + WINDOW - MARGIN


def open_numbers(numbers: Iterable[str], now: datetime) -> set[str]:
    """Which of these E.164 numbers may get free text now."""
    ring = keyring()
    hashes = {number: ring.lookup_hashes(number) for number in set(numbers)}
    wanted = [value for values in hashes.values() for value in values]
    if not wanted:
        return set()
    last = dict(
        db.session.execute(
            select(windows.c.phone_hash, windows.c.last_inbound_at).where(
                windows.c.phone_hash.in_(wanted)
            )
        ).all()
    )
    return {
        number
        for number, values in hashes.items()
        if any(is_open(last.get(value), now) for value in values)
    }


def forget_closed_windows(now: datetime | None = None) -> int:
    """Periodic (the worker): a closed window says nothing any more, so the number's hash
    is not kept past it; how many were forgotten."""
    before = (now or utcnow()) - WINDOW
    with atomic():
        result = db.session.execute(delete(windows).where(windows.c.last_inbound_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
