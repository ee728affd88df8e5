"""A bare 1, 2 or 3 from the person's own number answers their open check-in."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from remedy.messaging import sms_texts
from remedy.models import Answer, InvolvementTrack, TrackKind
from tests.sms.conftest import Phone, a_number, rendered
from tests.workflows.scenarios import Scenario


def verifying(scenario: Scenario) -> tuple[InvolvementTrack, str]:
    """A track whose remedy was reported delivered, with the complainant's phone number."""
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.verify(track)
    assert scenario.open_check_ins(track)
    number = grievance.people[0].person.phone
    assert number is not None
    return track, number


@pytest.mark.parametrize(
    ("typed", "answer", "state", "asked_next"),
    [
        ("1", Answer.YES, "remedied", ""),
        ("2", Answer.PARTLY, "partly_remedied", " What is missing? Tell us in one message."),
        ("3", Answer.NO, "implementing", " What is missing? Tell us in one message."),
    ],
)
def test_the_number_answers_the_open_check_in(
    client: FlaskClient,
    scenario: Scenario,
    typed: str,
    answer: Answer,
    state: str,
    asked_next: str,
) -> None:
    track, number = verifying(scenario)
    (check_in,) = scenario.open_check_ins(track)
    phone = Phone(client, number)
    assert phone.send(typed) == rendered(sms_texts.CHECK_IN_THANKS, "en") + asked_next
    assert check_in.response is not None
    assert check_in.response.answer is answer
    assert track.state == state
    assert phone.conversations() == []  # an answer, not the start of a complaint


def test_arabic_indic_digits_answer_too(client: FlaskClient, scenario: Scenario) -> None:
    track, number = verifying(scenario)
    Phone(client, number).send("١")
    assert track.state == "remedied"


def test_another_number_cannot_answer(client: FlaskClient, scenario: Scenario) -> None:
    track, _ = verifying(scenario)
    stranger = Phone(client, a_number())
    reply = stranger.send("1")
    assert reply != rendered(sms_texts.CHECK_IN_THANKS, "en")
    assert track.state == "verifying"
    assert scenario.open_check_ins(track)


def test_a_numbered_question_of_the_conversation_takes_the_number_first(
    client: FlaskClient, scenario: Scenario
) -> None:
    track, number = verifying(scenario)
    phone = Phone(client, number)
    phone.send("HELLO")
    phone.send("Something else happened.")
    phone.send("0")
    phone.send("The market")
    assert phone.send("1") == rendered(sms_texts.REPRISAL, "en")
    assert track.state == "verifying"
    assert scenario.open_check_ins(track)


def test_with_nothing_open_a_number_is_an_ordinary_message(phone: Phone) -> None:
    reply = phone.send("1")
    assert reply.splitlines()[0] == rendered(sms_texts.LANGUAGE_MENU, "en")
