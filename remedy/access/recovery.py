"""Recovery codes: a way into a case that a guesser's lockout never closes.

A person who filed on the web or through an NGO may have no phone on file, so the
lost-PIN code by SMS cannot reach them, and anyone who knows the reference can keep it
locked with five wrong PINs at a time. The receipt therefore carries a one-time
recovery code: 16 characters from an alphabet without look-alikes (79 random bits,
far beyond guessing, so a SHA-256 is stored rather than a slow hash). The reference
and the code open the case whatever the lockout, set a new PIN, and replace the code
with a new one, each shown once. The lock stays for everyone else: the owner's way
in does not give a guesser new tries.

Tries count against a per-source budget of their own, never against the reference.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from remedy.access.case_access import count_lookup
from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.passwords import hash_secret
from remedy.core.references import is_valid, new_pin, normalise
from remedy.core.unit_of_work import atomic
from remedy.models.grievance import Grievance
from remedy.models.recovery_code import RecoveryCode
from remedy.models.types import utcnow

# No 0/O, 1/I/L: read aloud or copied by hand without doubt.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS = 4
GROUP_LENGTH = 4
WRONG_CODE = _l(
    "This case number and recovery code do not match. Check both; a code works only once."
)


class InvalidRecoveryCode(InvalidInput):
    """Unknown reference, wrong or used code: deliberately one answer."""

    def __init__(self) -> None:
        super().__init__(str(WRONG_CODE), "code")


@dataclass(frozen=True)
class Recovered:
    """The case, its new PIN and its next recovery code: the only moment both exist in clear."""

    grievance: Grievance
    pin: str
    recovery_code: str


def _new_code() -> str:
    text = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(text[i : i + GROUP_LENGTH] for i in range(0, len(text), GROUP_LENGTH))


def clean_code(code: str) -> str:
    """The code as typed, in capitals, without the spaces or dashes people add."""
    return "".join(char for char in code.upper() if char.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(clean_code(code).encode()).hexdigest()


def issue_recovery_code(grievance: Grievance) -> str:
    """A new recovery code for ``grievance``, replacing any older one; returned once.

    Joins the caller's unit of work (the grievance must be flushed)."""
    code = _new_code()
    held = db.session.get(RecoveryCode, grievance.id)
    if held is None:
        db.session.add(RecoveryCode(grievance_id=grievance.id, code_hash=_digest(code)))
    else:
        held.code_hash = _digest(code)
        held.issued_at = utcnow()
    return code


def use_recovery_code(reference: str, code: str, source: str) -> Recovered:
    """Open ``reference`` with its recovery code: a new PIN and a new code, each once.

    Raises InvalidRecoveryCode (one answer for every refusal) or TooManyAttempts (this
    source tried too often). The reference's lockout is not consulted, nor lifted.
    """
    count_lookup(source, "recovery")
    reference = normalise(reference)
    given = _digest(code)
    grievance = None
    if is_valid(reference):
        grievance = db.session.scalars(
            select(Grievance).where(Grievance.reference == reference)
        ).one_or_none()
    if grievance is None:
        raise InvalidRecoveryCode()
    with atomic():
        # Claimed by one request only, even when two bring the right code at once.
        next_code = _new_code()
        claimed = db.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.grievance_id == grievance.id, RecoveryCode.code_hash == given)
            .values(code_hash=_digest(next_code), issued_at=utcnow())
        )
        # An UPDATE returns a CursorResult, which has rowcount; execute() is typed as Result.
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise InvalidRecoveryCode()
        pin = new_pin()
        grievance.pin_hash = hash_secret(pin)
        audit.record(
            Actor.complainant(grievance.reference), "recovery_code.use", "grievance", reference
        )
    return Recovered(grievance, pin, next_code)
