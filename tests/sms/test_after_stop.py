"""After STOP the provider blocks every message to the number until START: no
conversation runs that the person cannot see, and what they send is kept for the team."""

from __future__ import annotations

from typing import Any

import pytest

from remedy.messaging import sms_texts
from remedy.sms.keywords import Keyword, primary
from tests.sms.conftest import PUBLIC_URL, Phone, added_to, file_by_phone, rendered

LANGUAGES = ("en", "fr", "es", "sw", "ar")
TOLD = {
    "en": "The trucks came back last night.",
    "fr": "Les camions sont revenus cette nuit.",
    "es": "Los camiones volvieron anoche.",
    "sw": "Malori yamerudi usiku wa jana.",
    "ar": "عادت الشاحنات الليلة الماضية.",
}


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return {**sends_to_twilio, "REMEDY_PUBLIC_URL": PUBLIC_URL}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_stop_word_the_provider_did_not_act_on_is_confirmed_on_the_phone(
    texting_phone: Phone, language: str
) -> None:
    file_by_phone(texting_phone, language)
    texting_phone.send(primary(Keyword.STOP, language))

    confirmation = rendered(sms_texts.STOPPED, language, start=primary(Keyword.START, language))
    assert texting_phone.received()[-1] == confirmation


def test_a_stop_the_provider_acted_on_is_not_answered(texting_phone: Phone) -> None:
    file_by_phone(texting_phone)
    before = texting_phone.received()

    assert texting_phone.send("STOP", OptOutType="STOP") == ""
    assert texting_phone.received() == before  # the provider confirmed it itself


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_stop_a_message_is_kept_on_the_case_and_not_answered(
    texting_phone: Phone, language: str
) -> None:
    filed = file_by_phone(texting_phone, language)
    texting_phone.send(primary(Keyword.STOP, language))
    before = texting_phone.received()

    assert texting_phone.send(TOLD[language]) == ""

    assert added_to(filed.grievance) == [TOLD[language]]
    assert texting_phone.open_conversation() is None
    assert texting_phone.received() == before


def test_after_stop_a_number_without_a_case_starts_no_conversation(texting_phone: Phone) -> None:
    texting_phone.send("STOP")
    before = texting_phone.received()

    for text in ("HELLO", "Dust from the mine covers the school.", "0"):
        assert texting_phone.send(text) == ""

    assert texting_phone.conversations() == []
    assert texting_phone.received() == before
    assert [m.body for m in texting_phone.inbound()][-1] == "0"  # kept in the inbox


@pytest.mark.parametrize("language", LANGUAGES)
def test_start_brings_the_messages_back(texting_phone: Phone, language: str) -> None:
    filed = file_by_phone(texting_phone, language)
    texting_phone.send(primary(Keyword.STOP, language))
    texting_phone.send(TOLD[language])

    texting_phone.send(primary(Keyword.START, language))

    started = rendered(sms_texts.STARTED, language, help=primary(Keyword.HELP, language))
    assert texting_phone.received()[-1] == started
    # Messages are answered again: this one is asked about (the case, or a new one?).
    assert texting_phone.send("The dust is back.") != ""
    assert added_to(filed.grievance) == [TOLD[language]]
