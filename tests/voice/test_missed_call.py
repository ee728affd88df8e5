"""The missed-call call-back (``REMEDY_VOICE_CALLBACK=on``): a number known from an earlier
case is rejected (free for the caller) and called back within a minute, into the main
menu in its language; unknown numbers are answered; at most one call-back per number in
ten minutes; never a call-back to a number whose case has its contact on hold."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from remedy.cases.contact_hold import hold_contact
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.filing.grievances import PersonDetails
from remedy.models import Channel, Grievance, OutboxMessage
from remedy.models.outbox_message import MISSED_CALL_TEMPLATE, MessageChannel, MessageStatus
from remedy.models.types import utcnow
from tests.fake_twilio import FakeTwilio
from tests.sms.conftest import deliver_outbox
from tests.voice.conftest import Caller, said
from tests.workflows.scenarios import Scenario

REJECT = '<?xml version="1.0" encoding="UTF-8"?><Response><Reject /></Response>'


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return {**sends_to_twilio, "REMEDY_VOICE_CALLBACK": True}


@pytest.fixture(autouse=True)
def _callbacks(callbacks_to_app: FakeTwilio) -> None:
    """Every status callback of the fake reaches the app, signed."""


def known(scenario: Scenario, caller: Caller, language: str = "fr") -> Grievance:
    """An earlier case from the caller's number (its messages already sent)."""
    grievance = scenario.file(
        complainant=PersonDetails("Awa", caller.number, language),
        language=language,
        channel=Channel.SMS,
    )
    deliver_outbox()
    caller.twilio.reset()
    return grievance


def call_backs() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.template == MISSED_CALL_TEMPLATE)
            .order_by(OutboxMessage.id)
        )
    )


def test_a_known_number_is_rejected_and_called_back_into_the_menu(
    scenario: Scenario, caller: Caller, new_caller: Any, fake_twilio: FakeTwilio
) -> None:
    known(scenario, caller)

    caller.call()

    assert caller.raw == REJECT
    assert caller.retry() == REJECT  # a retried webhook: the same answer, nothing more
    (queued,) = call_backs()
    assert (queued.channel, queued.language) == (MessageChannel.VOICE, "fr")
    assert queued.available_at <= utcnow()

    deliver_outbox()
    (placed,) = fake_twilio.calls_to(caller.number)
    back = new_caller(caller.number)
    back.answer(placed)
    assert back.heard() == " ".join((said("called_back", "fr"), said("main_menu", "fr")))
    back.press("2")
    assert back.heard() == said("enter_reference", "fr")

    assert fake_twilio.post_call_status(placed, "completed", duration=60) == 204
    assert call_backs()[0].status is MessageStatus.DELIVERED


def test_an_unknown_number_is_answered(caller: Caller) -> None:
    caller.call()

    assert caller.raw != REJECT
    assert said("language_option", "en", digit=1) in caller.heard()
    assert call_backs() == []


def test_one_call_back_per_number_in_ten_minutes(
    scenario: Scenario, caller: Caller, new_caller: Any, fake_twilio: FakeTwilio
) -> None:
    known(scenario, caller, "en")
    caller.call()
    assert caller.raw == REJECT

    again = new_caller(caller.number)
    again.call()  # a prank, or an impatient caller: answered, not called back
    assert again.raw != REJECT
    assert said("main_menu", "en") in again.heard()
    assert len(call_backs()) == 1

    with atomic():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.template == MISSED_CALL_TEMPLATE)
            .values(created_at=utcnow() - timedelta(minutes=11))
        )
    later = new_caller(caller.number)
    later.call()
    assert later.raw == REJECT
    assert len(call_backs()) == 2


def test_an_unanswered_call_back_is_not_tried_again(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    known(scenario, caller)
    caller.call()
    deliver_outbox()
    (placed,) = fake_twilio.calls_to(caller.number)

    assert fake_twilio.post_call_status(placed, "no-answer") == 204

    (queued,) = call_backs()
    assert (queued.status, queued.error_code) == (MessageStatus.FAILED, "no-answer")
    deliver_outbox()
    assert len(fake_twilio.calls_to(caller.number)) == 1
    assert fake_twilio.sent_to(caller.number) == []


def test_a_number_on_contact_hold_is_never_called_back(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    grievance = known(scenario, caller, "en")
    with atomic():
        hold_contact(scenario.handler, grievance, 0)

    caller.call()

    assert caller.raw != REJECT
    assert said("main_menu", "en") in caller.heard()
    assert call_backs() == []
    deliver_outbox()
    assert fake_twilio.calls == []
