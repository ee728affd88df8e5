"""What the conversation owes beyond its replies goes through the outbox too: the worker
delivers it to a Twilio-compatible API (here the fake one on 127.0.0.1, reached through
``TWILIO_API_BASE_URL``)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from remedy.cases.notify import render
from remedy.core.references import display
from remedy.messaging.senders import build_sender
from remedy.messaging.worker import Worker
from remedy.messaging.worker_settings import WorkerSettings
from tests.fake_twilio import SMS_FROM, WHATSAPP_FROM, FakeTwilio
from tests.sms.conftest import PUBLIC_URL, Phone, a_number, file_by_phone, not_replies


@pytest.fixture
def app_overrides(fake_twilio: FakeTwilio) -> dict[str, Any]:
    return {**fake_twilio.settings(), "REMEDY_PUBLIC_URL": PUBLIC_URL, "REMEDY_SEND_RATE": 0}


def drain(app: Flask) -> None:
    settings = WorkerSettings.from_config(app.config)
    Worker(build_sender(app.config), settings, jobs=()).drain()


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_the_acknowledgement_reaches_the_phone_in_its_language(
    app: Flask, client: Any, fake_twilio: FakeTwilio, language: str
) -> None:
    phone = Phone(client, a_number())
    filed = file_by_phone(phone, language, identity="1", contact="1")
    drain(app)
    (sent,) = not_replies(fake_twilio.sent_to(phone.number))
    assert sent["From"] == SMS_FROM
    with force_locale(language):
        due = {"date": filed.grievance.due_at} if filed.grievance.due_at else {}
    expected = render(
        "acknowledged", language, False, {"reference": display(filed.reference), **due}
    )
    assert sent["Body"] == expected
    assert filed.pin not in sent["Body"]


def test_a_whatsapp_conversation_is_followed_up_on_whatsapp(
    app: Flask, client: Any, fake_twilio: FakeTwilio
) -> None:
    phone = Phone(client, a_number(), whatsapp=True)
    file_by_phone(phone, "en")
    drain(app)
    (sent,) = not_replies(fake_twilio.sent_to(f"whatsapp:{phone.number}"))
    assert sent["From"] == WHATSAPP_FROM


def test_withheld_identity_gets_the_discreet_message(
    app: Flask, client: Any, fake_twilio: FakeTwilio
) -> None:
    phone = Phone(client, a_number())
    filed = file_by_phone(phone, "sw", identity="2")
    drain(app)
    (sent,) = not_replies(fake_twilio.sent_to(phone.number))
    assert sent["Body"] == render("acknowledged", "sw", True, {})
    assert display(filed.reference) not in sent["Body"]


def test_a_number_that_said_no_to_contact_gets_nothing_more(
    app: Flask, client: Any, fake_twilio: FakeTwilio
) -> None:
    phone = Phone(client, a_number())
    file_by_phone(phone, "en", contact="2")
    drain(app)
    assert not_replies(fake_twilio.sent_to(phone.number)) == []
