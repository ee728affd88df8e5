"""After a reprisal incident the people hear what was done, in their language and on
their phone, discreetly when messages are discreet; while contact is on hold nothing
about the case reaches their phone until a protection officer lifts the hold and
decides what becomes of the messages that waited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import intake, replies
from remedy.cases.check_ins import open_due_follow_ups
from remedy.cases.contact_hold import Waiting, lift_contact_hold
from remedy.cases.notify import render
from remedy.cases.referrals import add_mechanism
from remedy.cases.reprisal_incidents import IncidentReport, record_incident
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.messaging.senders import build_sender
from remedy.messaging.worker import Worker
from remedy.messaging.worker_settings import WorkerSettings
from remedy.models import Ask, Grievance, MessageStatus, OutboxMessage, Role, TrackKind
from remedy.models.outbox_message import MessageChannel
from remedy.models.referral import MechanismKind
from remedy.models.types import utcnow
from tests.console.case_support import new_user
from tests.fake_twilio import FakeTwilio
from tests.workflows.scenarios import Scenario

WHAT = "Two guards followed her home and told her to drop the complaint."
PROTECTED_TEMPLATES = ("protection_taken", "protection_referred")


@pytest.fixture
def app_overrides(fake_twilio: FakeTwilio) -> dict[str, Any]:
    return {**fake_twilio.settings(), "REMEDY_SEND_RATE": 0}


@pytest.fixture
def officer(scenario: Scenario) -> Actor:
    return new_user("officer@example.org", Role.PROTECTION_OFFICER)


def deliver(app: Flask) -> None:
    """A worker's pass over the outbox: every due message to the fake Twilio."""
    Worker(build_sender(app.config), WorkerSettings.from_config(app.config), jobs=()).drain()
    db.session.expire_all()


def phone_of(grievance: Grievance) -> str:
    phone = grievance.people[0].person.phone
    assert phone is not None
    return phone


def filed(
    scenario: Scenario, fake_twilio: FakeTwilio, app: Flask, language: str = "en"
) -> Grievance:
    """A case filed by SMS whose acknowledgement has already reached the phone."""
    number = f"+2547{scenario.counter[0] + 1:04d}9999"
    grievance = scenario.file(
        language=language, complainant=PersonDetails("Amina", number, language)
    )
    deliver(app)
    assert fake_twilio.sent_to(phone_of(grievance)), "the acknowledgement went out"
    fake_twilio.reset()
    return grievance


def incident(hold: bool, discreet: bool, mechanism_id: int | None = None) -> IncidentReport:
    return IncidentReport(
        what_happened=WHAT,
        happened_on=utcnow().date() - timedelta(days=1),
        suspected="Acme Mining's security contractor",
        hold_contact=hold,
        make_discreet=discreet,
        mechanism_id=mechanism_id,
    )


# Telling the people ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "sw", "ar"])
def test_the_people_hear_what_was_done_in_their_language(
    app: Flask, scenario: Scenario, fake_twilio: FakeTwilio, officer: Actor, language: str
) -> None:
    grievance = filed(scenario, fake_twilio, app, language)
    record_incident(officer, grievance, incident(hold=False, discreet=False))
    deliver(app)
    (sent,) = fake_twilio.sent_to(phone_of(grievance))
    reference = display(grievance.reference)
    assert sent["Body"] == render("protection_taken", language, False, {"reference": reference})
    assert WHAT not in sent["Body"]
    assert "Acme" not in sent["Body"]


def test_a_referral_to_protection_is_named_to_them(
    app: Flask, scenario: Scenario, fake_twilio: FakeTwilio, officer: Actor
) -> None:
    shelter = add_mechanism(
        OPERATOR, "KE", MechanismKind.PROTECTION, "Defenders Shelter", "+254 700 000000"
    )
    grievance = filed(scenario, fake_twilio, app)
    record_incident(
        officer, grievance, incident(hold=False, discreet=False, mechanism_id=shelter.id)
    )
    deliver(app)
    (sent,) = fake_twilio.sent_to(phone_of(grievance))
    assert "Defenders Shelter (+254 700 000000)" in sent["Body"]


def test_discreet_phones_only_hear_there_is_news_and_the_words_wait_on_the_web(
    app: Flask, scenario: Scenario, fake_twilio: FakeTwilio, officer: Actor
) -> None:
    grievance = filed(scenario, fake_twilio, app, "fr")
    record_incident(officer, grievance, incident(hold=False, discreet=True))
    deliver(app)
    (sent,) = fake_twilio.sent_to(phone_of(grievance))
    assert sent["Body"] == render("protection_taken", "fr", True, {})
    web = db.session.scalars(
        select(OutboxMessage.body).where(
            OutboxMessage.grievance_id == grievance.id,
            OutboxMessage.channel == MessageChannel.WEB,
            OutboxMessage.template == "protection_taken",
        )
    ).one()
    assert web == render(
        "protection_taken", "fr", False, {"reference": display(grievance.reference)}
    )


def test_nothing_is_said_anywhere_while_contact_is_held(
    app: Flask, scenario: Scenario, fake_twilio: FakeTwilio, officer: Actor
) -> None:
    grievance = filed(scenario, fake_twilio, app)
    record_incident(officer, grievance, incident(hold=True, discreet=True))
    deliver(app)
    assert fake_twilio.sent_to(phone_of(grievance)) == []
    told = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == grievance.id,
            OutboxMessage.template.in_(PROTECTED_TEMPLATES),
        )
    ).all()
    assert told == []  # not even on the web status page


# The hold -------------------------------------------------------------------------------


def held_case(
    app: Flask, scenario: Scenario, fake_twilio: FakeTwilio, officer: Actor
) -> tuple[Grievance, OutboxMessage]:
    """A held case, and a message the team queued for it afterwards (still waiting)."""
    grievance = filed(scenario, fake_twilio, app)
    record_incident(officer, grievance, incident(hold=True, discreet=False))
    (message,) = [
        m
        for m in replies.send_reply(scenario.handler, grievance, "We visited the site today.")
        if m.channel is MessageChannel.SMS
    ]
    deliver(app)
    assert fake_twilio.sent_to(phone_of(grievance)) == []
    db.session.refresh(message)
    assert message.status is MessageStatus.PENDING
    return grievance, message


def test_a_message_queued_during_the_hold_waits_and_goes_when_the_officer_sends_it(
    app: Flask, scenario: Scenario, fake_twilio: FakeTwilio, officer: Actor
) -> None:
    grievance, message = held_case(app, scenario, fake_twilio, officer)
    waited = lift_contact_hold(officer, grievance, "She moved to a safe place.", Waiting.SEND)
    assert waited == 1
    deliver(app)
    (sent,) = fake_twilio.sent_to(phone_of(grievance))
    assert sent["Body"] == "We visited the site today."
    db.session.refresh(message)
    assert message.status is MessageStatus.SENT


def test_dropping_what_waited_sends_nothing_and_keeps_it_on_the_web(
    app: Flask, scenario: Scenario, fake_twilio: FakeTwilio, officer: Actor
) -> None:
    grievance, message = held_case(app, scenario, fake_twilio, officer)
    lift_contact_hold(officer, grievance, "The news is stale now.", Waiting.DROP)
    deliver(app)
    assert fake_twilio.sent_to(phone_of(grievance)) == []
    db.session.refresh(message)
    assert (message.status, message.error_code) == (MessageStatus.FAILED, "held")
    # Once lifted, new messages go again.
    replies.send_reply(scenario.handler, grievance, "We will call on Monday.")
    deliver(app)
    assert [m["Body"] for m in fake_twilio.sent_to(phone_of(grievance))] == [
        "We will call on Monday."
    ]


def test_a_question_asked_during_the_hold_opens_no_ask_until_it_is_sent(
    app: Flask, scenario: Scenario, fake_twilio: FakeTwilio, officer: Actor
) -> None:
    grievance = filed(scenario, fake_twilio, app)
    record_incident(officer, grievance, incident(hold=True, discreet=False))
    intake.request_info(scenario.handler, grievance, "Where exactly is the fence?")
    asks = select(Ask).where(Ask.grievance_id == grievance.id, Ask.closed_at.is_(None))
    assert db.session.scalars(asks).all() == []
    lift_contact_hold(officer, grievance, "Safe again.", Waiting.SEND)
    (ask,) = db.session.scalars(asks).all()
    assert ask.outbox_message is not None
    assert ask.outbox_message.template == "info_requested"


def test_follow_up_questions_wait_for_the_hold_to_be_lifted(
    scenario: Scenario, officer: Actor
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.remedied(track)
    record_incident(officer, grievance, incident(hold=True, discreet=False))
    later = utcnow() + timedelta(days=200)
    assert open_due_follow_ups(later) == 0
    lift_contact_hold(officer, grievance, "Safe again.", Waiting.SEND)
    assert open_due_follow_ups(later) == len(scenario.follow_ups(track))
