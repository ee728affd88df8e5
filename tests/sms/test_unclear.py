"""A message from the number of an open case that answers nothing asked: about the case,
or a new complaint? It is held until the person says; the case is named only to its own
contact, never for a discreet case."""

from __future__ import annotations

import pytest

from remedy.core.extensions import db
from remedy.core.references import display
from remedy.messaging import sms_texts
from tests.sms.conftest import Phone, added_to, file_by_phone, rendered

LANGUAGES = ("en", "fr", "es", "sw", "ar")
STRAY = "The trucks still drive too fast near the school."


@pytest.mark.parametrize("language", LANGUAGES)
def test_1_keeps_the_message_on_the_case_for_the_team(phone: Phone, language: str) -> None:
    filed = file_by_phone(phone, language)

    asked = phone.send(STRAY)
    reply = phone.send("1")

    reference = display(filed.reference)
    assert asked == rendered(sms_texts.WHICH_CASE, language, reference=reference)
    assert reply == rendered(sms_texts.INFORMATION_THANKS, language)
    assert added_to(filed.grievance) == [STRAY]
    db.session.refresh(filed.grievance)
    assert filed.grievance.state == "screening"  # kept for the team: no workflow step
    assert phone.open_conversation() is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_2_starts_a_new_complaint_with_it(phone: Phone, language: str) -> None:
    filed = file_by_phone(phone, language)
    phone.send(STRAY)

    reply = phone.send("2")

    assert reply == rendered(sms_texts.MORE, language)
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.description == STRAY
    assert added_to(filed.grievance) == []


def test_a_discreet_case_is_not_named(phone: Phone) -> None:
    filed = file_by_phone(phone, "en", identity="2")

    asked = phone.send(STRAY)

    assert asked == rendered(sms_texts.WHICH_CASE_NEUTRAL, "en")
    assert filed.reference not in asked
    assert display(filed.reference) not in asked


def test_more_unclear_text_is_held_with_the_first(phone: Phone) -> None:
    filed = file_by_phone(phone, "en")
    phone.send(STRAY)

    again = phone.send("And they do not slow down at night.")
    phone.send("1")

    assert again == rendered(sms_texts.WHICH_CASE, "en", reference=display(filed.reference))
    assert added_to(filed.grievance) == [f"{STRAY}\nAnd they do not slow down at night."]


def test_a_greeting_still_starts_a_new_conversation(phone: Phone) -> None:
    file_by_phone(phone, "sw")

    assert phone.send("HABARI") == rendered(sms_texts.WHAT_HAPPENED, "sw")
