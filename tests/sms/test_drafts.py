"""Drafts people can come back to: one reminder before a silent draft expires, and after
expiry "1 go on, 2 start again" with nothing of what they told lost."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.messaging import sms_texts
from remedy.messaging.senders import build_sender
from remedy.messaging.worker import Worker
from remedy.messaging.worker_settings import WorkerSettings
from remedy.models import Person
from remedy.models.outbox_message import OutboxMessage
from remedy.models.types import utcnow
from remedy.sms.drafts import unfinished_drafts
from remedy.sms.upkeep import expire_idle_conversations, periodic, remind_silent_drafts
from tests.fake_twilio import FakeTwilio
from tests.sms.conftest import (
    GREETINGS,
    PUBLIC_URL,
    Phone,
    a_number,
    file_by_phone,
    not_replies,
    rendered,
)

LANGUAGES = ["en", "fr", "es", "sw", "ar"]
STORY = "The new fence blocks the path to the well."


@pytest.fixture
def app_overrides(fake_twilio: FakeTwilio) -> dict[str, Any]:
    return {**fake_twilio.settings(), "REMEDY_PUBLIC_URL": PUBLIC_URL, "REMEDY_SEND_RATE": 0}


def deliver(app: Flask) -> None:
    Worker(build_sender(app.config), WorkerSettings.from_config(app.config), jobs=()).drain()


def hours_later(hours: float) -> datetime:
    return utcnow() + timedelta(hours=hours)


def begin_draft(phone: Phone, language: str = "en", *parts: str) -> None:
    phone.send(GREETINGS[language])
    for part in parts or (STORY,):
        phone.send(part)


def fall_silent(phone: Phone, hours: float) -> None:
    """As if the number's last message came ``hours`` ago."""
    for conversation in phone.conversations():
        conversation.last_message_at -= timedelta(hours=hours)
        if conversation.ended_at is not None:
            conversation.ended_at -= timedelta(hours=hours)
        if conversation.reminded_at is not None:
            conversation.reminded_at -= timedelta(hours=hours)
    db.session.commit()


def expire(phone: Phone, days_ago: float = 0) -> None:
    fall_silent(phone, 25)
    assert expire_idle_conversations() == 1
    fall_silent(phone, days_ago * 24)


class TestReminder:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_a_silent_draft_gets_one_reminder_in_its_language_before_it_expires(
        self, app: Flask, phone: Phone, fake_twilio: FakeTwilio, language: str
    ) -> None:
        begin_draft(phone, language)
        assert remind_silent_drafts(hours_later(19)) == 0  # 20 hours of silence first
        assert remind_silent_drafts(hours_later(21)) == 1
        assert remind_silent_drafts(hours_later(22)) == 0  # once, however often the job runs
        deliver(app)
        (sent,) = not_replies(fake_twilio.sent_to(phone.number))
        assert sent["Body"] == rendered(sms_texts.DRAFT_REMINDER, language)
        # The reminder does not end or move the conversation.
        conversation = phone.open_conversation()
        assert conversation is not None
        assert conversation.state == "what_happened"

    def test_a_whatsapp_draft_is_reminded_on_whatsapp(
        self, app: Flask, new_phone: Any, fake_twilio: FakeTwilio
    ) -> None:
        phone: Phone = new_phone(whatsapp=True)
        begin_draft(phone)
        assert remind_silent_drafts(hours_later(21)) == 1
        deliver(app)
        assert len(not_replies(fake_twilio.sent_to(f"whatsapp:{phone.number}"))) == 1

    def test_going_on_after_a_reminder_earns_a_new_one_for_the_next_silence(
        self, phone: Phone
    ) -> None:
        begin_draft(phone)
        assert remind_silent_drafts(hours_later(21)) == 1
        fall_silent(phone, 21)
        phone.send("The water is brown too.")
        assert remind_silent_drafts(hours_later(1)) == 0
        assert remind_silent_drafts(hours_later(21)) == 1

    def test_no_reminder_to_a_number_that_opted_out(self, phone: Phone) -> None:
        file_by_phone(phone)
        phone.send("Another problem: the road is blocked by rocks.")
        person = db.session.scalar(select(Person).where(Person.phone_hash.in_(phone.hashes)))
        assert person is not None
        person.phone_opted_out_at = utcnow()  # the provider reported 21610
        db.session.commit()
        assert remind_silent_drafts(hours_later(21)) == 0
        assert (
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == "draft_reminder")
            ).all()
            == []
        )

    def test_no_reminder_for_a_draft_that_told_nothing_yet(self, phone: Phone) -> None:
        phone.send("HELLO")
        assert remind_silent_drafts(hours_later(21)) == 0

    def test_the_worker_job_reminds_then_expires(self, phone: Phone) -> None:
        begin_draft(phone)
        assert periodic(hours_later(21))[:2] == (1, 0)
        assert periodic(hours_later(25))[:2] == (0, 1)


class TestComingBack:
    @pytest.mark.parametrize("language", LANGUAGES)
    def test_after_expiry_the_next_message_is_offered_the_draft_and_1_goes_on_where_it_stopped(
        self, phone: Phone, language: str
    ) -> None:
        begin_draft(phone, language, STORY, "0", "Kilifi")
        expire(phone, days_ago=3)
        assert phone.send(GREETINGS[language]) == rendered(sms_texts.RESUME_OFFER, language)
        assert phone.send("1") == rendered(sms_texts.IDENTITY, language)
        (conversation,) = phone.conversations()  # the same draft, reopened
        assert conversation.open_key is not None
        assert (conversation.state, conversation.description, conversation.location) == (
            "identity",
            STORY,
            "Kilifi",
        )
        phone.send("1")
        phone.send("2")
        phone.send("1")
        (grievance,) = phone.grievances()
        assert grievance.description == STORY

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_2_starts_again_and_keeps_the_old_draft_for_the_team(
        self, phone: Phone, language: str
    ) -> None:
        begin_draft(phone, language)
        fall_silent(phone, 25)  # expired by the next message itself, before the job ran
        phone.send(GREETINGS[language])
        assert phone.send("2") == rendered(sms_texts.WHAT_HAPPENED, language)
        old, new = phone.conversations()
        assert (old.state, old.description, old.open_key) == ("restarted", STORY, None)
        assert (new.state, new.language, new.description) == ("what_happened", language, None)
        assert old in unfinished_drafts()

    def test_a_story_sent_after_expiry_joins_the_draft_the_person_chooses(
        self, phone: Phone
    ) -> None:
        begin_draft(phone)
        expire(phone)
        assert phone.send("Now they cut the trees as well.") == rendered(
            sms_texts.RESUME_OFFER, "en"
        )
        assert phone.send("1") == rendered(sms_texts.MORE, "en")
        (conversation,) = phone.conversations()
        assert conversation.description == f"{STORY}\nNow they cut the trees as well."

        second = Phone(phone.client, a_number())
        begin_draft(second)
        expire(second)
        second.send("Now they cut the trees as well.")
        assert second.send("2") == rendered(sms_texts.MORE, "en")
        old, new = second.conversations()
        assert (old.description, new.description) == (STORY, "Now they cut the trees as well.")

    def test_another_answer_asks_again_and_keeps_what_it_told(self, phone: Phone) -> None:
        begin_draft(phone)
        expire(phone)
        phone.send("hello")
        again = " ".join(
            [rendered(sms_texts.NOT_UNDERSTOOD, "en"), rendered(sms_texts.RESUME_OFFER, "en")]
        )
        assert phone.send("The trucks came back at night.") == again
        assert phone.send("3") == again
        # Silent again: the draft expires with what it was told meanwhile.
        expire(phone)
        (conversation,) = phone.conversations()
        assert conversation.state == "expired"
        assert conversation.description == f"{STORY}\nThe trucks came back at night."

    def test_lang_during_the_offer_goes_on_with_the_draft(self, phone: Phone) -> None:
        begin_draft(phone, "en", STORY, "0")
        expire(phone)
        phone.send("HELLO")
        assert phone.send("LANG 2") == rendered(sms_texts.WHERE, "fr")
        (conversation,) = phone.conversations()
        assert (conversation.state, conversation.language) == ("where", "fr")

    @pytest.mark.parametrize(
        ("how", "offered"),
        [
            ("stop", False),  # STOP ended it: the person chose to leave
            ("week_old", False),  # expired more than 7 days ago
            ("told_nothing", False),  # nothing to go on with
            ("filed_since", False),  # a later conversation filed a case
            ("expired", True),
        ],
    )
    def test_only_a_recent_draft_that_expired_with_something_told_is_offered(
        self, phone: Phone, how: str, offered: bool
    ) -> None:
        if how == "stop":
            begin_draft(phone)
            phone.send("STOP")
            phone.send("START")
            fall_silent(phone, 25)
        elif how == "told_nothing":
            phone.send("HELLO")
            expire(phone)
        elif how == "filed_since":
            begin_draft(phone)
            expire(phone)
            phone.send("HELLO")
            phone.send("2")
            phone.send(STORY)
            phone.send("0")
            phone.send("Voi")
            phone.send("1")
            phone.send("1")
        else:
            begin_draft(phone)
            expire(phone, days_ago=8 if how == "week_old" else 6)
        reply = phone.send("HELLO")
        assert (reply == rendered(sms_texts.RESUME_OFFER, "en")) is offered
