"""A phone that talks to the webhook as Twilio relays it: parameters signed exactly as
Twilio signs them (``RequestValidator.compute_signature`` over ``REMEDY_PUBLIC_URL`` plus
the path). The webhook only stores the message (an empty TwiML answer); the phone then
runs the inbox in-process, with the worker's own function, and reads the reply the
outbox queued for its message. ``received()`` goes all the way: a worker delivers the
outbox to the fake Twilio API, and the phone reads what Twilio took for its number."""

from __future__ import annotations

import itertools
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import current_app
from flask.testing import FlaskClient
from flask_babel import LazyString, force_locale
from sqlalchemy import select
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from remedy.core.extensions import db
from remedy.core.numbers import isolate_numbers
from remedy.messaging.senders import build_sender
from remedy.messaging.worker import Worker
from remedy.messaging.worker_settings import WorkerSettings
from remedy.models import AddedInformation, Conversation, Grievance, InboundMessage
from remedy.models.outbox_message import (
    PIN_REPLY_TEMPLATE,
    REPLY_TEMPLATE,
    OutboxMessage,
    reply_key,
)
from remedy.models.types import keyring
from remedy.sms.inbox import process_pending
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, fake_twilio

PUBLIC_URL = "https://remedy.example.org"
WEBHOOK = "/twilio/sms"
SERVICE_NUMBER = "+15005550006"
_numbers = itertools.count(1)

__all__ = ["fake_twilio"]


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {
        "REMEDY_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
    }


def signature(params: dict[str, str], path: str = WEBHOOK, token: str = AUTH_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(PUBLIC_URL + path, params))


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


def assert_stored(response: TestResponse) -> None:
    """The webhook's answer to a message: 200 with an empty TwiML response."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.get_data())  # noqa: S314 - our own TwiML
    assert root.tag == "Response"
    assert list(root) == [], "the webhook answers nothing itself: replies go by the outbox"


def handle_inbox(phone_hashes: list[str] | None = None) -> int:
    """What a worker's turn does first: handle the pending inbound messages."""
    return process_pending(1000, phone_hashes)


# Outbox rows other than the conversation's own replies (acknowledgements, updates...).
NOT_A_REPLY = OutboxMessage.template.not_in((REPLY_TEMPLATE, PIN_REPLY_TEMPLATE))


def not_replies(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages a fake provider took, less the conversation's replies."""
    replies = set(db.session.scalars(select(OutboxMessage.body).where(~NOT_A_REPLY)).all())
    return [message for message in sent if message["Body"] not in replies]


def replies_to(sid: str) -> str:
    """The text of the replies the outbox queued for the message ``sid`` ("" for none)."""
    db.session.expire_all()
    inbound_id = db.session.scalar(
        select(InboundMessage.id).where(InboundMessage.message_sid == sid)
    )
    if inbound_id is None:
        return ""
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.dedupe_key == reply_key(inbound_id))
        .order_by(OutboxMessage.id)
    )
    return "\n".join(row.body for row in rows)


def deliver_outbox() -> None:
    """A worker's pass over the outbox: every due message to the configured provider."""
    settings = WorkerSettings.from_config(current_app.config)
    Worker(build_sender(current_app.config), settings, jobs=(), inbox=lambda _: 0).drain()


def rendered(text: LazyString, language: str, **values: Any) -> str:
    """The text as a phone reads it: numbers isolated left to right in Arabic (LRI, PDI)."""
    with force_locale(language):
        return str(text) % isolate_numbers(values, language) if values else str(text)


@dataclass
class Phone:
    """One phone number writing to the webhook."""

    client: FlaskClient
    number: str
    whatsapp: bool = False
    sent: list[dict[str, str]] = field(default_factory=list)
    # The fake Twilio API the app sends through, for ``received``.
    twilio: FakeTwilio | None = None

    @property
    def sender(self) -> str:
        return f"whatsapp:{self.number}" if self.whatsapp else self.number

    def params(self, body: str = "", **extra: str) -> dict[str, str]:
        params = {
            "MessageSid": new_sid(),
            "AccountSid": ACCOUNT_SID,
            "From": self.sender,
            "To": f"whatsapp:{SERVICE_NUMBER}" if self.whatsapp else SERVICE_NUMBER,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        params.update(extra)
        return params

    def post(self, params: dict[str, str], **headers: str) -> TestResponse:
        self.sent.append(params)
        return self.client.post(
            WEBHOOK, data=params, headers={"X-Twilio-Signature": signature(params), **headers}
        )

    def send(self, body: str = "", **extra: str) -> str:
        """Send a message; the reply queued for it, once a worker's turn handled it. A
        phone with a fake Twilio API checks that the reply really reached it."""
        params = self.params(body, **extra)
        assert_stored(self.post(params))
        handle_inbox(self.hashes)
        reply = replies_to(params["MessageSid"])
        if self.twilio is not None and reply:
            assert reply in self.received(), "the reply was queued but never reached the phone"
        return reply

    def received(self) -> list[str]:
        """Deliver the outbox to the fake Twilio API; every text it took for this phone."""
        assert self.twilio is not None, "a phone made by the texting_phone fixture"
        deliver_outbox()
        return [message["Body"] for message in self.twilio.sent_to(self.sender)]

    @property
    def hashes(self) -> list[str]:
        return keyring().lookup_hashes(self.number)

    def conversations(self) -> list[Conversation]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(Conversation)
                .where(Conversation.phone_hash.in_(self.hashes))
                .order_by(Conversation.id)
            )
        )

    def open_conversation(self) -> Conversation | None:
        found = [c for c in self.conversations() if c.ended_at is None]
        assert len(found) <= 1
        return found[0] if found else None

    def grievances(self) -> list[Grievance]:
        ids = [c.grievance_id for c in self.conversations() if c.grievance_id]
        return [g for g in (db.session.get(Grievance, i) for i in ids) if g is not None]

    def inbound(self) -> list[InboundMessage]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(InboundMessage)
                .where(InboundMessage.phone_hash.in_(self.hashes))
                .order_by(InboundMessage.id)
            )
        )


def a_number() -> str:
    """A fresh Kenyan mobile number for each phone in the run."""
    return f"+2547{next(_numbers):08d}"


@pytest.fixture
def phone(client: FlaskClient) -> Phone:
    return Phone(client, a_number())


@pytest.fixture
def texting_phone(client: FlaskClient, fake_twilio: FakeTwilio) -> Phone:
    """A phone whose replies really go out, to the fake Twilio API (see ``sends_to_twilio``)."""
    return Phone(client, a_number(), twilio=fake_twilio)


@pytest.fixture
def sends_to_twilio(fake_twilio: FakeTwilio) -> dict[str, Any]:
    """App settings for a module whose app sends through the fake Twilio API: use in its
    ``app_overrides``."""
    return {
        **fake_twilio.settings(),
        "REMEDY_PUBLIC_URL": PUBLIC_URL,
        "REMEDY_SEND_RATE": 0,
        "REMEDY_SEND_TIMEOUT_SECONDS": 2.0,
    }


@pytest.fixture
def new_phone(client: FlaskClient) -> Any:
    def make(whatsapp: bool = False) -> Phone:
        return Phone(client, a_number(), whatsapp)

    return make


GREETINGS = {"en": "HELLO", "fr": "BONJOUR", "es": "HOLA", "sw": "HABARI", "ar": "مرحبا"}


@dataclass
class Filed:
    grievance: Grievance
    reference: str
    pin: str
    reply: str


PIN_AND_REFERENCE = re.compile(r"(\d{4} \d{4})\D+(\d{6})")


def file_by_phone(
    phone: Phone,
    language: str = "en",
    story: tuple[str, ...] = ("The new fence blocks the path to the well.",),
    place: str = "Kilifi, near the school",
    identity: str = "1",
    contact: str = "1",
    reprisal: str = "2",
) -> Filed:
    """The whole conversation from a greeting in ``language`` to the filing reply."""
    phone.send(GREETINGS[language])
    for part in story:
        phone.send(part)
    phone.send("0")
    phone.send(place)
    phone.send(identity)
    phone.send(reprisal)
    reply = phone.send(contact)
    match = PIN_AND_REFERENCE.search(reply)
    assert match, reply
    (grievance,) = phone.grievances()
    return Filed(grievance, match.group(1).replace(" ", ""), match.group(2), reply)


def added_to(grievance: Grievance) -> list[str]:
    """The information added to the case after filing, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AddedInformation.text)
            .where(AddedInformation.grievance_id == grievance.id)
            .order_by(AddedInformation.id)
        )
    )
