"""May the business partner know who you are? When a track opens for an organisation the
mechanism does not serve, the people's phone is asked, in their language, and their
reply (1 or 2, or a yes or no word of their language) decides what that organisation's
staff see. Each text read here is one the fake Twilio API received."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.identity.consents import consent_for, record_for_people
from remedy.identity.visibility import may_see_identity
from remedy.messaging import sms_texts
from remedy.messaging.templates import DISCREET, PHONE_TEMPLATES
from remedy.models import Grievance, MessageChannel, OutboxMessage, Role, TrackKind
from remedy.models.identity_consent import ConsentAnswer, ConsentVia
from remedy.sms.keywords import Keyword, primary
from tests.console.case_support import new_user
from tests.fake_twilio import FakeTwilio
from tests.sms.conftest import NOT_A_REPLY, Phone, a_number, file_by_phone, rendered
from tests.workflows.scenarios import Scenario

# What people type, in their language.
YES = {"en": "1", "fr": "oui", "es": "Sí", "sw": "ndiyo", "ar": "نعم"}
NO = {"en": "no", "fr": "2", "es": "NO", "sw": "Hapana", "ar": "2"}


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return sends_to_twilio


def partner_case(scenario: Scenario, phone: Phone, language: str, **form: Any) -> Grievance:
    """The company is directly linked; its business partner caused the harm."""
    details = PersonDetails("Awa Diallo", phone.number, language)
    grievance, _ = scenario.in_remedy(
        TrackKind.DIRECTLY_LINKED,
        TrackKind.CAUSE,
        complainant=details,
        language=language,
        **form,
    )
    return grievance


def consent_texts(phone: Phone, grievance: Grievance) -> list[str]:
    """The identity questions the phone received about this case."""
    db.session.expire_all()
    queued = set(
        db.session.scalars(
            db.select(OutboxMessage.body).where(
                OutboxMessage.grievance_id == grievance.id,
                OutboxMessage.channel == MessageChannel.SMS,
                OutboxMessage.template == "identity_consent",
                NOT_A_REPLY,
            )
        )
    )
    return [text for text in phone.received() if text in queued]


def answer_of(grievance: Grievance, scenario: Scenario) -> ConsentAnswer:
    db.session.expire_all()
    consent = consent_for(grievance, scenario.partner.id)
    assert consent is not None
    return consent.answer


@pytest.fixture
def texting(client: FlaskClient, fake_twilio: FakeTwilio) -> Phone:
    return Phone(client, a_number(), twilio=fake_twilio)


@pytest.mark.parametrize("language", ["en", "fr", "sw", "ar"])
def test_the_phone_is_asked_about_the_partner_in_its_language(
    scenario: Scenario, texting: Phone, language: str
) -> None:
    grievance = partner_case(scenario, texting, language)

    (text,) = consent_texts(texting, grievance)

    expected = rendered(
        PHONE_TEMPLATES["identity_consent"],
        language,
        reference=display(grievance.reference),
        organisation=scenario.partner.name,
    )
    assert text == expected
    assert scenario.company.name not in text  # the company was answered for at filing


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_a_yes_by_sms_lets_the_partner_see_who_they_are(
    scenario: Scenario, texting: Phone, language: str
) -> None:
    grievance = partner_case(scenario, texting, language)
    assert not may_see_identity(scenario.partner_handler, grievance)

    reply = texting.send(YES[language])

    assert reply == rendered(sms_texts.CONSENT_GIVEN, language)
    assert answer_of(grievance, scenario) is ConsentAnswer.YES
    assert may_see_identity(scenario.partner_handler, grievance)
    assert texting.conversations() == []  # an answer, not a new complaint
    consent = consent_for(grievance, scenario.partner.id)
    assert consent is not None
    assert consent.answered_via is ConsentVia.SMS
    assert consent.answered_by_person_id == grievance.people[0].person_id


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_a_no_by_sms_keeps_the_partner_on_pseudonyms(
    scenario: Scenario, texting: Phone, language: str
) -> None:
    grievance = partner_case(scenario, texting, language)

    reply = texting.send(NO[language])

    assert reply == rendered(sms_texts.CONSENT_REFUSED, language)
    assert answer_of(grievance, scenario) is ConsentAnswer.NO
    assert not may_see_identity(scenario.partner_handler, grievance)


def test_the_answer_is_taken_once(scenario: Scenario, texting: Phone) -> None:
    grievance = partner_case(scenario, texting, "en")
    texting.send("2")

    texting.send("1")  # no longer an answer to anything: starts a conversation

    assert answer_of(grievance, scenario) is ConsentAnswer.NO
    assert not may_see_identity(scenario.partner_handler, grievance)


def test_a_discreet_phone_hears_only_news_and_answers_after_status(
    scenario: Scenario, texting: Phone
) -> None:
    filed = file_by_phone(texting, "fr", reprisal="1")  # fears reprisal: discreet messages
    grievance = filed.grievance
    assert grievance.discreet_messages
    intake.accept(scenario.handler, grievance)
    plans = [
        intake.TrackPlan(scenario.company, TrackKind.DIRECTLY_LINKED, "Its supplier."),
        intake.TrackPlan(scenario.partner, TrackKind.CAUSE, "Its guards did it."),
    ]
    intake.classify(scenario.handler, grievance, plans, intake.Severity(2, 2, 1))

    shown = texting.send(f"{primary(Keyword.STATUS, 'fr')} {filed.reference} {filed.pin}")
    reply = texting.send("oui")

    assert all(scenario.partner.name not in text for text in consent_texts(texting, grievance))
    assert rendered(DISCREET, "fr") in texting.received()
    assert scenario.partner.name in shown
    assert reply == rendered(sms_texts.CONSENT_GIVEN, "fr")
    assert answer_of(grievance, scenario) is ConsentAnswer.YES


def test_no_question_is_sent_when_only_the_served_company_has_a_track(
    scenario: Scenario, texting: Phone
) -> None:
    details = PersonDetails("Awa Diallo", texting.number, "en")
    grievance, _ = scenario.in_remedy(TrackKind.CAUSE, complainant=details)

    assert consent_texts(texting, grievance) == []
    assert consent_for(grievance, scenario.company.id) is None


def test_an_answer_recorded_by_staff_closes_the_question_on_the_phone(
    scenario: Scenario, texting: Phone
) -> None:
    grievance = partner_case(scenario, texting, "en")
    consent = consent_for(grievance, scenario.partner.id)
    assert consent is not None
    officer = new_user("officer@example.org", Role.PROTECTION_OFFICER)
    record_for_people(officer, consent, False, "Said no at the community meeting.")

    texting.send("1")  # a late reply answers nothing now

    assert answer_of(grievance, scenario) is ConsentAnswer.NO
    assert not may_see_identity(scenario.partner_handler, grievance)
