"""Discreet mode: the phone hears only that there is news. STATUS with the PIN shows the
step the case waits for (the question itself, the proposal, the check-in), and for the
next hour the number may answer it by SMS, as if the case were not discreet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.messaging import sms_texts
from remedy.messaging.templates import DISCREET
from remedy.models import Ask, Grievance, MessageChannel, OutboxMessage, TrackKind
from remedy.sms.keywords import Keyword, primary
from tests.sms.conftest import Filed, Phone, added_to, file_by_phone, rendered
from tests.workflows.scenarios import Scenario

QUESTION = "Where exactly is the fence?"
ANSWER = "Behind the school, since March."


def discreet_case(phone: Phone, language: str = "en") -> Filed:
    """Filed by SMS with "2" to "may the company know who you are": discreet messages."""
    filed = file_by_phone(phone, language, identity="2")
    assert filed.grievance.discreet_messages
    return filed


def status(phone: Phone, filed: Filed, language: str = "en") -> str:
    return phone.send(f"{primary(Keyword.STATUS, language)} {filed.reference} {filed.pin}")


def sms_bodies(grievance: Grievance) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage.body).where(
                OutboxMessage.grievance_id == grievance.id,
                OutboxMessage.channel == MessageChannel.SMS,
            )
        )
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_status_shows_the_question_and_the_number_may_answer_it(
    phone: Phone, scenario: Scenario, language: str
) -> None:
    filed = discreet_case(phone, language)
    intake.request_info(scenario.handler, filed.grievance, QUESTION)
    assert all(QUESTION not in body for body in sms_bodies(filed.grievance))
    assert rendered(DISCREET, language) in sms_bodies(filed.grievance)

    shown = status(phone, filed, language)
    reply = phone.send(ANSWER)

    assert QUESTION in shown
    assert reply == rendered(sms_texts.INFORMATION_THANKS, language)
    assert added_to(filed.grievance) == [ANSWER]
    db.session.refresh(filed.grievance)
    assert filed.grievance.state == "screening"


def test_without_status_the_phone_cannot_answer(phone: Phone, scenario: Scenario) -> None:
    filed = discreet_case(phone)
    intake.request_info(scenario.handler, filed.grievance, QUESTION)

    reply = phone.send(ANSWER)

    assert reply == rendered(sms_texts.WHICH_CASE_NEUTRAL, "en")
    assert added_to(filed.grievance) == []


def test_after_the_hour_the_step_is_locked_again(phone: Phone, scenario: Scenario) -> None:
    filed = discreet_case(phone)
    intake.request_info(scenario.handler, filed.grievance, QUESTION)
    status(phone, filed)
    for ask in db.session.scalars(select(Ask).where(Ask.grievance_id == filed.grievance.id)):
        if ask.unlocked_until is not None:
            ask.unlocked_until -= timedelta(hours=2)
    db.session.commit()

    phone.send(ANSWER)

    assert added_to(filed.grievance) == []


def test_status_shows_the_proposal_and_1_accepts_it(phone: Phone, scenario: Scenario) -> None:
    filed = discreet_case(phone)
    grievance = filed.grievance
    intake.accept(scenario.handler, grievance)
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "We built the fence.")
    (track,) = intake.classify(scenario.handler, grievance, [plan], intake.Severity(2, 2, 1))
    scenario.propose(track)

    shown = status(phone, filed)
    reply = phone.send("1")

    assert "Stopping the harm: Remove the fence." in shown
    assert shown.endswith("Reply 1 to accept, 2 to decline.")
    assert reply == rendered(sms_texts.PROPOSAL_ACCEPTED, "en")
    db.session.refresh(track)
    assert track.state == "implementing"


def test_status_from_another_phone_unlocks_that_phone(
    phone: Phone, new_phone: object, scenario: Scenario
) -> None:
    """Whoever holds the reference and PIN may answer, from the phone they used."""
    filed = discreet_case(phone)
    intake.request_info(scenario.handler, filed.grievance, QUESTION)
    borrowed: Phone = new_phone()  # type: ignore[operator]

    assert QUESTION in status(borrowed, filed)
    assert borrowed.send(ANSWER) == rendered(sms_texts.INFORMATION_THANKS, "en")
    assert added_to(filed.grievance) == [ANSWER]
