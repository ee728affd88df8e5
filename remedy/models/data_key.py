"""Subject keys: one random key per person and per case, wrapped under the master key.

A person's name and phone, and everything written about a case, are sealed under the
subject's own key (``remedy.models.personal_keys``). Erasure destroys the key: the
wrapped key becomes NULL and ``destroyed_at`` is set, so every value sealed under it is
unreadable wherever it lies, with no column to forget. Rotating the master key re-wraps
these keys like any other encrypted value; the values under them need nothing.

Unwrapped keys are cached in the session for the current transaction only, so a key
destroyed by another process is not read from a stale cache in the next one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import String, event, select, update
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from remedy.core.crypto import SubjectKey
from remedy.core.extensions import Model, db
from remedy.models.types import EncryptedBytes, UTCDateTime, utcnow

CACHE_KEY = "remedy.subject_keys"


class DataKey(Model):
    """A subject key, wrapped; ``key`` is NULL once destroyed."""

    __tablename__ = "data_keys"

    # The key id in hex, as it appears in every value sealed under the key.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # What it protects: "person" or "grievance" (no id: the owner names its key).
    subject: Mapped[str] = mapped_column(String(16))
    key: Mapped[bytes | None] = mapped_column(EncryptedBytes("data_keys.key"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    destroyed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<DataKey {self.id[:8]} {self.subject}>"


def _cache(session: Session) -> dict[bytes, SubjectKey | None]:
    cache: dict[bytes, SubjectKey | None] = session.info.setdefault(CACHE_KEY, {})
    return cache


@event.listens_for(Session, "after_transaction_end")
def _forget_keys(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(CACHE_KEY, None)


def subject_key(key_id: bytes, session: Session | None = None) -> SubjectKey | None:
    """The unwrapped key, or None when destroyed (or unknown): one query per key and
    transaction, on the session's own connection (no flush, safe while reading rows)."""
    used = session or db.session()
    cache = _cache(used)
    if key_id in cache:
        return cache[key_id]
    wrapped = used.connection().scalar(
        select(DataKey.__table__.c.key).where(DataKey.__table__.c.id == key_id.hex())
    )
    key = SubjectKey(key_id, bytes(wrapped)) if wrapped is not None else None
    cache[key_id] = key
    return key


def new_subject_key(session: Session, subject: str) -> SubjectKey:
    """A fresh key, added to the session wrapped; usable at once, before any flush."""
    key = SubjectKey.generate()
    session.add(DataKey(id=key.name, subject=subject, key=key.secret))
    _cache(session)[key.key_id] = key
    return key


def destroy_keys(names: Iterable[str]) -> int:
    """Crypto-shred: forget the keys for good (only backups still hold them)."""
    chosen = sorted(set(names))
    if not chosen:
        return 0
    session = db.session()
    session.execute(
        update(DataKey)
        .where(DataKey.id.in_(chosen), DataKey.key.is_not(None))
        .values(key=None, destroyed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    cache = _cache(session)
    for name in chosen:
        cache[bytes.fromhex(name)] = None
    return len(chosen)
