"""How many SMS segments a text costs: GSM-7 (with its extension table) or UCS-2.

A text that fits the GSM 03.38 default alphabet travels as 7-bit septets: 160 in one
segment, 153 per segment once split (the user data header takes the rest). Characters
from the extension table (``{ } [ ] ~ \\ | ^ €`` and form feed) take two septets, and a
segment never ends between the two. Any other character makes the whole text UCS-2:
70 UTF-16 code units in one segment, 67 per segment when split, a surrogate pair (an
emoji, say) never split either. Counting is a pure function so every channel and the
console composer agree with what the provider will bill.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

# GSM 03.38 basic character set (the ESC code point itself is not text).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Reached through ESC: each costs two septets.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {"gsm7": 160, "ucs2": 70}
MULTI = {"gsm7": 153, "ucs2": 67}


class Encoding(enum.StrEnum):
    GSM7 = "gsm7"
    UCS2 = "ucs2"


@dataclass(frozen=True)
class SegmentInfo:
    """``units`` are septets (GSM-7) or UTF-16 code units (UCS-2); ``per_segment`` is the
    capacity of each segment as sent (160/70 for one, 153/67 when split)."""

    encoding: Encoding
    count: int
    per_segment: int
    units: int


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _widths(text: str, encoding: Encoding) -> list[int]:
    """The units each character takes; characters are never split across segments."""
    if encoding is Encoding.GSM7:
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _pack(widths: list[int], capacity: int) -> int:
    """Segments needed when each segment holds ``capacity`` units and no item is split."""
    count, used = 1, 0
    for width in widths:
        if used + width > capacity:
            count, used = count + 1, 0
        used += width
    return count


def segments(text: str) -> SegmentInfo:
    """The encoding and number of segments ``text`` needs; an empty text needs none."""
    encoding = Encoding.GSM7 if is_gsm7(text) else Encoding.UCS2
    widths = _widths(text, encoding)
    units = sum(widths)
    single = SINGLE[encoding.value]
    if units == 0:
        return SegmentInfo(encoding, 0, single, 0)
    if units <= single:
        return SegmentInfo(encoding, 1, single, units)
    per_segment = MULTI[encoding.value]
    return SegmentInfo(encoding, _pack(widths, per_segment), per_segment, units)
