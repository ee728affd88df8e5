"""SMS STATUS names each organisation and how it is involved, one line each, in the
reader's language, after the PIN only."""

from __future__ import annotations

from typing import Any

import pytest

from remedy.core.extensions import db
from remedy.core.references import display
from remedy.messaging import sms_texts
from remedy.models import Channel, TrackKind
from tests.involvement import LANGUAGES, PARTNER, classify_two_ways, sentences
from tests.sms.conftest import Phone, file_by_phone, rendered
from tests.sms.test_status import SETTINGS
from tests.support import file_grievance
from tests.workflows.scenarios import Scenario

STATUS_WORDS = {"en": "STATUS", "fr": "STATUT", "es": "ESTADO", "sw": "HALI", "ar": "حالة"}


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return dict(SETTINGS)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", [TrackKind.CAUSE, TrackKind.CONTRIBUTE])
def test_status_tells_each_organisation_and_its_involvement(
    new_phone: Any, scenario: Scenario, language: str, kind: TrackKind
) -> None:
    submitted = file_grievance(channel=Channel.SMS, language=language)
    classify_two_ways(scenario, submitted.grievance, kind)
    stranger: Phone = new_phone()

    reply = stranger.send(
        f"{STATUS_WORDS[language]} {display(submitted.grievance.reference)} {submitted.pin}"
    )

    lines = reply.splitlines()
    expected = sentences(scenario, kind, language)
    assert lines[1:3] == expected
    if language != "en":
        assert expected != sentences(scenario, kind, "en")  # told in the reader's words
    assert PARTNER in lines[2]


def test_without_the_pin_no_organisation_is_named(new_phone: Any, scenario: Scenario) -> None:
    submitted = file_grievance(channel=Channel.SMS)
    classify_two_ways(scenario, submitted.grievance)
    stranger: Phone = new_phone()
    wrong = str((int(submitted.pin) + 1) % 1_000_000).zfill(6)

    reply = stranger.send(f"STATUS {submitted.grievance.reference} {wrong}")

    assert scenario.company.name not in reply
    assert scenario.partner.name not in reply
    assert PARTNER not in reply


def test_the_person_contests_by_sms_naming_the_organisation(
    phone: Phone, scenario: Scenario
) -> None:
    filed = file_by_phone(phone, "fr")
    company, partner = classify_two_ways(scenario, filed.grievance)

    asked = phone.send("CONTESTER")

    assert asked == rendered(
        sms_texts.CONTEST_WHICH,
        "fr",
        contest="CONTESTER",
        choices=f"1 {scenario.company.name}, 2 {scenario.partner.name}",
    )
    assert phone.send("contester 2") == rendered(sms_texts.CONTEST_HOW, "fr", contest="CONTESTER")
    assert phone.send("Contester 2 Les camions sont les siens.") == rendered(
        sms_texts.CONTEST_RECEIVED, "fr"
    )
    db.session.expire_all()
    assert partner.state == "classification_contested"
    assert partner.contest_reason == "Les camions sont les siens."
    assert company.state == "planning"


def test_a_case_with_nothing_to_contest_says_the_step_is_closed(phone: Phone) -> None:
    file_by_phone(phone)

    reply = phone.send("CONTEST They did it.")

    assert reply == rendered(sms_texts.STEP_CLOSED, "en", status="STATUS")
