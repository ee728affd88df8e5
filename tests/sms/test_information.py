"""The team asked a question by SMS ("please answer by ..."): the number's reply answers it."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.references import display
from remedy.messaging import sms_texts
from remedy.models import Ask, Grievance
from remedy.models.types import utcnow
from tests.sms.conftest import Phone, a_number, added_to, handle_inbox, rendered, replies_to
from tests.workflows.scenarios import Scenario

ANSWER = "The fence is behind the school, since March."


def awaiting_answer(scenario: Scenario, client: FlaskClient) -> tuple[Grievance, Phone]:
    """A case waiting for its complainant's answer, and the complainant's phone."""
    grievance = scenario.to_grievance_state("awaiting_complainant")
    number = grievance.people[0].person.phone
    assert number is not None
    return grievance, Phone(client, number)


def test_the_reply_to_the_teams_question_is_added_to_the_case(
    client: FlaskClient, scenario: Scenario
) -> None:
    grievance, phone = awaiting_answer(scenario, client)

    reply = phone.send(ANSWER)

    assert reply == rendered(sms_texts.INFORMATION_THANKS, "en")
    assert added_to(grievance) == [ANSWER]
    assert grievance.state == "screening"  # back to the team, as when answered on the web
    assert phone.conversations() == []  # an answer, not the start of a new complaint


def test_the_reply_names_no_case(client: FlaskClient, scenario: Scenario) -> None:
    """The number proved no PIN: what it hears back tells nothing about the case."""
    grievance, phone = awaiting_answer(scenario, client)

    reply = phone.send(ANSWER)

    assert grievance.reference not in reply
    assert display(grievance.reference) not in reply


def test_a_greeting_still_starts_a_conversation(client: FlaskClient, scenario: Scenario) -> None:
    grievance, phone = awaiting_answer(scenario, client)

    reply = phone.send("HELLO")

    assert reply == rendered(sms_texts.WHAT_HAPPENED, "en")
    assert added_to(grievance) == []
    assert grievance.state == "awaiting_complainant"
    assert phone.open_conversation() is not None


def test_a_conversation_under_way_goes_on(client: FlaskClient, scenario: Scenario) -> None:
    """Someone telling a new story mid-conversation is not answering the old question."""
    grievance, phone = awaiting_answer(scenario, client)
    phone.send("HELLO")

    reply = phone.send(ANSWER)

    assert reply == rendered(sms_texts.MORE, "en")
    assert added_to(grievance) == []
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.description == ANSWER


def test_another_number_cannot_answer(client: FlaskClient, scenario: Scenario) -> None:
    grievance, _ = awaiting_answer(scenario, client)
    stranger = Phone(client, a_number())

    reply = stranger.send(ANSWER)

    assert reply != rendered(sms_texts.INFORMATION_THANKS, "en")
    assert added_to(grievance) == []
    assert grievance.state == "awaiting_complainant"


def test_a_follow_up_sentence_joins_the_answer(client: FlaskClient, scenario: Scenario) -> None:
    """People send an answer in several messages: the next ones join it, not a new draft."""
    grievance, phone = awaiting_answer(scenario, client)
    phone.send(ANSWER)

    reply = phone.send("It also blocks the cattle.")

    assert reply == rendered(sms_texts.ANSWER_ADDED, "en")
    assert added_to(grievance) == [f"{ANSWER}\nIt also blocks the cattle."]
    assert phone.conversations() == []


def test_after_the_answer_window_a_message_is_an_ordinary_one(
    client: FlaskClient, scenario: Scenario
) -> None:
    grievance, phone = awaiting_answer(scenario, client)
    phone.send(ANSWER)
    for ask in db.session.scalars(select(Ask)):
        ask.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    reply = phone.send("Another problem: the trucks broke our water pipe.")

    # Unclear now: about the case, or a new complaint?
    reference = display(grievance.reference)
    assert reply == rendered(sms_texts.WHICH_CASE, "en", reference=reference)
    assert added_to(grievance) == [ANSWER]


def test_a_retried_answer_is_added_once(client: FlaskClient, scenario: Scenario) -> None:
    grievance, phone = awaiting_answer(scenario, client)
    params = phone.params(ANSWER)

    answers = {phone.post(params).get_data(as_text=True) for _ in range(3)}
    handle_inbox()

    assert len(answers) == 1
    assert len(phone.inbound()) == 1
    assert added_to(grievance) == [ANSWER]
    assert replies_to(params["MessageSid"]) == rendered(sms_texts.INFORMATION_THANKS, "en")


def test_a_discreet_case_takes_no_answer_from_the_phone(
    client: FlaskClient, scenario: Scenario
) -> None:
    """Its phone heard only that there is news; the question waits behind the PIN."""
    grievance, phone = awaiting_answer(scenario, client)
    grievance.discreet_messages = True
    db.session.commit()

    reply = phone.send(ANSWER)

    # Held, and asked about without naming the case.
    assert reply == rendered(sms_texts.WHICH_CASE_NEUTRAL, "en")
    assert added_to(grievance) == []
    assert grievance.state == "awaiting_complainant"
