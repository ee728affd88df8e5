"""Numbers by SMS: digits of any script in menu answers and PINs, numbers isolated left to
right in Arabic replies, and HELP naming the ways to reach the team."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.numbers import LRI, PDI
from remedy.messaging import sms_texts
from remedy.messaging.segments import segments
from remedy.models.outbox_message import OutboxMessage
from remedy.sms.keywords import Keyword, primary
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.sms.conftest import PUBLIC_URL, Phone, file_by_phone, rendered

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
CONTACTS = {
    "REMEDY_CONTACT_SMS": "+254 700 111 222",
    "REMEDY_CONTACT_VOICE": "+254 700 111 444",
    "REMEDY_CONTACT_EMAIL": "help@remedy.example.org",
}
TWILIO = {
    "REMEDY_PUBLIC_URL": PUBLIC_URL,
    "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
    "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
}


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {**TWILIO, **CONTACTS}


def test_a_menu_choice_in_arabic_indic_digits_picks_the_language(phone: Phone) -> None:
    phone.send("hi there")

    reply = phone.send("٥")

    assert reply == rendered(sms_texts.WHAT_HAPPENED, "ar")
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.language == "ar"


def test_yes_and_no_in_arabic_indic_digits_answer_the_filing_questions(phone: Phone) -> None:
    filed = file_by_phone(phone, "ar", identity="٢", reprisal="٢", contact="١")

    assert filed.grievance.identity_withheld is True
    assert filed.grievance.contact_consent is True


def test_status_with_a_reference_and_pin_in_arabic_indic_digits_opens_the_case(
    phone: Phone, new_phone: Any
) -> None:
    filed = file_by_phone(phone, "ar")
    typed = f"{filed.reference[:4]} {filed.reference[4:]} {filed.pin}".translate(ARABIC_INDIC)

    reply = new_phone().send(f"حالة {typed}")

    assert f"{LRI}{filed.reference[:4]} {filed.reference[4:]}{PDI}" in reply


def test_the_arabic_filing_reply_isolates_the_reference_and_the_pin(phone: Phone) -> None:
    filed = file_by_phone(phone, "ar")

    assert f"{LRI}{filed.reference[:4]} {filed.reference[4:]}{PDI}" in filed.reply
    assert f"{LRI}{filed.pin}{PDI}" in filed.reply
    assert segments(filed.reply).encoding == "ucs2"


def test_an_arabic_workflow_message_isolates_the_reference(phone: Phone) -> None:
    filed = file_by_phone(phone, "ar")

    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.grievance_id == filed.grievance.id)
    ).all()

    shown = f"{LRI}{filed.reference[:4]} {filed.reference[4:]}{PDI}"
    assert any(shown in body for body in bodies)
    assert all(shown in body for body in bodies if filed.reference[:4] in body)


def test_an_english_reply_carries_no_isolation_marks(phone: Phone) -> None:
    filed = file_by_phone(phone, "en")

    assert LRI not in filed.reply
    assert PDI not in filed.reply


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_help_names_the_contact_points_in_the_readers_language(phone: Phone, language: str) -> None:
    reply = phone.send(primary(Keyword.HELP, language))

    words = {name: primary(Keyword[name.upper()], language) for name in ("status", "lang", "stop")}
    told, reach = reply.split("\n")
    assert told == rendered(sms_texts.HELP, language, **words)
    for value in CONTACTS.values():
        assert value in reach
    if language == "ar":
        assert f"{LRI}+254 700 111 222{PDI}" in reach


@pytest.mark.parametrize("app_overrides", [TWILIO])
def test_help_without_contact_points_is_the_help_alone(phone: Phone) -> None:
    reply = phone.send("HELP")

    assert "\n" not in reply
    assert "team" not in reply
