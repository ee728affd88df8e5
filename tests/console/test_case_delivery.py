"""The team sees what reached people: each message's delivery status and its reason in
words on the case page, opt-outs in the people table, and a reply composer that says
beforehand (and after sending) who gets the words on their phone and who only on the web.

Messages go through the real worker to the fake Twilio API, whose status callbacks are
signed as Twilio signs them and posted to the app's status webhook.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from remedy.cases import replies
from remedy.cases.notify import WEB_ONLY_LABELS
from remedy.core.config import LANGUAGES
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails
from remedy.messaging.delivery_words import DELIVERY_LABELS, REASONS
from remedy.models import AuditEvent, Grievance, ReprisalRisk
from remedy.models.grievance import Channel
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from remedy.models.person import Person
from tests.console.case_support import Console, console_for, text_of
from tests.fake_twilio import FakeTwilio, fake_twilio
from tests.messaging import conftest as messaging
from tests.messaging.conftest import MakeWorker
from tests.workflows.scenarios import Scenario

PHONE = "+254711000001"

# Messages go through the worker to the fake Twilio, which posts its signed callbacks to
# the app: the fixtures of the outbox's own tests.
__all__ = ["fake_twilio"]
app_overrides = messaging.app_overrides
clock = messaging.clock
make_worker = messaging.make_worker
callbacks_to_app = messaging.callbacks_to_app


@pytest.fixture
def handler(app: Flask, scenario: Scenario) -> Console:
    return console_for(app, scenario.handler)


def messages_of(grievance: Grievance) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.grievance_id == grievance.id)
            .order_by(OutboxMessage.id)
        )
    )


def person_of(grievance: Grievance) -> Person:
    db.session.expire_all()
    return grievance.people[0].person


def reply_reach(handler: Console, grievance: Grievance) -> str:
    """What the composer says of who receives a reply, and how (one line per recipient)."""
    html = handler.html(grievance)
    start = html.index(">", html.index('id="reply-reach"')) + 1
    return text_of(html[start : html.index("</ul>", start)].replace("</bdi>", ""))


# Each status and reason, in words ------------------------------------------------------

STATUSES: list[tuple[str, dict[str, Any], str]] = [
    ("waiting", {"status": MessageStatus.PENDING}, "queued"),
    ("being sent", {"status": MessageStatus.SENDING}, "queued"),
    (
        "waiting for a retry",
        {"status": MessageStatus.PENDING, "error_code": "30008", "attempts": 1},
        "queued: trying again after: unknown error at the carrier",
    ),
    ("taken by Twilio", {"status": MessageStatus.SENT, "provider_status": "sent"}, "sent"),
    (
        "delivered",
        {"status": MessageStatus.DELIVERED, "provider_status": "delivered"},
        "delivered",
    ),
    (
        "read on WhatsApp",
        {
            "channel": MessageChannel.WHATSAPP,
            "status": MessageStatus.DELIVERED,
            "provider_status": "read",
        },
        "read",
    ),
    (
        "on the web only",
        {"channel": MessageChannel.WEB, "status": MessageStatus.STORED, "address": None},
        "on the status page (web)",
    ),
    (
        "failed without a code",
        {"status": MessageStatus.FAILED, "provider_status": "failed"},
        "failed: the provider gave no reason",
    ),
    (
        "failed with a code nobody listed",
        {"status": MessageStatus.FAILED, "provider_status": "failed", "error_code": "12345"},
        "failed: the provider refused it (code 12345)",
    ),
    (
        "refused by the worker after STOP",
        {"status": MessageStatus.FAILED, "error_code": "opted-out"},
        "failed: the person sent STOP",
    ),
]

FAILURES = [
    ("30003", "phone unreachable or switched off"),
    ("30005", "unknown number"),
    ("30006", "a landline, or a carrier that cannot be reached"),
    ("30007", "filtered as spam by the carrier"),
    ("30008", "unknown error at the carrier"),
    ("21610", "the person sent STOP"),
    ("21211", "not a valid mobile number"),
    ("21614", "not a valid mobile number"),
    ("63003", "this number is not on WhatsApp"),
    ("63016", "outside WhatsApp's 24-hour window (sent by SMS instead)"),
]


@pytest.mark.parametrize(
    ("state", "expected"),
    [pytest.param(state, words, id=name) for name, state, words in STATUSES]
    + [
        pytest.param(
            {"status": MessageStatus.FAILED, "provider_status": "undelivered", "error_code": code},
            f"failed: {words}",
            id=f"failed {code}",
        )
        for code, words in FAILURES
    ],
)
def test_each_message_shows_where_it_stands_in_words(
    handler: Console, scenario: Scenario, state: dict[str, Any], expected: str
) -> None:
    grievance = scenario.file()
    (message,) = messages_of(grievance)
    for name, value in state.items():
        setattr(message, name, value)
    db.session.commit()

    page = unescape(text_of(handler.html(grievance)))

    assert page.count("Delivery: ") == 1
    assert f"Delivery: {expected} " in page + " "
    assert "on its way" not in page


# Through the signed status webhook ---------------------------------------------------


def test_a_failed_callback_shows_on_the_case_page_with_its_reason(
    handler: Console, scenario: Scenario, callbacks_to_app: FakeTwilio, make_worker: MakeWorker
) -> None:
    grievance = scenario.file()
    make_worker().drain()
    assert "Delivery: sent" in text_of(handler.html(grievance))

    assert (
        callbacks_to_app.post_status(callbacks_to_app.messages[-1], "undelivered", "30003") == 204
    )

    assert "Delivery: failed: phone unreachable or switched off" in text_of(handler.html(grievance))


def test_a_21610_callback_marks_the_person_so_nothing_more_is_attempted(
    handler: Console, scenario: Scenario, callbacks_to_app: FakeTwilio, make_worker: MakeWorker
) -> None:
    grievance = scenario.file(complainant=PersonDetails("Amina", PHONE, "en"))
    make_worker().drain()
    # Queued before Twilio's news arrived: it must not reach Twilio either.
    replies.send_reply(scenario.handler, grievance, "We visit on Monday.")

    callbacks_to_app.post_status(callbacks_to_app.messages[-1], "undelivered", "21610")
    make_worker().drain()

    assert person_of(grievance).phone_opted_out_at is not None
    assert len(callbacks_to_app.sent_to(PHONE)) == 1, "only the acknowledgement was sent"
    assert [(m.status, m.error_code) for m in messages_of(grievance)] == [
        (MessageStatus.FAILED, "21610"),
        (MessageStatus.FAILED, "opted-out"),
    ]
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "person.opt_out")
    ).one()
    assert (event.actor_kind, event.after) == ("system", {"reported_by": "provider"})
    page = text_of(handler.html(grievance))
    assert page.count("Delivery: failed: the person sent STOP") == 2
    assert "gets no SMS until START" in page
    # The next message waits on the web, and the composer says why beforehand.
    assert "only on the status page (web): they sent STOP" in reply_reach(handler, grievance)


def test_the_people_table_shows_when_someone_sent_stop(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file()
    person_of(grievance).phone_opted_out_at = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
    db.session.commit()

    html = handler.html(grievance)
    start = html.index('id="people"')
    people = text_of(html[start : html.index("</table>", start)])

    assert "Sent STOP on Mar 4, 2026: gets no SMS until START" in people


# The reply composer ------------------------------------------------------------------

WEB_ONLY: list[tuple[str, dict[str, Any], str]] = [
    (
        "opted out",
        {"opted_out": True},  # STOP, set on the person once filed
        "only on the status page (web): they sent STOP: no SMS until START",
    ),
    (
        "no contact consent",
        {"contact_consent": False},
        "only on the status page (web): they did not agree to be contacted on their phone",
    ),
    (
        "no phone",
        {"complainant": PersonDetails("Amina", None, "en")},
        "only on the status page (web): no phone number is recorded",
    ),
    (
        "discreet",
        {"reprisal_risk": ReprisalRisk.HIGH},
        "only on the status page (web): discreet messages are on, their phone will only "
        "hear there is news",
    ),
]


@pytest.mark.parametrize(
    ("form", "expected"), [pytest.param(form, words, id=name) for name, form, words in WEB_ONLY]
)
def test_the_composer_says_beforehand_who_only_sees_the_reply_on_the_web(
    handler: Console, scenario: Scenario, form: dict[str, Any], expected: str
) -> None:
    grievance = scenario.file(**{key: value for key, value in form.items() if key != "opted_out"})
    person = person_of(grievance)
    if form.get("opted_out"):
        person.phone_opted_out_at = datetime(2026, 3, 4, tzinfo=UTC)
        db.session.commit()

    assert reply_reach(handler, grievance) == f"{person.pseudonym}: {expected}"

    response = handler.post(
        grievance, "/replies", {"body": "We visit on Monday.", "action": "send"}
    )
    said = text_of(handler.html(grievance))

    assert response.status_code == 302
    assert "on its way" not in said
    assert f"Only on the status page (web), nothing by phone, for: {person.pseudonym}." in said
    words_on_phone = [
        m
        for m in messages_of(grievance)
        if m.template == replies.TEMPLATE_NAME and m.channel is not MessageChannel.WEB
    ]
    assert all(m.body != "We visit on Monday." for m in words_on_phone)


def test_the_composer_and_the_flash_count_only_phones_that_get_the_words(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file(
        complainant=PersonDetails("Amina", PHONE, "en"),
        affected=[PersonDetails("Jean", None, "fr")],
        contact_channel=Channel.WHATSAPP,
    )
    amina, jean = (link.person for link in grievance.people)

    assert reply_reach(handler, grievance) == (
        f"{amina.pseudonym}: by WhatsApp "
        f"{jean.pseudonym}: only on the status page (web): no phone number is recorded"
    )
    handler.post(grievance, "/replies", {"body": "We visit on Monday.", "action": "send"})

    said = text_of(handler.html(grievance))
    assert (
        "The reply is on its way to 1 phone. "
        f"Only on the status page (web), nothing by phone, for: {jean.pseudonym}."
    ) in said


def test_when_everyone_gets_it_by_phone_the_composer_says_so_and_nothing_more(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file(people=2)
    first, second = (link.person.pseudonym for link in grievance.people)

    assert reply_reach(handler, grievance) == f"{first}: by SMS {second}: by SMS"
    handler.post(grievance, "/replies", {"body": "We visit on Monday.", "action": "send"})

    said = text_of(handler.html(grievance))
    assert "The reply is on its way to 2 phones." in said
    assert "nothing by phone" not in said


def test_a_reply_to_someone_who_asked_to_be_called_goes_by_a_call(
    handler: Console, scenario: Scenario
) -> None:
    """Read once the PIN is typed, even on a discreet case; its SMS fallback is discreet."""
    grievance = scenario.file(contact_channel=Channel.VOICE, reprisal_risk=ReprisalRisk.HIGH)
    person = person_of(grievance)

    assert reply_reach(handler, grievance) == (
        f"{person.pseudonym}: by a phone call, once they type their PIN"
    )
    handler.post(grievance, "/replies", {"body": "We visit on Monday.", "action": "send"})

    (call,) = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == grievance.id,
            OutboxMessage.channel == MessageChannel.VOICE,
            OutboxMessage.template == replies.TEMPLATE_NAME,
        )
    ).all()
    assert call.body == "We visit on Monday."
    assert call.sms_body is not None
    assert "We visit" not in call.sms_body
    assert "The reply is on its way to 1 phone." in text_of(handler.html(grievance))


# Every language ----------------------------------------------------------------------

WORDS = {
    **{f"delivery {key}": label for key, label in DELIVERY_LABELS.items()},
    **{f"reason {code}": words for code, words in REASONS.items()},
    **{f"web only {key}": label for key, label in WEB_ONLY_LABELS.items()},
}


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_the_words_for_delivery_and_reach_exist_in_every_language(
    app: Flask, language: str
) -> None:
    with app.test_request_context():
        with force_locale("en"):
            english = {key: str(words) for key, words in WORDS.items()}
        with force_locale(language):
            translated = {key: str(words) for key, words in WORDS.items()}

    assert [key for key in WORDS if translated[key] == english[key]] == []
