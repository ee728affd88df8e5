"""Complainants open their case with reference and PIN, on any channel, without an account.

One lockout for every channel: a reference locks for an hour after five wrong
PINs, counted in the database (so every process sees the same count). The lock
expires, and a complainant writing from a phone number on file is never locked
out by someone else's guessing, so the lockout cannot shut the owner out for
good. Look-ups are also rate limited per source (a phone number or an address),
which stops one source from guessing across many references. An unknown
reference, a wrong PIN and a locked reference get the same answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from remedy.core.errors import NotFound, ServiceError
from remedy.core.extensions import db, limiter
from remedy.core.passwords import burn_time, hash_secret, verify_secret
from remedy.core.references import is_valid, new_pin, normalise
from remedy.core.settings import settings
from remedy.models.grievance import Grievance
from remedy.models.pin_lockout import PinLockout
from remedy.models.types import utcnow

MAX_FAILURES = 5
LOCK_DURATION = timedelta(hours=1)
NOT_FOUND_MESSAGE = _l("We found no case with this number and PIN. Check both and try again.")


class CaseNotFound(NotFound):
    """Unknown reference, wrong PIN or locked reference: deliberately one answer."""

    def __init__(self) -> None:
        super().__init__(str(NOT_FOUND_MESSAGE))


class TooManyAttempts(ServiceError):
    """This source asked too often; it may try again later."""

    status = 429

    def __init__(self) -> None:
        super().__init__(str(_l("Too many tries. Please wait an hour and try again.")))


def _rate_limited(source: str) -> bool:
    """True when ``source`` has used up its look-ups (shared storage of Flask-Limiter)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return False
    item = parse(settings().pin_lookup_rate_limit)
    return not limiter.limiter.hit(item, "pin-lookup", source)


def _is_locked(reference: str, now: datetime) -> bool:
    lockout = db.session.get(PinLockout, reference)
    return bool(lockout and lockout.locked_until and lockout.locked_until > now)


def _record_failure(reference: str, now: datetime) -> None:
    """Count one wrong PIN in its own transaction, atomically, whatever the caller does next.

    Not ``durable()``: the SMS conversation asks from inside its turn, after writing the
    message's record on purpose so that it commits with the count (``Turn.record_now``).
    Its commit below is that hand-over, and the only commit of a caller's work left.
    """
    lockout = db.session.get(PinLockout, reference, with_for_update=True)
    if lockout is None:
        try:
            with db.session.begin_nested():
                db.session.add(PinLockout(reference=reference, failures=0, window_started_at=now))
        except IntegrityError:
            pass  # another request created it first; the update below counts this failure
        lockout = db.session.get(PinLockout, reference, with_for_update=True)
        assert lockout is not None
    if lockout.window_started_at + LOCK_DURATION <= now:
        lockout.failures, lockout.window_started_at, lockout.locked_until = 0, now, None
        db.session.flush()
    db.session.execute(
        update(PinLockout)
        .where(PinLockout.reference == reference)
        .values(failures=PinLockout.failures + 1)
    )
    db.session.refresh(lockout)
    if lockout.failures >= MAX_FAILURES:
        lockout.locked_until = now + LOCK_DURATION
    db.session.commit()


def _clear_failures(reference: str) -> None:
    lockout = db.session.get(PinLockout, reference)
    if lockout is not None:
        db.session.delete(lockout)
        db.session.commit()


def _from_number_on_file(grievance: Grievance, phone_hash: str | None) -> bool:
    return phone_hash is not None and any(
        link.person.phone_hash == phone_hash for link in grievance.people
    )


def open_case(reference: str, pin: str, source: str, phone_hash: str | None = None) -> Grievance:
    """The grievance when ``pin`` opens ``reference``; raises CaseNotFound or TooManyAttempts.

    ``source`` names who asks ("sms:<hash>", "web:<address>") for the rate limit;
    ``phone_hash`` is the asker's phone hash on phone channels: a number on file is
    not held back by a lock that others caused.
    """
    if _rate_limited(source):
        raise TooManyAttempts()
    reference = normalise(reference)
    pin = normalise(pin)
    grievance = None
    if is_valid(reference) and pin.isdigit() and len(pin) == 6:
        grievance = db.session.scalars(
            select(Grievance).where(Grievance.reference == reference)
        ).one_or_none()
    if grievance is None:
        burn_time(pin or "000000")
        raise CaseNotFound()
    now = utcnow()
    locked = _is_locked(reference, now)
    held_back = locked and not _from_number_on_file(grievance, phone_hash)
    if held_back:
        # As slow as a wrong PIN: a quick answer would tell that the reference exists and
        # is locked, though the words are the same.
        burn_time(pin)
        raise CaseNotFound()
    if not verify_secret(grievance.pin_hash, pin):
        _record_failure(reference, now)
        raise CaseNotFound()
    if not locked:
        # The owner's success does not lift a lock others caused: guessing stays slow.
        _clear_failures(reference)
    return grievance


def reset_pin(grievance: Grievance) -> str:
    """A new PIN for ``grievance`` (the caller proved the phone on file); the old one dies.

    Joins the caller's unit of work; the new PIN is returned once and only its hash kept.
    """
    pin = new_pin()
    grievance.pin_hash = hash_secret(pin)
    lockout = db.session.get(PinLockout, grievance.reference)
    if lockout is not None:
        db.session.delete(lockout)
    return pin
