"""A lost PIN is replaced through the phone number on file, never by anyone else.

1. The person gives the reference and a phone number. When the number belongs to
   one of the people of that case, a one-time 6-digit code goes to it by SMS,
   through the outbox (never on the page). The answer is the same whether the
   number matched or not, so the form tells nobody which numbers are on file.
2. The person types the code: it works for 15 minutes and 5 tries; a newer code
   replaces an older one. The right code sets a new PIN (shown once) and lifts
   any lockout of the reference.

Both steps count against the same per-source limit as PIN look-ups on every
channel, and a case gets at most a few codes an hour, so the form cannot be
used to flood someone's phone.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from remedy.access.case_access import count_lookup, reset_pin
from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.passwords import burn_time, hash_secret, verify_secret
from remedy.core.references import is_valid, normalise
from remedy.core.unit_of_work import atomic, durable
from remedy.identity.people import normalise_phone
from remedy.messaging.codes import queue_code
from remedy.models.grievance import Grievance
from remedy.models.outbox_message import PIN_RESET_CODE_TEMPLATE
from remedy.models.person import Person
from remedy.models.pin_reset import PinReset
from remedy.models.types import keyring, utcnow

CODE_LIFETIME = timedelta(minutes=15)
MAX_TRIES = 5
MAX_CODES_PER_HOUR = 3
# A secret template: staff screens show the message with the code masked.
TEMPLATE = PIN_RESET_CODE_TEMPLATE
# No reference and nothing about the case: the phone may be shared.
CODE_MESSAGE = _l(
    "Your code to set a new PIN: %(code)s. It works for 15 minutes. Never give it to anyone."
)
WRONG_CODE = _l("This code is wrong or no longer valid. Check it, or ask for a new code.")


class InvalidCode(InvalidInput):
    """Wrong, expired, used up or never sent: deliberately one answer."""

    def __init__(self) -> None:
        super().__init__(str(WRONG_CODE), "code")


def _grievance(reference: str) -> Grievance | None:
    reference = normalise(reference)
    if not is_valid(reference):
        return None
    return db.session.scalars(
        select(Grievance).where(Grievance.reference == reference)
    ).one_or_none()


def _person_on_file(grievance: Grievance, e164: str) -> Person | None:
    hashes = set(keyring().lookup_hashes(e164))
    for link in grievance.people:
        if link.person.phone_hash in hashes and link.person.phone:
            return link.person
    return None


def _recent_codes(grievance: Grievance, now: datetime) -> int:
    return (
        db.session.scalar(
            select(func.count(PinReset.id)).where(
                PinReset.grievance_id == grievance.id,
                PinReset.created_at > now - timedelta(hours=1),
            )
        )
        or 0
    )


def _queue_code(grievance: Grievance, person: Person, reset: PinReset, code: str) -> None:
    language = person.language or grievance.language
    with force_locale(language):
        body = str(CODE_MESSAGE) % {"code": code}
    queue_code(f"pin-reset:{reset.id}", grievance.id, person, language, TEMPLATE, body)


def request_code(reference: str, phone: str, source: str) -> None:
    """Send a code when ``phone`` is on file for ``reference``; the same outcome otherwise.

    Raises TooManyAttempts (this source asked too often) or InvalidInput (not a phone
    number at all); neither says anything about the case.
    """
    count_lookup(source)  # the same budget as PIN look-ups, for this source
    e164 = normalise_phone(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    code_hash = hash_secret(code)  # hashed whether or not it is sent: the same time either way
    now = utcnow()
    with atomic():
        grievance = _grievance(reference)
        person = _person_on_file(grievance, e164) if grievance is not None else None
        if (
            grievance is None
            or person is None
            or _recent_codes(grievance, now) >= MAX_CODES_PER_HOUR
        ):
            return
        db.session.execute(
            update(PinReset)
            .where(PinReset.grievance_id == grievance.id, PinReset.closed_at.is_(None))
            .values(closed_at=now)
        )
        reset = PinReset(
            grievance_id=grievance.id,
            person_id=person.id,
            code_hash=code_hash,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        db.session.add(reset)
        db.session.flush()
        _queue_code(grievance, person, reset, code)
        audit.record(
            Actor.complainant(grievance.reference, person.id),
            "pin_reset.request",
            "grievance",
            grievance.reference,
        )


def _open_reset(grievance: Grievance) -> PinReset | None:
    return db.session.scalars(
        select(PinReset)
        .where(PinReset.grievance_id == grievance.id, PinReset.closed_at.is_(None))
        .order_by(PinReset.id.desc())
        .limit(1)
    ).first()


def use_code(reference: str, code: str, source: str) -> tuple[Grievance, str]:
    """The grievance and its new PIN when ``code`` is right; raises InvalidCode otherwise.

    A wrong code counts against the code's five tries, committed even though the
    caller sees an error.
    """
    count_lookup(source)  # the same budget as PIN look-ups, for this source
    code = normalise(code)
    grievance = _grievance(reference)
    reset = _open_reset(grievance) if grievance is not None else None
    now = utcnow()
    if grievance is None or reset is None or not reset.is_usable(now, MAX_TRIES):
        burn_time(code or "000000")
        raise InvalidCode()
    if not (code.isdigit() and len(code) == 6 and verify_secret(reset.code_hash, code)):
        with durable():  # a wrong code counts, whatever the request does next
            db.session.execute(
                update(PinReset)
                .where(PinReset.id == reset.id)
                .values(attempts=PinReset.attempts + 1)
            )
        raise InvalidCode()
    with atomic():
        # Claimed by one request only, even when two bring the right code at once.
        claimed = db.session.execute(
            update(PinReset)
            .where(PinReset.id == reset.id, PinReset.closed_at.is_(None))
            .values(closed_at=now)
        )
        # An UPDATE returns a CursorResult, which has rowcount; execute() is typed as Result.
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidCode()
        pin = reset_pin(grievance)
        audit.record(
            Actor.complainant(grievance.reference, reset.person_id),
            "pin_reset.complete",
            "grievance",
            grievance.reference,
        )
    return grievance, pin
