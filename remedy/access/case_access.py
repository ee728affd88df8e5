"""Complainants open their case with reference and PIN, on any channel, without an account.

One lockout for every channel: a reference locks for an hour after five wrong
PINs, counted in the database (so every process sees the same count). A lock that
follows another within a day lasts twice as long (1, 2, 4, 8, 16 hours, then 24 at
most), so someone who keeps guessing gets ever fewer tries. Each try is counted, and
the lock decided, in one statement before the PIN is checked: many tries at once
cannot slip past the count to test more PINs than five.

The lock never shuts the owner out: a phone number on file is not held back by it,
and the recovery code on the receipt (``recovery``) opens the case whatever the lock.
Look-ups are also rate limited per source (a phone number or an address), which
stops one source from guessing across many references. An unknown reference, a
wrong PIN and a locked reference get the same answer, which says how else to get in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse
from sqlalchemy import ColumnElement, and_, case, delete, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from remedy.core.errors import NotFound, ServiceError
from remedy.core.extensions import db, limiter
from remedy.core.metrics import PIN_LOCKOUTS
from remedy.core.passwords import burn_time, hash_secret, verify_secret
from remedy.core.references import is_valid, new_pin, normalise
from remedy.core.settings import settings
from remedy.models.grievance import Grievance
from remedy.models.pin_lockout import PinLockout
from remedy.models.types import UTCDateTime, utcnow

MAX_FAILURES = 5
LOCK_DURATION = timedelta(hours=1)
# A lock within this time of the previous one's end is a repeat, and lasts twice as long.
REPEAT_WITHIN = timedelta(hours=24)
MAX_LOCK_DURATION = timedelta(hours=24)
NOT_FOUND_MESSAGE = _l("We found no case with this number and PIN. Check both and try again.")
# Said with every refusal, on the web, by SMS (a lock is never told apart from a wrong PIN).
WAY_IN_MESSAGE = _l(
    "Still cannot get in? Use the recovery code on your receipt, or ask your NGO or the team."
)


class CaseNotFound(NotFound):
    """Unknown reference, wrong PIN or locked reference: deliberately one answer."""

    def __init__(self) -> None:
        super().__init__(str(NOT_FOUND_MESSAGE))


class TooManyAttempts(ServiceError):
    """This source asked too often; it may try again later."""

    status = 429

    def __init__(self) -> None:
        super().__init__(str(_l("Too many tries. Please wait an hour and try again.")))


def count_lookup(source: str, budget: str = "pin-lookup") -> None:
    """Count one look-up by ``source`` (a PIN or a reset code, on any channel) in the
    limiter's shared storage; raises TooManyAttempts once its budget is spent. Recovery
    codes have a budget of their own, so guessing PINs from a shared address never
    spends the owner's."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    item = parse(settings().pin_lookup_rate_limit)
    if not limiter.limiter.hit(item, budget, source):
        raise TooManyAttempts()


def lock_duration(lock_count: int) -> timedelta:
    """How long the ``lock_count``-th lock in a row lasts: 1 hour, doubled each time."""
    return min(LOCK_DURATION * (1 << max(lock_count - 1, 0)), MAX_LOCK_DURATION)


def _lock_ends(streak: ColumnElement[int], now: datetime) -> ColumnElement[datetime]:
    """The end of a lock that is the ``streak``-th in a row, as one SQL expression."""
    steps, count = [], 1
    while lock_duration(count) < MAX_LOCK_DURATION:
        steps.append((streak == count, literal(now + lock_duration(count), UTCDateTime())))
        count += 1
    return case(*steps, else_=literal(now + MAX_LOCK_DURATION, UTCDateTime()))


def _count_try(reference: str, now: datetime) -> int:
    """Count one try at ``reference``'s PIN, before the PIN is checked; the tries of the
    window, this one included. The reference locks at the MAX_FAILURES-th.

    Counting and locking is one statement (an upsert returning the new count), so tries
    at once from many processes are each counted, and only the first MAX_FAILURES of
    them ever reach the PIN. Not ``durable()``: the SMS conversation asks from inside its
    turn, after writing the message's record on purpose so that it commits with the count
    (``Turn.record_now``). The commit below is that hand-over, and the only commit of a
    caller's work left.
    """
    table = PinLockout.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    # The lock has ended and its window with it: counting starts again.
    over = and_(
        table.c.window_started_at <= now - LOCK_DURATION,
        or_(table.c.locked_until.is_(None), table.c.locked_until <= now),
    )
    tries = case((over, 1), else_=table.c.failures + 1)
    # A lock soon after the previous one's end is a repeat: the streak goes on.
    repeat = and_(
        table.c.locked_until.is_not(None),
        table.c.locked_until > literal(now - REPEAT_WITHIN, UTCDateTime()),
    )
    streak = case((repeat, table.c.lock_count + 1), else_=1)
    locks = tries == MAX_FAILURES
    statement = (
        dialect.insert(table)
        .values(
            reference=reference,
            failures=1,
            window_started_at=now,
            locked_until=now + LOCK_DURATION if MAX_FAILURES <= 1 else None,
            lock_count=1 if MAX_FAILURES <= 1 else 0,
        )
        .on_conflict_do_update(
            index_elements=[table.c.reference],
            # Every expression sees the row as it was before this try.
            set_={
                "failures": tries,
                "window_started_at": case(
                    (over, literal(now, UTCDateTime())), else_=table.c.window_started_at
                ),
                # Kept once the lock ended: the next lock needs it to know it repeats.
                "locked_until": case((locks, _lock_ends(streak, now)), else_=table.c.locked_until),
                "lock_count": case((locks, streak), else_=table.c.lock_count),
            },
        )
        .returning(table.c.failures)
    )
    counted = int(db.session.execute(statement).scalar_one())
    db.session.commit()
    return counted


def _clear_failures(reference: str, now: datetime) -> None:
    """Forget the failures below the limit (the owner's typing errors), unless the
    reference was locked in the last day: under attack, the owner's visits must not give
    the guesser new tries, nor short locks again. A first lock that the right PIN itself
    set (the fifth try) goes with them."""
    db.session.execute(
        delete(PinLockout).where(
            PinLockout.reference == reference,
            or_(
                PinLockout.locked_until.is_(None),
                PinLockout.locked_until <= now - REPEAT_WITHIN,
                and_(PinLockout.lock_count == 1, PinLockout.failures == MAX_FAILURES),
            ),
        )
    )
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
    count_lookup(source)
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
    tries = _count_try(reference, utcnow())
    locked = tries > MAX_FAILURES
    if locked and not _from_number_on_file(grievance, phone_hash):
        # As slow as a wrong PIN: a quick answer would tell that the reference exists and
        # is locked, though the words are the same.
        burn_time(pin)
        raise CaseNotFound()
    if not verify_secret(grievance.pin_hash, pin):
        if tries == MAX_FAILURES:
            PIN_LOCKOUTS.inc()  # this wrong PIN locked the reference
        raise CaseNotFound()  # counted above
    if not locked:
        # The owner's success does not lift a lock others caused: guessing stays slow.
        _clear_failures(reference, utcnow())
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
