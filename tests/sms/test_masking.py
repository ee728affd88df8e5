"""PINs typed in a message never reach what staff read: drafts, the messages a number
sent, the unfinished-drafts list and the simulator's transcript."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from remedy.models import Role
from remedy.models.types import utcnow
from remedy.sms.masking import LONE_PIN, MASK, REFERENCE_AND_PIN, mask_pins
from remedy.sms.upkeep import expire_idle_conversations
from tests.sms.conftest import Phone, added_to, file_by_phone
from tests.sms.test_simulator import type_message
from tests.support import make_account, sign_in

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
# What people put between the digits of a reference or PIN.
gaps = st.sampled_from(["", "", "", " ", "  ", "-", "\n", " - "])
# Words around the numbers: no digits, and no gap character touching them.
words = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=30).map(
    lambda text: f"x{text}x"
)


def spaced(draw: st.DrawFn, count: int) -> tuple[str, str]:
    """``count`` digits as someone may type them, and the digits alone."""
    plain = "".join(draw(digits) for _ in range(count))
    typed = plain[0] + "".join(draw(gaps) + digit for digit in plain[1:])
    return typed, plain


@st.composite
def reference_and_pin(draw: st.DrawFn) -> tuple[str, str, str, str]:
    reference, _ = spaced(draw, 8)
    pin, plain_pin = spaced(draw, 6)
    return reference, draw(gaps), pin, plain_pin


@given(before=words, after=words, parts=reference_and_pin())
def test_a_reference_and_pin_however_spaced_keeps_the_reference_and_loses_the_pin(
    before: str, after: str, parts: tuple[str, str, str, str]
) -> None:
    reference, gap, pin, _ = parts
    text = f"{before} {reference}{gap}{pin} {after}"
    assert mask_pins(text) == f"{before} {reference}{gap}{MASK} {after}"


@given(text=st.text(alphabet=st.sampled_from("0123456789 -\nab"), max_size=60), lone=st.booleans())
def test_what_is_masked_holds_no_reference_and_pin_and_masking_again_changes_nothing(
    text: str, lone: bool
) -> None:
    masked = mask_pins(text, lone_pins=lone)
    assert REFERENCE_AND_PIN.search(masked) is None
    if lone:
        assert LONE_PIN.search(masked) is None
    assert mask_pins(masked, lone_pins=lone) == masked


@given(before=words, after=words, pin=st.from_regex(r"\A\d{3}[ \-]?\d{3}\Z"))
def test_six_lone_digits_are_masked_only_from_a_number_with_a_case(
    before: str, after: str, pin: str
) -> None:
    text = f"{before} {pin} {after}"
    assert mask_pins(text, lone_pins=True) == f"{before} {MASK} {after}"
    assert mask_pins(text) == text


def test_other_numbers_are_kept() -> None:
    for text in (
        "Call me on +254 712 345 678",  # a phone number is no lone group of six
        "Case 1234 5678, since 2024",
        "They paid 15,000 shillings for 1234567 bricks",
    ):
        assert mask_pins(text, lone_pins=True) == text


def test_a_reference_and_pin_in_a_draft_are_stored_masked(phone: Phone) -> None:
    phone.send("HELLO")
    phone.send("The fence is back. My old case is 1234 5678 123456 and nobody came.")
    conversation = phone.open_conversation()
    assert conversation is not None
    expected = f"The fence is back. My old case is 1234 5678 {MASK} and nobody came."
    assert conversation.description == expected
    assert phone.inbound()[-1].body == expected


@pytest.mark.parametrize(("choice", "kept"), [("1", "on the case"), ("2", "in a new draft")])
def test_the_pin_of_the_numbers_own_case_is_masked_wherever_it_is_kept(
    phone: Phone, choice: str, kept: str
) -> None:
    filed = file_by_phone(phone)
    told = "I forgot the word, my pin is {}, any news on the well?"
    phone.send(told.format(filed.pin))  # asked: about the case, or a new complaint?
    assert filed.pin not in (phone.inbound()[-1].body or "")
    phone.send(choice)
    if kept == "on the case":
        assert added_to(filed.grievance) == [told.format(MASK)]
    else:
        conversation = phone.open_conversation()
        assert conversation is not None
        assert conversation.description == told.format(MASK)


def test_six_digits_from_a_number_without_a_case_stay_as_told(phone: Phone) -> None:
    phone.send("HELLO")
    phone.send("They paid 150000 shillings to the chief.")
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.description == "They paid 150000 shillings to the chief."


def test_the_simulator_shows_neither_the_transcript_nor_the_draft_with_the_pin(
    client: FlaskClient,
) -> None:
    sign_in(client, make_account("handler@example.org", Role.HANDLER))
    type_message(client, "HELLO", number="042")
    html = type_message(client, "Please check 8765 4321 654321 the river is red", number="042")
    assert "654321" not in html
    assert f"8765 4321 {MASK}" in html
    expire_idle_conversations(utcnow() + timedelta(days=2))
    html = unescape(client.get("/console/simulator/?number=042").get_data(as_text=True))
    assert "654321" not in html
    assert html.count(f"8765 4321 {MASK}") >= 2  # the transcript and the unfinished draft
