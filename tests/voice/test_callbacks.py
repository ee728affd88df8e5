"""Call-backs: a person who filed by phone and may be called back hears the team's news
in a call the mechanism places. The call says only that there is news until the PIN is
typed, then reads the words and goes on into the case. Unheard calls are tried again,
then sent by SMS when the person allows it; the status callbacks are signed, and a
retried one changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import select, update

from remedy.cases.contact_hold import hold_contact
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.filing.grievances import PersonDetails
from remedy.messaging.delivery_words import Delivery, delivery_of
from remedy.models import Channel, Grievance, InvolvementTrack, OutboxMessage, TrackKind
from remedy.models.outbox_message import MessageChannel, MessageStatus
from remedy.models.types import utcnow
from tests.fake_twilio import FakeTwilio
from tests.sms.conftest import deliver_outbox
from tests.voice.conftest import Caller, said
from tests.voice.test_case import new_pin, status_words
from tests.workflows.scenarios import Scenario


@pytest.fixture(autouse=True)
def _callbacks(callbacks_to_app: FakeTwilio) -> None:
    """Every status callback of the fake reaches the app, signed."""


def by_voice(caller: Caller, language: str = "en", consent: bool = True) -> dict[str, Any]:
    """A case filed by phone call, by someone who may be called back."""
    return {
        "complainant": PersonDetails("Awa", caller.number, language),
        "language": language,
        "channel": Channel.VOICE,
        "contact_consent": consent,
    }


def proposed(scenario: Scenario, caller: Caller, **form: Any) -> InvolvementTrack:
    _, (track,) = scenario.in_remedy(TrackKind.CAUSE, **{**by_voice(caller), **form})
    scenario.propose(track)
    return track


def message(grievance: Grievance, template: str = "remedy_proposed") -> OutboxMessage:
    db.session.expire_all()
    found = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == grievance.id,
            OutboxMessage.template == template,
            OutboxMessage.channel == MessageChannel.VOICE,
        )
    )
    assert found is not None
    return found


def placed_for(fake: FakeTwilio, row: OutboxMessage) -> list[dict[str, Any]]:
    """The calls placed for this outbox message, oldest first."""
    return [call for call in fake.calls if call["Url"].endswith(f"?outbox={row.id}")]


def called(
    scenario: Scenario, caller: Caller, fake: FakeTwilio
) -> tuple[InvolvementTrack, OutboxMessage, dict[str, Any]]:
    """A proposal made, and its call placed: the track, its message and the call."""
    track = proposed(scenario, caller)
    row = message(track.grievance)
    deliver_outbox()
    (placed,) = placed_for(fake, row)
    return track, row, placed


def time_passes(row: OutboxMessage) -> None:
    """The wait before the next try is over."""
    with atomic():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id)
            .values(available_at=utcnow() - timedelta(seconds=1))
        )


def test_a_proposal_is_called_heard_with_the_pin_and_accepted_by_keypad(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    track = proposed(scenario, caller)
    grievance = track.grievance
    pin = new_pin(grievance)
    row = message(grievance)
    assert row.status is MessageStatus.PENDING
    assert row.address == caller.number

    deliver_outbox()

    (placed,) = placed_for(fake_twilio, row)
    assert placed["From"] == "+15005550006"
    assert placed["StatusCallback"].endswith(f"/twilio/voice/status?outbox={row.id}")
    assert placed["StatusCallbackEvent"] == ["completed"]
    assert message(grievance).status is MessageStatus.SENT

    caller.answer(placed)
    # Someone else may have answered: only who calls, and the PIN asked.
    assert caller.heard() == " ".join((said("callback_news", "en"), said("enter_pin", "en")))
    assert grievance.reference not in caller.raw

    caller.press(pin)
    heard = caller.heard()
    assert heard.startswith(row.body)
    assert status_words(grievance) in heard
    assert said("answer_proposal", "en", digit=1) in heard
    assert message(grievance).status is MessageStatus.DELIVERED
    assert delivery_of(message(grievance)).status is Delivery.HEARD

    caller.press("1")  # answer the proposal
    caller.press("1")  # accept
    assert said("accepted", "en") in caller.heard()
    db.session.expire_all()
    assert db.session.get(InvolvementTrack, track.id).state == "implementing"  # type: ignore[union-attr]

    # The call ends: a heard message stays heard, and nothing is tried again.
    assert fake_twilio.post_call_status(placed, "completed", duration=80) == 204
    assert message(grievance).status is MessageStatus.DELIVERED
    deliver_outbox()
    assert len(placed_for(fake_twilio, row)) == 1


def test_the_call_back_speaks_the_persons_language(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    track = proposed(scenario, caller, **by_voice(caller, "fr"))
    pin = new_pin(track.grievance)
    row = message(track.grievance)
    deliver_outbox()
    (placed,) = placed_for(fake_twilio, row)

    caller.answer(placed)
    assert said("callback_news", "fr") in caller.heard()
    assert said("enter_pin", "fr") in caller.heard()
    caller.press(pin)
    assert row.language == "fr"
    assert caller.heard().startswith(row.body)
    assert said("answer_proposal", "fr", digit=1) in caller.heard()


def test_a_wrong_pin_asks_the_pin_again_and_reads_nothing(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    track = proposed(scenario, caller)
    pin = new_pin(track.grievance)
    row = message(track.grievance)
    deliver_outbox()
    (placed,) = placed_for(fake_twilio, row)

    caller.answer(placed)
    caller.press("000000" if pin != "000000" else "111111")

    heard = (said("no_case", "en"), said("way_in", "en"), said("enter_pin", "en"))
    assert caller.heard() == " ".join(heard)
    assert message(track.grievance).status is MessageStatus.SENT


def test_an_unanswered_call_is_tried_again_then_sent_by_sms(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    track, row, first = called(scenario, caller, fake_twilio)

    before = utcnow()
    assert fake_twilio.post_call_status(first, "no-answer") == 204
    waiting = message(track.grievance)
    assert waiting.status is MessageStatus.PENDING
    assert waiting.error_code == "no-answer"
    assert before + timedelta(minutes=15) <= waiting.available_at
    assert waiting.available_at <= utcnow() + timedelta(minutes=15)
    with force_locale("en"):
        assert delivery_of(waiting).words == "queued: trying again after: nobody answered the call"
    deliver_outbox()
    assert len(placed_for(fake_twilio, row)) == 1  # not before the wait is over

    time_passes(row)
    deliver_outbox()
    second = placed_for(fake_twilio, row)[1]
    assert fake_twilio.post_call_status(second, "no-answer") == 204
    assert message(track.grievance).available_at >= utcnow() + timedelta(minutes=119)

    time_passes(row)
    deliver_outbox()
    third = placed_for(fake_twilio, row)[2]
    assert fake_twilio.post_call_status(third, "no-answer") == 204

    given_up = message(track.grievance)
    assert given_up.status is MessageStatus.FAILED
    assert given_up.error_code == "by-sms"
    with force_locale("en"):
        assert delivery_of(given_up).reason == "nobody heard the calls: sent by SMS instead"
    deliver_outbox()
    (sms,) = fake_twilio.sent_to(caller.number)
    assert sms["Body"] == given_up.sms_body
    assert "Reply 1 to accept, 2 to decline." in sms["Body"]
    assert len(placed_for(fake_twilio, row)) == 3


@pytest.mark.parametrize(("status", "code"), [("busy", "busy"), ("failed", "call-failed")])
def test_busy_and_failed_calls_are_tried_again(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio, status: str, code: str
) -> None:
    track, row, placed = called(scenario, caller, fake_twilio)

    assert fake_twilio.post_call_status(placed, status) == 204

    waiting = message(track.grievance)
    assert (waiting.status, waiting.error_code) == (MessageStatus.PENDING, code)
    time_passes(row)
    deliver_outbox()
    assert len(placed_for(fake_twilio, row)) == 2


def test_a_call_answered_without_the_pin_is_tried_once_more(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    """Answered by someone else, or a voicemail: once more later, then the fallback."""
    track, row, first = called(scenario, caller, fake_twilio)
    caller.answer(first)
    assert fake_twilio.post_call_status(first, "completed", duration=20) == 204
    assert message(track.grievance).error_code == "unheard"
    assert message(track.grievance).status is MessageStatus.PENDING

    time_passes(row)
    deliver_outbox()
    second = placed_for(fake_twilio, row)[1]
    assert fake_twilio.post_call_status(second, "completed", duration=20) == 204

    assert message(track.grievance).status is MessageStatus.FAILED
    assert message(track.grievance).error_code == "by-sms"


def test_a_person_who_sent_stop_is_called_but_never_texted(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    """STOP ends texts, not calls; unheard calls then stay on the web status page."""
    track = proposed(scenario, caller)
    row = message(track.grievance)
    person = track.grievance.people[0].person
    with atomic():
        person.phone_opted_out_at = utcnow()
    for _call in range(3):
        time_passes(row)
        deliver_outbox()
        fake_twilio.post_call_status(placed_for(fake_twilio, row)[-1], "no-answer")

    given_up = message(track.grievance)
    assert given_up.status is MessageStatus.FAILED
    assert given_up.error_code == "not-heard"
    deliver_outbox()
    assert fake_twilio.sent_to(caller.number) == []


def test_without_consent_to_contact_the_news_waits_on_the_web_page(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    track = proposed(scenario, caller, contact_consent=False)
    deliver_outbox()

    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.grievance_id == track.grievance_id)
    ).all()
    channels = {row.channel for row in rows if row.person_id is not None}
    assert channels == {MessageChannel.WEB}
    assert fake_twilio.calls == []
    assert fake_twilio.messages == []


def test_calls_wait_while_contact_is_held(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    _, (track,) = scenario.in_remedy(TrackKind.CAUSE, **by_voice(caller))
    deliver_outbox()
    before = len(fake_twilio.calls)
    with atomic():
        hold_contact(scenario.handler, track.grievance, 0)
    scenario.propose(track)

    deliver_outbox()

    assert len(fake_twilio.calls) == before
    assert message(track.grievance).status is MessageStatus.PENDING


def test_forged_status_callbacks_are_refused(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    track, _row, placed = called(scenario, caller, fake_twilio)

    assert fake_twilio.post_call_status(placed, "no-answer", token="forged-token") == 403

    assert message(track.grievance).status is MessageStatus.SENT


def test_a_retried_status_callback_changes_nothing(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    track, row, first = called(scenario, caller, fake_twilio)
    assert fake_twilio.post_call_status(first, "no-answer") == 204
    after_first = message(track.grievance)
    due, attempts = after_first.available_at, after_first.attempts

    assert fake_twilio.post_call_status(first, "no-answer") == 204
    assert fake_twilio.post_call_status(first, "busy") == 204

    again = message(track.grievance)
    assert (again.status, again.available_at, again.attempts) == (
        MessageStatus.PENDING,
        due,
        attempts,
    )
    assert again.error_code == "no-answer"
    # An older call's callback, once a newer call is placed, changes nothing either.
    time_passes(row)
    deliver_outbox()
    assert fake_twilio.post_call_status(first, "failed") == 204
    assert message(track.grievance).status is MessageStatus.SENT


def test_a_call_the_provider_refuses_for_good_is_sent_by_sms(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    grievance = scenario.file(**by_voice(caller))
    row = message(grievance, "acknowledged")
    fake_twilio.fail_next(1, 400, 21211)  # not a valid number to call

    deliver_outbox()

    refused = message(grievance, "acknowledged")
    assert (refused.status, refused.error_code) == (MessageStatus.FAILED, "by-sms")
    assert placed_for(fake_twilio, row) == []
    deliver_outbox()
    (sms,) = fake_twilio.sent_to(caller.number)
    assert sms["Body"] == refused.sms_body


def test_a_forged_request_for_a_call_backs_twiml_is_refused(
    scenario: Scenario, caller: Caller, fake_twilio: FakeTwilio
) -> None:
    track, _row, placed = called(scenario, caller, fake_twilio)
    caller.outbound, caller.call_sid = True, placed["sid"]
    path = placed["Url"].removeprefix("https://remedy.example.org")

    response = caller.post(path, caller.params(), token="forged-token")

    assert response.status_code == 403
    assert message(track.grievance).status is MessageStatus.SENT
