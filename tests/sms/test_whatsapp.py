"""WhatsApp (issue 18): the 24-hour window decides between free text and an approved
template, what neither can carry goes by SMS or waits on the web, every numbered ask has
buttons in the person's language whose press answers like the digit, and a shared
location answers "where did it happen". Messages really go out, to the fake Twilio API,
which refuses free text outside the window as WhatsApp does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import current_app
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select, text

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.core.settings import settings
from remedy.filing.grievances import PersonDetails
from remedy.jobs.registry import PERIODIC_JOBS
from remedy.messaging import sms_texts
from remedy.messaging.delivery_words import delivery_of
from remedy.messaging.senders import build_sender
from remedy.messaging.whatsapp_templates import BUTTONS, kind_text, kind_variables
from remedy.messaging.whatsapp_window import forget_closed_windows, open_numbers, record_inbound
from remedy.messaging.worker import Worker
from remedy.messaging.worker_settings import WorkerSettings
from remedy.models import (
    Answer,
    Grievance,
    InvolvementTrack,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
    TrackKind,
)
from remedy.models.grievance import Channel
from remedy.models.types import keyring, utcnow
from remedy.models.whatsapp_window import WhatsAppWindow
from tests.fake_twilio import FakeTwilio
from tests.sms.conftest import GREETINGS, Phone, a_number, rendered
from tests.workflows.scenarios import Scenario

TEMPLATES_FILE = Path(__file__).with_name("whatsapp_templates.json")
BOOK: dict[str, Any] = json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))
LANGUAGES = ("en", "fr", "es", "sw", "ar")
# A phone in Kilifi shares where it happened.
KILIFI = {"Latitude": "-3.630556", "Longitude": "39.849444", "Label": "Kilifi school"}


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return {**sends_to_twilio, "REMEDY_WHATSAPP_TEMPLATES": str(TEMPLATES_FILE)}


def deliver(at: datetime | None = None) -> None:
    """A worker's pass over the outbox, at ``at`` (now)."""
    moment = at or utcnow()
    settings = WorkerSettings.from_config(current_app.config)
    sender = build_sender(current_app.config)
    Worker(sender, settings, jobs=(), inbox=lambda _: 0, clock=lambda: moment).drain()


def filled(kind: str, variables: dict[str, str]) -> str:
    """The template's English wording with WhatsApp's variables put in, as a phone reads it."""
    words = kind_text(kind)
    for n, name in enumerate(kind_variables()[kind], 1):
        words = words.replace(f"%({name})s", variables.get(str(n), ""))
    return words


def rows(grievance: Grievance, template: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.grievance_id == grievance.id, OutboxMessage.template == template)
            .order_by(OutboxMessage.id)
        )
    )


@dataclass
class WhatsAppPerson:
    """A complainant who filed on WhatsApp and reads ``language``."""

    scenario: Scenario
    phone: Phone
    twilio: FakeTwilio
    language: str

    @property
    def address(self) -> str:
        return "whatsapp:" + self.phone.number

    @property
    def form(self) -> dict[str, object]:
        details = PersonDetails("Awa", self.phone.number, self.language)
        return {"complainant": details, "language": self.language, "channel": Channel.WHATSAPP}

    def wrote(self, at: datetime | None = None) -> None:
        """The person wrote on WhatsApp at ``at`` (now): the window opens."""
        record_inbound(keyring().lookup_hash(self.phone.number), at or utcnow())
        db.session.commit()

    def received(self) -> list[dict[str, Any]]:
        return self.twilio.sent_to(self.address)

    def buttons(self, name: str) -> str:
        sid: str = BOOK["buttons"][name][self.language]
        return sid

    def label(self, name: str, digit: str) -> str:
        with force_locale(self.language):
            return next(str(label) for d, label in BUTTONS[name] if d == digit)

    def press(self, name: str, digit: str) -> str:
        """Press a quick-reply button: WhatsApp posts its id and its words."""
        words = self.label(name, digit)
        return self.phone.send(words, ButtonPayload=digit, ButtonText=words)


def whatsapp_person(
    scenario: Scenario, client: FlaskClient, fake: FakeTwilio, language: str
) -> WhatsAppPerson:
    phone = Phone(client, a_number(), whatsapp=True)
    return WhatsAppPerson(scenario, phone, fake, language)


@pytest.fixture
def person(scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio) -> WhatsAppPerson:
    return whatsapp_person(scenario, client, fake_twilio, "en")


@pytest.fixture(params=LANGUAGES)
def reader(
    request: pytest.FixtureRequest,
    scenario: Scenario,
    client: FlaskClient,
    fake_twilio: FakeTwilio,
) -> WhatsAppPerson:
    return whatsapp_person(scenario, client, fake_twilio, request.param)


# The window ----------------------------------------------------------------------------------


@pytest.mark.postgres  # the window's upsert is dialect SQL
def test_the_webhook_opens_the_window_of_the_number_that_wrote(person: WhatsAppPerson) -> None:
    person.phone.send("HELLO")

    windows = db.session.scalars(
        select(WhatsAppWindow).where(WhatsAppWindow.phone_hash.in_(person.phone.hashes))
    ).all()
    assert len(windows) == 1
    assert utcnow() - windows[0].last_inbound_at < timedelta(minutes=1)


@pytest.mark.postgres  # the window's upsert is dialect SQL
def test_a_later_message_moves_the_window_and_a_closed_one_is_forgotten(
    person: WhatsAppPerson,
) -> None:
    hashes = person.phone.hashes
    person.wrote(utcnow() - timedelta(hours=30))
    person.wrote(utcnow() - timedelta(hours=40))  # older news never moves it back
    assert open_numbers([person.phone.number], utcnow()) == set()
    assert forget_closed_windows() == 1
    assert (
        db.session.scalars(
            select(WhatsAppWindow).where(WhatsAppWindow.phone_hash.in_(hashes))
        ).all()
        == []
    )

    person.wrote(utcnow() - timedelta(hours=2))
    person.wrote(utcnow() - timedelta(hours=1))

    assert open_numbers([person.phone.number], utcnow()) == {person.phone.number}
    assert forget_closed_windows() == 0
    assert "whatsapp_windows" in [job.name for job in PERIODIC_JOBS]


def test_an_sms_opens_no_window(client: FlaskClient) -> None:
    phone = Phone(client, a_number())
    phone.send("HELLO")
    assert (
        db.session.scalars(
            select(WhatsAppWindow).where(WhatsAppWindow.phone_hash.in_(phone.hashes))
        ).all()
        == []
    )


@pytest.mark.postgres  # the window's upsert is dialect SQL
def test_inside_the_window_free_text_goes(person: WhatsAppPerson) -> None:
    grievance = person.scenario.file(**person.form)
    person.wrote()

    deliver()

    (row,) = rows(grievance, "acknowledged")
    (sent,) = person.received()
    assert (sent["Body"], sent["ContentSid"]) == (row.body, None)
    assert row.status is MessageStatus.SENT


@pytest.mark.postgres  # the window's upsert is dialect SQL
def test_outside_the_window_the_template_goes_with_its_variables(person: WhatsAppPerson) -> None:
    grievance = person.scenario.file(**person.form)

    deliver()

    (row,) = rows(grievance, "acknowledged")
    (sent,) = person.received()
    assert sent["ContentSid"] == BOOK["templates"]["acknowledged"]["content"]["en"]
    assert sent["Body"] == ""
    assert sent["ContentVariables"]["1"] == display(grievance.reference)
    assert filled("acknowledged", sent["ContentVariables"]) == row.body
    assert row.status is MessageStatus.SENT


@pytest.mark.postgres  # the window's upsert is dialect SQL
def test_the_window_is_read_when_sending_not_when_queuing(person: WhatsAppPerson) -> None:
    person.wrote(utcnow() - timedelta(hours=23))
    grievance = person.scenario.file(**person.form)  # queued inside the window

    deliver(utcnow() + timedelta(hours=2))  # sent after it closed

    (sent,) = person.received()
    assert sent["ContentSid"] == BOOK["templates"]["acknowledged"]["content"]["en"]
    assert (
        filled("acknowledged", sent["ContentVariables"]) == rows(grievance, "acknowledged")[0].body
    )


def test_a_template_with_fewer_variables_numbers_its_own(person: WhatsAppPerson) -> None:
    _, (track,) = person.scenario.in_remedy(TrackKind.CAUSE, **person.form)
    person.scenario.verify(track)
    person.twilio.reset()

    deliver()

    (row,) = rows(track.grievance, "check_in")
    sid = BOOK["templates"]["check_in"]["content"]["en"]
    (sent,) = [m for m in person.received() if m["ContentSid"] == sid]
    assert BOOK["templates"]["check_in"]["variables"] == ["reference", "remedy"]
    assert sent["ContentVariables"]["1"] == display(track.grievance.reference)
    assert "Remove the fence." in sent["ContentVariables"]["2"]
    assert filled("check_in", sent["ContentVariables"]) == row.body


@pytest.mark.postgres  # the window's upsert is dialect SQL
def test_a_kind_without_a_template_goes_by_sms_outside_the_window(person: WhatsAppPerson) -> None:
    grievance = person.scenario.file(**person.form)
    intake.accept(person.scenario.handler, grievance)  # "accepted": no template registered

    deliver()

    whatsapp, sms = rows(grievance, "accepted")
    assert (whatsapp.channel, whatsapp.status, whatsapp.error_code) == (
        MessageChannel.WHATSAPP,
        MessageStatus.FAILED,
        "no-template",
    )
    assert (sms.channel, sms.status, sms.fallback_of_id) == (
        MessageChannel.SMS,
        MessageStatus.SENT,
        whatsapp.id,
    )
    assert [m["Body"] for m in person.twilio.sent_to(person.phone.number)] == [whatsapp.body]
    assert "SMS" in delivery_of(whatsapp).words  # the team sees why


@pytest.mark.postgres  # the window's upsert is dialect SQL
def test_free_text_the_provider_refuses_outside_the_window_goes_by_sms(
    person: WhatsAppPerson,
) -> None:
    """Our record said open (the person wrote), WhatsApp disagreed: 63016, then SMS."""
    person.twilio.enforce_whatsapp_window = True
    grievance = person.scenario.file(**person.form)
    person.wrote()

    deliver()

    (whatsapp,) = rows(grievance, "acknowledged")[:1]
    assert (whatsapp.status, whatsapp.error_code) == (MessageStatus.FAILED, "63016")
    assert [m["Body"] for m in person.twilio.sent_to(person.phone.number)] == [whatsapp.body]


def test_the_fake_provider_takes_free_text_inside_its_window(person: WhatsAppPerson) -> None:
    person.twilio.enforce_whatsapp_window = True
    person.twilio.open_window(person.address)
    grievance = person.scenario.file(**person.form)
    person.wrote()

    deliver()

    (row,) = rows(grievance, "acknowledged")
    assert [m["Body"] for m in person.received()] == [row.body]


@pytest.mark.postgres  # the fallback's INSERT … SELECT
class TestWithoutAnSmsSender:
    """A mechanism on WhatsApp alone: what WhatsApp cannot carry waits on the web."""

    @pytest.fixture
    def app_overrides(self, sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
        return {
            **sends_to_twilio,
            "TWILIO_FROM": "",
            "REMEDY_WHATSAPP_TEMPLATES": str(TEMPLATES_FILE),
        }

    def test_a_kind_without_a_template_is_kept_for_the_web_and_shown_to_the_team(
        self, person: WhatsAppPerson
    ) -> None:
        grievance = person.scenario.file(**person.form)
        intake.accept(person.scenario.handler, grievance)

        deliver()

        whatsapp, web = rows(grievance, "accepted")
        assert (whatsapp.status, whatsapp.error_code) == (MessageStatus.FAILED, "no-template-web")
        assert (web.channel, web.status, web.body) == (
            MessageChannel.WEB,
            MessageStatus.STORED,
            whatsapp.body,
        )
        assert "status page" in delivery_of(whatsapp).words
        assert person.twilio.sent_to(person.phone.number) == []


# Buttons -------------------------------------------------------------------------------------


def test_a_proposal_has_accept_and_decline_buttons_and_a_press_accepts(
    reader: WhatsAppPerson,
) -> None:
    _, (track,) = reader.scenario.in_remedy(TrackKind.CAUSE, **reader.form)
    reader.scenario.propose(track)
    reader.wrote()
    reader.twilio.reset()

    deliver()

    (row,) = rows(track.grievance, "remedy_proposed")
    (sent,) = [m for m in reader.received() if m["ContentSid"] == reader.buttons("accept_decline")]
    assert sent["ContentVariables"] == {"1": row.body}  # the whole message, digits and all

    reply = reader.press("accept_decline", "1")

    assert reply == rendered(sms_texts.PROPOSAL_ACCEPTED, reader.language)
    db.session.expire_all()
    assert db.session.get(InvolvementTrack, track.id).state == "implementing"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("digit", "answer"), [("1", Answer.YES), ("2", Answer.PARTLY), ("3", Answer.NO)]
)
def test_a_check_in_has_its_three_buttons_and_a_press_answers(
    scenario: Scenario, client: FlaskClient, fake_twilio: FakeTwilio, digit: str, answer: Answer
) -> None:
    for language in LANGUAGES:
        reader = whatsapp_person(scenario, client, fake_twilio, language)
        _, (track,) = scenario.in_remedy(TrackKind.CAUSE, **reader.form)
        scenario.verify(track)
        reader.wrote()
        fake_twilio.reset()
        deliver()
        (check_in,) = scenario.open_check_ins(track)
        (sent,) = [m for m in reader.received() if m["ContentSid"] == reader.buttons("check_in")]
        assert "1" in sent["ContentVariables"]

        reader.press("check_in", digit)

        db.session.expire_all()
        assert check_in.response is not None, language
        assert check_in.response.answer is answer, language


def test_the_conversation_asks_with_buttons_and_a_location_answers_where(
    reader: WhatsAppPerson,
) -> None:
    phone = reader.phone
    phone.send(GREETINGS[reader.language])
    phone.send("The fence blocks the path to the well.")
    assert phone.send("0") == rendered(sms_texts.WHERE, reader.language)

    identity = phone.send("", **KILIFI)  # a shared location, no text

    assert identity == rendered(sms_texts.IDENTITY, reader.language)
    deliver()
    asked = [m for m in reader.received() if m["ContentSid"]]
    assert [(m["ContentSid"], m["ContentVariables"]) for m in asked] == [
        (reader.buttons("yes_no"), {"1": identity})
    ]
    assert reader.press("yes_no", "1") == rendered(sms_texts.REPRISAL, reader.language)
    assert reader.press("yes_no", "2") == rendered(sms_texts.CONTACT, reader.language)
    reader.press("yes_no", "1")

    (grievance,) = phone.grievances()
    assert grievance.location == "Kilifi school (-3.63056, 39.84944)"
    assert (grievance.identity_withheld, grievance.contact_consent) == (False, True)
    stored = db.session.execute(
        text("SELECT location FROM grievances WHERE id = :id"), {"id": grievance.id}
    ).scalar()
    assert b"39.84944" not in bytes(stored)  # kept encrypted like a typed place


def test_the_language_menu_is_a_list_and_a_choice_sets_the_language(
    reader: WhatsAppPerson,
) -> None:
    phone = reader.phone
    menu = phone.send("5")  # nothing open, no greeting: which language?
    deliver()

    (sent,) = reader.received()
    default = settings().default_language
    assert sent["ContentSid"] == BOOK["buttons"]["language"][default]
    assert sent["ContentVariables"] == {"1": menu}

    number = str(LANGUAGES.index(reader.language) + 1)
    name = list(settings().languages.values())[int(number) - 1]
    reply = phone.send(name, ListId=number, ListTitle=name)

    assert reply == rendered(sms_texts.WHAT_HAPPENED, reader.language)


def test_digits_still_answer_with_buttons_configured(reader: WhatsAppPerson) -> None:
    _, (track,) = reader.scenario.in_remedy(TrackKind.CAUSE, **reader.form)
    reader.scenario.propose(track)

    reader.phone.send("2")

    db.session.expire_all()
    assert reader.phone.send("Too little.") == rendered(
        sms_texts.PROPOSAL_DECLINED, reader.language
    )
