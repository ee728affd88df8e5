"""STATUS <reference> <PIN>: plain words for whoever gives both; the same answer for a wrong
PIN and an unknown reference; a lock after five wrong PINs; a limit per number."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale

from remedy.access.case_access import NOT_FOUND_MESSAGE, WAY_IN_MESSAGE, TooManyAttempts
from remedy.cases import intake
from remedy.cases.status import case_status
from remedy.core.numbers import ltr_text
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.messaging import sms_texts
from remedy.models import Channel
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.sms.conftest import PUBLIC_URL, Phone, a_number, file_by_phone, rendered
from tests.support import file_grievance
from tests.workflows.scenarios import Scenario

SETTINGS = {
    "REMEDY_PUBLIC_URL": PUBLIC_URL,
    "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
    "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
    "REMEDY_PIN_LOOKUP_RATE_LIMIT": "8 per hour",
}


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return dict(SETTINGS)


def not_found(language: str = "en") -> str:
    """The one answer to every refused PIN, with the ways in that no lock closes."""
    return f"{rendered(NOT_FOUND_MESSAGE, language)} {rendered(WAY_IN_MESSAGE, language)}"


def expected_status(grievance: Any, language: str) -> str:
    with force_locale(language):
        status = case_status(grievance)
        reference = ltr_text(display(grievance.reference), language)
        if status.outcome is not None:
            return str(sms_texts.STATUS_OUTCOME) % {
                "reference": reference,
                "now": status.now,
                "next": status.next,
                "outcome": status.outcome.label,
            }
        assert status.due_at is not None
        return str(sms_texts.STATUS_DUE) % {
            "reference": reference,
            "now": status.now,
            "next": status.next,
            "date": sms_texts.phone_date(status.due_at, language),
        }


def test_the_right_pin_hears_what_happens_next_and_by_when(phone: Phone, new_phone: Any) -> None:
    filed = file_by_phone(phone, "en")
    stranger: Phone = new_phone()
    reply = stranger.send(f"STATUS {display(filed.reference)} {filed.pin}")
    assert reply == expected_status(filed.grievance, "en")
    assert display(filed.reference) in reply


@pytest.mark.parametrize(
    ("word", "language"),
    [("STATUT", "fr"), ("état", "fr"), ("ESTADO", "es"), ("hali", "sw"), ("حالة", "ar")],
)
def test_status_in_each_language_answers_in_that_language(
    phone: Phone, new_phone: Any, word: str, language: str
) -> None:
    filed = file_by_phone(phone, language)
    stranger: Phone = new_phone()
    reply = stranger.send(f"{word} {filed.reference}-{filed.pin}")
    assert reply == expected_status(filed.grievance, language)


def test_the_answer_uses_the_readers_language_over_the_words(phone: Phone) -> None:
    filed = file_by_phone(phone, "sw")
    # The complainant writes the English word from their own phone: Swahili still.
    assert phone.send(f"STATUS {filed.reference} {filed.pin}") == expected_status(
        filed.grievance, "sw"
    )


def test_a_decided_case_tells_its_result(phone: Phone, new_phone: Any, scenario: Scenario) -> None:
    submitted = file_grievance(channel=Channel.SMS, language="fr")
    intake.accept(scenario.handler, submitted.grievance)
    intake.find_no_involvement(
        scenario.handler, submitted.grievance, "Not our site.", scenario.court()
    )
    stranger: Phone = new_phone()
    reply = stranger.send(f"STATUT {submitted.grievance.reference} {submitted.pin}")
    assert reply == expected_status(submitted.grievance, "fr")
    with force_locale("fr"):
        assert str(submitted.grievance.outcome.label) in reply  # type: ignore[union-attr]


def test_a_wrong_pin_and_an_unknown_reference_get_the_same_words(
    phone: Phone, new_phone: Any
) -> None:
    filed = file_by_phone(phone)
    stranger: Phone = new_phone()
    wrong_pin = str((int(filed.pin) + 1) % 1_000_000).zfill(6)
    assert stranger.send(f"STATUS {filed.reference} {wrong_pin}") == not_found()
    assert stranger.send(f"STATUS 12345670 {filed.pin}") == not_found()
    assert stranger.send(f"STATUS 99999999 {filed.pin}") == not_found()  # bad check digit


def test_the_pin_is_never_kept_in_the_message_record(phone: Phone, new_phone: Any) -> None:
    filed = file_by_phone(phone)
    stranger: Phone = new_phone()
    stranger.send(f"STATUS {filed.reference} {filed.pin}")
    (record,) = stranger.inbound()
    assert record.body == f"STATUS {filed.reference} ******"
    assert filed.pin not in (record.body or "")


def test_without_both_numbers_nothing_is_told(phone: Phone) -> None:
    filed = file_by_phone(phone)
    how = rendered(sms_texts.STATUS_HOW, "en", status="STATUS")
    assert phone.send("STATUS") == how
    assert phone.send(f"STATUS {filed.reference}") == how  # even from the number on file
    assert phone.send(f"STATUS {filed.pin}") == how


def test_five_wrong_pins_lock_the_reference_for_other_numbers(
    client: FlaskClient, phone: Phone
) -> None:
    filed = file_by_phone(phone)
    wrong = str((int(filed.pin) + 1) % 1_000_000).zfill(6)
    for _ in range(5):
        guesser = Phone(client, a_number())  # many numbers, one reference
        assert guesser.send(f"STATUS {filed.reference} {wrong}") == not_found()
    latecomer = Phone(client, a_number())
    # Locked: even the right PIN from another number hears the same words.
    assert latecomer.send(f"STATUS {filed.reference} {filed.pin}") == not_found()
    # The owner's own number is not shut out by someone else's guessing.
    assert phone.send(f"STATUS {filed.reference} {filed.pin}") == expected_status(
        filed.grievance, "en"
    )


@pytest.mark.parametrize(
    "app_overrides",
    [
        pytest.param(SETTINGS, id="counted in memory"),
        # As deployed. On SQLite the message's transaction holds the only write lock when
        # STATUS counts: the count must join it, not wait for it. Counts commit: own database.
        pytest.param(
            {**SETTINGS, "RATELIMIT_STORAGE_URI": "remedy-db://"},
            id="counted in the database",
            marks=[pytest.mark.commits, pytest.mark.postgres],
        ),
    ],
)
def test_one_number_is_rate_limited_across_references(phone: Phone) -> None:
    for guess in range(8):
        assert phone.send(f"STATUS 1234567{guess} 123456") == not_found()
    with force_locale("en"):
        limited = str(TooManyAttempts())
    assert phone.send("STATUS 12345670 123456") == limited


def test_status_does_not_disturb_a_conversation_under_way(phone: Phone, new_phone: Any) -> None:
    filed = file_by_phone(phone)
    writer: Phone = new_phone()
    writer.send("HELLO")
    writer.send("The water is brown.")
    writer.send(f"STATUS {filed.reference} {filed.pin}")
    assert writer.send("0") == rendered(sms_texts.WHERE, "en")
    conversation = writer.open_conversation()
    assert conversation is not None
    assert conversation.description == "The water is brown."


def test_a_person_registered_without_a_phone_can_still_hear_by_sms(new_phone: Any) -> None:
    submitted = file_grievance(
        channel=Channel.WEB, complainant=PersonDetails(name="Awa", language="es")
    )
    stranger: Phone = new_phone()
    reply = stranger.send(f"ESTADO {submitted.grievance.reference} {submitted.pin}")
    assert reply == expected_status(submitted.grievance, "es")


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_a_reference_and_pin_alone_count_as_status(phone: Phone, language: str) -> None:
    """What else would "8548 7756 123456" be for? Not the start of a complaint."""
    filed = file_by_phone(phone, language)

    reply = phone.send(f"{display(filed.reference)} {filed.pin}")

    assert reply == expected_status(filed.grievance, language)
    assert phone.open_conversation() is None
