"""Column types shared by the models: UTC datetimes and encrypted values.

An encrypted value is sealed under the master keyring, unless it is marked ``Personal``
(``personal(value, key)``, done for every write by ``remedy.models.personal_keys``):
then it is sealed under that person's or case's own subject key. Reading a value whose
subject key was destroyed gives ``ERASED`` (an empty text) or empty bytes, never an error.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import DateTime, Enum, LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from remedy.core.crypto import Keyring, SubjectKey, is_tombstone, subject_key_id_of

# The largest id an integer primary key holds (PostgreSQL's integer): a larger number in
# a URL or a form names no row, and must be refused before it reaches the database.
MAX_ROW_ID = 2**31 - 1


# Set only by ``time_travel``: the demo seeds a year of cases as if it had lived it.
_travelled_to: ContextVar[datetime | None] = ContextVar("remedy_travelled_to", default=None)


def utcnow() -> datetime:
    return _travelled_to.get() or datetime.now(UTC)


@contextmanager
def time_travel(when: datetime) -> Iterator[Callable[[datetime], None]]:
    """Within the block, ``utcnow()`` answers ``when``, then whatever the yielded function
    sets; the real clock is back after it. For the demo's back-dated history, never for
    production work: every timestamp the services write (filing, deadlines, audit events)
    follows it, and the audit chain hashes whatever time it is given."""
    token = _travelled_to.set(when)

    def move_to(moment: datetime) -> None:
        _travelled_to.set(moment)

    try:
        yield move_to
    finally:
        _travelled_to.reset(token)


def keyring() -> Keyring:
    ring: Keyring = current_app.extensions["remedy.keyring"]
    return ring


class PersonalText(str):
    """A text to seal under a subject key rather than the master key."""

    subject_key: SubjectKey


class PersonalBytes(bytes):
    """Bytes (an attachment) to seal under a subject key."""

    subject_key: SubjectKey


class Erased(str):
    """What an erased value reads as: empty, and recognisable by views."""


ERASED = Erased("")


def personal(value: str | bytes, key: SubjectKey) -> PersonalText | PersonalBytes:
    marked: PersonalText | PersonalBytes = (
        PersonalText(value) if isinstance(value, str) else PersonalBytes(value)
    )
    marked.subject_key = key
    return marked


def is_erased(value: object) -> bool:
    return isinstance(value, Erased)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class _Encrypted(TypeDecorator[Any]):
    """Encrypts on the way in and decrypts on the way out; the column name is the context."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def _to_bytes(self, value: Any) -> bytes:
        raise NotImplementedError

    def _from_bytes(self, value: bytes) -> Any:
        raise NotImplementedError

    def _erased(self) -> Any:
        raise NotImplementedError

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        subject_key: SubjectKey | None = getattr(value, "subject_key", None)
        if subject_key is not None:
            return subject_key.encrypt(self._to_bytes(value), self.context)
        return keyring().encrypt(self._to_bytes(value), self.context)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        blob = bytes(value)
        key_id = subject_key_id_of(blob)
        if key_id is None:
            return self._from_bytes(keyring().decrypt(blob, self.context))
        # Imported here: the data keys' own column is one of these types.
        from remedy.models.data_key import subject_key

        # A tombstone is erased whatever a cache still holds (another process erased it).
        key = None if is_tombstone(blob) else subject_key(key_id)
        if key is None:
            return self._erased()
        return self._from_bytes(key.decrypt(blob, self.context))


class EncryptedText(_Encrypted):
    """Free text and identifiers of people (names, phone numbers, descriptions)."""

    cache_ok = True  # SQLAlchemy reads it from each class itself, never inherited

    def _to_bytes(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def _from_bytes(self, value: bytes) -> str:
        return value.decode("utf-8")

    def _erased(self) -> Erased:
        return ERASED


class EncryptedBytes(_Encrypted):
    """Attachments: photos, recordings, documents."""

    cache_ok = True

    def _to_bytes(self, value: Any) -> bytes:
        return bytes(value)

    def _from_bytes(self, value: bytes) -> bytes:
        return value

    def _erased(self) -> bytes:
        return b""


def enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint, stored by value."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(32, *(len(str(member.value)) for member in enum_class)),
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
