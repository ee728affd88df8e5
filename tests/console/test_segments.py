"""SMS segments: what a text costs, as the provider will count it (GSM 03.38, UCS-2)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remedy.messaging.segments import GSM7_BASIC, GSM7_EXTENSION, Encoding, segments

BASIC = sorted(GSM7_BASIC)
EXTENSION = sorted(GSM7_EXTENSION)


@pytest.mark.parametrize(
    ("text", "encoding", "count", "per_segment"),
    [
        ("", Encoding.GSM7, 0, 160),
        ("a" * 160, Encoding.GSM7, 1, 160),
        ("a" * 161, Encoding.GSM7, 2, 153),
        ("a" * 306, Encoding.GSM7, 2, 153),
        ("a" * 307, Encoding.GSM7, 3, 153),
        ("€" * 80, Encoding.GSM7, 1, 160),  # two septets each
        ("€" * 81, Encoding.GSM7, 2, 153),
        ("a" * 152 + "{" + "a" * 7, Encoding.GSM7, 2, 153),  # 161 septets
        ("a" * 152 + "[" + "a" * 152, Encoding.GSM7, 3, 153),  # 306 septets, but never split [
        ("Ça coûte 5 €", Encoding.UCS2, 1, 70),  # û is not GSM-7
        ("ع" * 70, Encoding.UCS2, 1, 70),
        ("ع" * 71, Encoding.UCS2, 2, 67),
        ("ع" * 134, Encoding.UCS2, 2, 67),
        ("ع" * 135, Encoding.UCS2, 3, 67),
        ("😀" * 35, Encoding.UCS2, 1, 70),  # a surrogate pair: two units
        ("😀" * 36, Encoding.UCS2, 2, 67),
        ("a" * 66 + "😀" + "a" * 66, Encoding.UCS2, 3, 67),  # 134 units, but never split 😀
        ("Habari\u200f", Encoding.UCS2, 1, 70),  # Babel's invisible right-to-left mark
    ],
)
def test_known_texts(text: str, encoding: Encoding, count: int, per_segment: int) -> None:
    info = segments(text)

    assert (info.encoding, info.count, info.per_segment) == (encoding, count, per_segment)


@given(st.text(alphabet=BASIC, max_size=1000))
def test_plain_gsm7_costs_one_septet_a_character(text: str) -> None:
    info = segments(text)

    assert info.encoding is Encoding.GSM7
    assert info.units == len(text)
    if len(text) == 0:
        assert info.count == 0
    elif len(text) <= 160:
        assert info.count == 1
    else:
        assert info.count == math.ceil(len(text) / 153)


@given(st.text(alphabet=BASIC, max_size=300), st.lists(st.sampled_from(EXTENSION), max_size=50))
def test_extension_characters_cost_two_septets(text: str, extra: list[str]) -> None:
    info = segments(text + "".join(extra))

    assert info.encoding is Encoding.GSM7
    assert info.units == len(text) + 2 * len(extra)


@given(st.text(max_size=400))
def test_any_text_fits_in_the_segments_counted(text: str) -> None:
    info = segments(text)

    assert info.count * info.per_segment >= info.units
    if info.count > 1:
        # Never split inside a character: at most one unit lost per segment.
        assert info.count <= math.ceil(info.units / (info.per_segment - 1))
    assert (info.encoding is Encoding.GSM7) == all(
        char in GSM7_BASIC or char in GSM7_EXTENSION for char in text
    )


@given(st.text(max_size=300), st.characters())
def test_a_longer_text_never_costs_less(text: str, char: str) -> None:
    before = segments(text)
    after = segments(text + char)

    if before.encoding is after.encoding:
        assert after.count >= before.count
