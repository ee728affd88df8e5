"""How fair was the way we handled your complaint? Once a case ends with a decision, the
people's phone is asked in their language, after the closing message; a reply of 1 to 5
(in any script), with an optional comment after the number, is their answer. Each text
read here is one the fake Twilio API received."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.cases import intake, mechanism_feedback
from remedy.cases.contact_hold import Waiting, hold_contact, lift_contact_hold
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.core.unit_of_work import atomic
from remedy.filing.grievances import PersonDetails
from remedy.messaging import sms_texts
from remedy.messaging.templates import DISCREET, PHONE_TEMPLATES
from remedy.models import Ask, AskKind, Grievance, Role
from remedy.models.mechanism_feedback import FeedbackVia
from remedy.sms.keywords import Keyword, primary
from tests.console.case_support import new_user
from tests.fairness_support import answers_to_fairness as feedback
from tests.fake_twilio import FakeTwilio
from tests.sms.conftest import Phone, a_number, file_by_phone, rendered
from tests.workflows.scenarios import Scenario

THEY_LISTENED = {"en": "4 they listened to me", "ar": "٤ استمعوا إلي"}


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return sends_to_twilio


@pytest.fixture
def texting(client: FlaskClient, fake_twilio: FakeTwilio) -> Phone:
    return Phone(client, a_number(), twilio=fake_twilio)


def rejected_case(scenario: Scenario, phone: Phone, language: str = "en") -> Grievance:
    """Filed from this phone, then found not admissible: the case is over."""
    details = PersonDetails("Awa Diallo", phone.number, language)
    grievance = scenario.file(complainant=details, language=language)
    intake.reject(scenario.handler, grievance, "Outside our operations.", scenario.court())
    return grievance


def question(grievance: Grievance, language: str) -> str:
    return rendered(PHONE_TEMPLATES["fairness"], language, reference=display(grievance.reference))


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_the_phone_is_asked_after_the_closing_message_in_its_language(
    scenario: Scenario, texting: Phone, language: str
) -> None:
    grievance = rejected_case(scenario, texting, language)

    received = texting.received()

    assert received[-1] == question(grievance, language)
    assert "Outside our operations" in received[-2]  # the decision came first


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_number_with_a_comment_is_the_answer(
    scenario: Scenario, texting: Phone, language: str
) -> None:
    grievance = rejected_case(scenario, texting, language)

    reply = texting.send(THEY_LISTENED[language])

    assert reply == rendered(sms_texts.FAIRNESS_THANKS, language)
    (given,) = feedback(grievance)
    assert given.score == 4
    assert given.comment == THEY_LISTENED[language][2:]
    assert given.via is FeedbackVia.SMS
    assert given.person_id == grievance.people[0].person_id
    assert not given.by_proxy
    assert texting.conversations() == []  # an answer, not a new complaint


def test_a_number_alone_is_an_answer_without_comment(scenario: Scenario, texting: Phone) -> None:
    grievance = rejected_case(scenario, texting)

    texting.send("2.")

    (given,) = feedback(grievance)
    assert (given.score, given.comment) == (2, None)


def test_a_number_out_of_range_is_asked_again_and_changes_nothing(
    scenario: Scenario, texting: Phone
) -> None:
    grievance = rejected_case(scenario, texting)

    first = texting.send("7")
    texting.send("5 very fair")

    assert first == rendered(sms_texts.FAIRNESS_RANGE, "en")
    assert [(f.score, f.comment) for f in feedback(grievance)] == [(5, "very fair")]


def test_the_answer_is_taken_once(scenario: Scenario, texting: Phone) -> None:
    grievance = rejected_case(scenario, texting)
    texting.send("3")

    texting.send("1")  # no longer an answer to anything: starts a conversation

    assert [f.score for f in feedback(grievance)] == [3]


def test_stop_still_stops_the_messages(scenario: Scenario, texting: Phone) -> None:
    grievance = rejected_case(scenario, texting)

    texting.send("STOP")

    assert feedback(grievance) == []
    db.session.expire_all()
    assert grievance.people[0].person.phone_opted_out_at is not None


def test_whatsapp_answers_are_recorded_as_whatsapp(scenario: Scenario, client: FlaskClient) -> None:
    whatsapp = Phone(client, a_number(), whatsapp=True)
    grievance = rejected_case(scenario, whatsapp)

    whatsapp.send("4")

    (given,) = feedback(grievance)
    assert given.via is FeedbackVia.WHATSAPP


def test_a_discreet_phone_hears_only_news_and_answers_after_status(
    scenario: Scenario, texting: Phone
) -> None:
    filed = file_by_phone(texting, "fr", reprisal="1")  # fears reprisal: discreet messages
    grievance = filed.grievance
    assert grievance.discreet_messages
    intake.reject(scenario.handler, grievance, "Hors de nos activités.", scenario.court())

    shown = texting.send(f"{primary(Keyword.STATUS, 'fr')} {filed.reference} {filed.pin}")
    reply = texting.send("4 merci")

    assert question(grievance, "fr") not in texting.received()
    assert rendered(DISCREET, "fr") in texting.received()
    assert question(grievance, "fr") in shown
    assert reply == rendered(sms_texts.FAIRNESS_THANKS, "fr")
    assert [(f.score, f.comment) for f in feedback(grievance)] == [(4, "merci")]


def test_not_asked_when_the_case_was_withdrawn(scenario: Scenario, texting: Phone) -> None:
    details = PersonDetails("Awa Diallo", texting.number, "en")
    grievance = scenario.file(complainant=details)

    intake.withdraw(scenario.complainant(grievance), grievance)

    assert all("how fair" not in text for text in texting.received())
    assert not mechanism_feedback.question_open(grievance)


def test_a_resolved_case_is_asked_too(scenario: Scenario, texting: Phone) -> None:
    details = PersonDetails("Awa Diallo", texting.number, "en")
    grievance, (track,) = scenario.in_remedy(complainant=details)
    scenario.remedied(track)
    assert grievance.state == "resolved"

    texting.send("5")

    assert [f.score for f in feedback(grievance)] == [5]


def test_while_contact_is_held_the_question_waits_and_asks_nothing(
    scenario: Scenario, texting: Phone
) -> None:
    details = PersonDetails("Awa Diallo", texting.number, "en")
    grievance = scenario.file(complainant=details)
    with atomic():
        hold_contact(scenario.handler, grievance, 0)
    intake.reject(scenario.handler, grievance, "Outside our operations.", scenario.court())
    fairness_asks = select(Ask).where(
        Ask.grievance_id == grievance.id, Ask.kind == AskKind.FAIRNESS
    )

    assert question(grievance, "en") not in texting.received()
    assert db.session.scalars(fairness_asks).all() == []

    officer = new_user("officer@example.org", Role.PROTECTION_OFFICER)
    lift_contact_hold(officer, grievance, "Safe again.", Waiting.SEND)
    assert texting.received()[-1] == question(grievance, "en")
    assert texting.send("5") == rendered(sms_texts.FAIRNESS_THANKS, "en")
    assert [f.score for f in feedback(grievance)] == [5]
