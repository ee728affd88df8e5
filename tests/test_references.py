"""Grievance references survive the typos people make on a keypad or reading aloud."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from remedy.core.references import LENGTH, check_digit, display, is_valid, new_reference, normalise

bodies = st.text(alphabet="0123456789", min_size=LENGTH - 1, max_size=LENGTH - 1).filter(
    lambda body: body[0] != "0"
)


@st.composite
def references(draw: st.DrawFn) -> str:
    """Any valid reference: a body the generator could produce plus its check digit."""
    body = draw(bodies)
    return body + check_digit(body)


def test_every_new_reference_is_valid_with_eight_digits_and_no_leading_zero() -> None:
    drawn = [new_reference() for _ in range(2000)]

    assert LENGTH == 8
    assert [
        ref for ref in drawn if not (len(ref) == LENGTH and ref.isascii() and ref.isdigit())
    ] == []
    assert [ref for ref in drawn if ref[0] == "0"] == []
    assert [ref for ref in drawn if not is_valid(ref)] == []
    assert len(set(drawn)) > 1990  # random, not a counter or a constant


@given(body=bodies)
def test_exactly_one_check_digit_completes_a_body(body: str) -> None:
    assert [digit for digit in "0123456789" if is_valid(body + digit)] == [check_digit(body)]


@given(reference=references())
def test_every_single_digit_typo_of_a_reference_is_caught(reference: str) -> None:
    typos = [
        reference[:position] + digit + reference[position + 1 :]
        for position in range(LENGTH)
        for digit in "0123456789"
        if digit != reference[position]
    ]

    assert len(typos) == 9 * LENGTH
    assert [typo for typo in typos if is_valid(typo)] == []


@given(reference=references())
def test_every_swap_of_neighbouring_different_digits_is_caught(reference: str) -> None:
    swaps = [
        reference[:position]
        + reference[position + 1]
        + reference[position]
        + reference[position + 2 :]
        for position in range(LENGTH - 1)
        if reference[position] != reference[position + 1]
    ]

    assert [swap for swap in swaps if is_valid(swap)] == []


@given(reference=references(), separator=st.sampled_from([" ", "-", ".", "\u00a0", "  ", " - "]))
def test_a_reference_typed_in_groups_normalises_back(reference: str, separator: str) -> None:
    shown = display(reference)

    assert shown == f"{reference[:4]} {reference[4:]}"
    assert normalise(shown) == reference
    assert normalise(shown.replace(" ", separator)) == reference
    assert normalise(f" {reference} ") == reference


@given(text=st.text())
@example(text="١٢٣٤٥٦٧٨")  # Arabic-Indic digits: digits, but not ours
@example(text="¹²³⁴⁵⁶⁷⁸")
@example(text="1234567\x00")
@example(text="")
def test_is_valid_never_raises_and_accepts_only_ascii_digits(text: str) -> None:
    valid = is_valid(text)

    assert isinstance(valid, bool)
    if valid:
        assert len(text) == LENGTH
        assert all(char in "0123456789" for char in text)
    assert isinstance(is_valid(normalise(text)), bool)


def test_the_check_digit_is_the_damm_digit_of_a_known_example() -> None:
    # Worked example from the Damm algorithm's description: 572 has check digit 4.
    assert check_digit("572") == "4"
    assert check_digit("5724") == "0"
