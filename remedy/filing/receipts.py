"""Receipts: proof that a grievance was filed, and when, that the team can check.

The verification code is a keyed hash (HMAC-SHA-256 under the look-up key derived
from ``REMEDY_ENCRYPTION_KEY``) of the reference and the time of filing, so nobody
can make one up for another reference or another time, and a receipt needs no
row of its own. Codes made under an older key still verify while that key is
configured in ``REMEDY_ENCRYPTION_OLD_KEYS``.
"""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.references import is_valid, normalise
from remedy.models.grievance import Grievance
from remedy.models.types import keyring

# Base32 (A-Z, 2-7) with O and I, which people take for 0 and 1, written 8 and 9.
_READABLE = str.maketrans({"O": "8", "I": "9"})
CODE_GROUPS = 3
GROUP_LENGTH = 4


@dataclass(frozen=True)
class Receipt:
    reference: str
    received_at: datetime
    code: str


def _message(reference: str, received_at: datetime) -> str:
    # Seconds only: every database keeps them, so the code stays the same once stored.
    return f"receipt|{reference}|{received_at.replace(microsecond=0).isoformat()}"


def _code(digest_hex: str) -> str:
    text = base64.b32encode(bytes.fromhex(digest_hex)).decode().translate(_READABLE)
    groups = [text[i * GROUP_LENGTH : (i + 1) * GROUP_LENGTH] for i in range(CODE_GROUPS)]
    return "-".join(groups)


def receipt_for(grievance: Grievance) -> Receipt:
    digest = keyring().lookup_hash(_message(grievance.reference, grievance.received_at))
    return Receipt(grievance.reference, grievance.received_at, _code(digest))


def _clean_code(code: str) -> str:
    return "".join(char for char in code.upper() if char.isalnum())


def verify_receipt(reference: str, code: str) -> Grievance | None:
    """The grievance whose receipt carries this code, or None (unknown reference, bad code)."""
    reference = normalise(reference)
    if not is_valid(reference):
        return None
    grievance = db.session.scalars(
        select(Grievance).where(Grievance.reference == reference)
    ).one_or_none()
    if grievance is None:
        return None
    message = _message(grievance.reference, grievance.received_at)
    given = _clean_code(code)
    for digest in keyring().lookup_hashes(message):
        if hmac.compare_digest(_clean_code(_code(digest)), given):
            return grievance
    return None
