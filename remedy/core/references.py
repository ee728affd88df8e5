"""Grievance references: 8 digits whose last is a Damm check digit.

The Damm algorithm catches every single-digit typo and every swap of two
neighbouring digits, the two mistakes people make on a keypad or reading aloud.
"""

from __future__ import annotations

import secrets

from remedy.core.numbers import ascii_digits

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
LENGTH = 8


def check_digit(digits: str) -> str:
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return str(interim)


def is_valid(reference: str) -> bool:
    """True for 8 ASCII digits whose Damm checksum is zero."""
    if len(reference) != LENGTH or not reference.isascii() or not reference.isdigit():
        return False
    return check_digit(reference) == "0"


def normalise(text: str) -> str:
    """Drop spaces and dashes people type between groups ("1234 5678"), digits as 0-9
    ("١٢٣٤ ٥٦٧٨"): a reference, a PIN or a code as it is compared."""
    return "".join(char for char in ascii_digits(text) if char not in " -.\u00a0")


# A search of at least this many digits may be part of a reference ("1351", "5335").
PARTIAL_MIN = 4


def reference_digits(text: str) -> str | None:
    """The digits of a whole or partial reference typed in a search, else None."""
    digits = normalise(text)
    if PARTIAL_MIN <= len(digits) <= LENGTH and digits.isdigit() and digits.isascii():
        return digits
    return None


def new_reference() -> str:
    """A random reference; the first digit is never 0 so it survives spreadsheets."""
    body = str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(6))
    return body + check_digit(body)


def display(reference: str) -> str:
    """Grouped in fours, the way it is read aloud."""
    return f"{reference[:4]} {reference[4:]}"


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"
