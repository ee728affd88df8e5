"""Keywords in five languages, and STOP/START mirrored on the person (also when Twilio's
``OptOutType`` says so), so that nobody who opted out is sent an SMS."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.messaging import sms_texts
from remedy.models import AuditEvent, Person
from remedy.models.outbox_message import MessageChannel, OutboxMessage
from remedy.sms.keywords import (
    KEYWORDS,
    Keyword,
    fold,
    greeting_language,
    parse_command,
    primary,
    yes_no,
)
from tests.sms.conftest import NOT_A_REPLY, Phone, file_by_phone, rendered
from tests.workflows.scenarios import Scenario


class TestMatching:
    @pytest.mark.parametrize("keyword", list(Keyword))
    @pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
    def test_every_word_of_every_language_is_recognised(
        self, keyword: Keyword, language: str
    ) -> None:
        for word in KEYWORDS[keyword][language]:
            for typed in (word, word.lower(), f"  {word.title()}! "):
                command = parse_command(typed)
                assert command is not None, typed
                assert command.keyword is keyword

    @pytest.mark.parametrize(
        ("typed", "keyword"),
        [
            ("ARRÊT", Keyword.STOP),
            ("arret", Keyword.STOP),
            ("Ayuda.", Keyword.HELP),
            ("حالة 1234 5678 123456", Keyword.STATUS),
            ("حاله 1234 5678 123456", Keyword.STATUS),  # taa marbuta typed as haa
            ("ÉTAT 12345678 123456", Keyword.STATUS),
            ("lugha 2", Keyword.LANG),
        ],
    )
    def test_accents_variants_and_arguments(self, typed: str, keyword: Keyword) -> None:
        command = parse_command(typed)
        assert command is not None
        assert command.keyword is keyword

    @pytest.mark.parametrize(
        "typed",
        [
            "please stop the trucks",
            "help us, the river is dirty",
            "they started the machines at night",
            "status of the road is bad",  # STATUS leads, but is followed by words: still STATUS
        ],
    )
    def test_opt_out_words_inside_a_story_stop_nothing(self, typed: str) -> None:
        command = parse_command(typed)
        assert command is None or command.keyword is Keyword.STATUS

    def test_greetings_choose_their_language(self) -> None:
        assert greeting_language("HABARI") == "sw"
        assert greeting_language("bonjour !") == "fr"
        assert greeting_language("Hola") == "es"
        assert greeting_language("مرحبا") == "ar"
        assert greeting_language("مرحباً") == "ar"  # with tanween
        assert greeting_language("Hello") == "en"
        assert greeting_language("Hello, the fence is broken") is None

    def test_yes_and_no_in_words_or_numbers(self) -> None:
        assert [yes_no(t) for t in ("1", "١", "yes", "Oui", "sí", "ndiyo", "نعم")] == [True] * 7
        assert [yes_no(t) for t in ("2", "٢", "no", "NON", "hapana", "لا")] == [False] * 6
        assert [yes_no(t) for t in ("3", "", "maybe", "12")] == [None] * 4

    @given(st.text(max_size=200))
    def test_folding_is_idempotent_and_never_fails(self, text: str) -> None:
        once = fold(text)
        assert fold(once) == once
        parse_command(text)  # never raises


class TestHelp:
    @pytest.mark.parametrize(
        ("word", "language"),
        [("HELP", "en"), ("AIDE", "fr"), ("AYUDA", "es"), ("MSAADA", "sw"), ("مساعدة", "ar")],
    )
    def test_help_answers_in_the_language_of_its_word(
        self, phone: Phone, word: str, language: str
    ) -> None:
        reply = phone.send(word)
        assert reply == rendered(
            sms_texts.HELP,
            language,
            status=primary(Keyword.STATUS, language),
            lang=primary(Keyword.LANG, language),
            stop=primary(Keyword.STOP, language),
        )

    def test_twilio_help_opt_out_type_is_help(self, phone: Phone) -> None:
        reply = phone.send("INFO", OptOutType="HELP")
        assert reply.startswith(
            rendered(sms_texts.HELP, "en", status="STATUS", lang="LANG", stop="STOP")[:20]
        )


def person_of(phone: Phone) -> Person | None:
    db.session.expire_all()
    return db.session.scalar(select(Person).where(Person.phone_hash.in_(phone.hashes)))


class TestOptOut:
    def test_stop_is_mirrored_on_the_person_and_start_undoes_it(self, phone: Phone) -> None:
        file_by_phone(phone, "fr")
        assert phone.send("ARRET") == rendered(sms_texts.STOPPED, "fr", start="REPRENDRE")
        person = person_of(phone)
        assert person is not None
        assert person.phone_opted_out_at is not None
        assert phone.send("REPRENDRE") == rendered(sms_texts.STARTED, "fr", help="AIDE")
        person = person_of(phone)
        assert person is not None
        assert person.phone_opted_out_at is None
        actions = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject_type == "person")
            .order_by(AuditEvent.seq)
        ).all()
        assert actions == ["person.opt_out", "person.opt_in"]

    def test_twilio_opt_out_type_counts_whatever_the_words(self, phone: Phone) -> None:
        file_by_phone(phone)
        # Twilio acted on it and confirmed it: nothing to answer.
        assert phone.send("UNSUBSCRIBE please", OptOutType="STOP") == ""
        person = person_of(phone)
        assert person is not None
        assert person.phone_opted_out_at is not None
        assert phone.send("Another thing happened at the gate.") == ""  # kept, unseen
        # Twilio's opt-in words include "yes": mirrored, and the message still counts.
        assert phone.send("yes", OptOutType="START") != ""
        person = person_of(phone)
        assert person is not None
        assert person.phone_opted_out_at is None

    def test_stop_from_an_unknown_number_is_remembered_for_later(self, phone: Phone) -> None:
        phone.send("STOP")
        person = person_of(phone)
        assert person is not None
        assert person.phone_opted_out_at is not None
        assert person.name is None

    def test_stop_ends_a_conversation_and_keeps_its_draft(self, phone: Phone) -> None:
        phone.send("HOLA")
        phone.send("Nos quitaron la tierra.")
        phone.send("BAJA")
        (conversation,) = phone.conversations()
        assert conversation.state == "stopped"
        assert conversation.description == "Nos quitaron la tierra."

    def test_nobody_who_opted_out_is_sent_an_sms(self, phone: Phone, scenario: Scenario) -> None:
        filed = file_by_phone(phone)
        phone.send("STOP")
        intake.accept(scenario.handler, filed.grievance)
        messages = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.grievance_id == filed.grievance.id, NOT_A_REPLY)
            .order_by(OutboxMessage.id)
        ).all()
        assert [(m.template, m.channel) for m in messages] == [
            ("acknowledged", MessageChannel.SMS),  # before STOP
            ("accepted", MessageChannel.WEB),  # after: waits on the web status page
        ]
        phone.send("START")
        intake.find_no_involvement(scenario.handler, filed.grievance, "Not ours.", scenario.court())
        last = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.grievance_id == filed.grievance.id, NOT_A_REPLY)
            .order_by(OutboxMessage.id.desc())
            .limit(2)
        ).all()
        assert [(m.template, m.channel) for m in reversed(last)] == [
            ("no_involvement", MessageChannel.SMS),
            ("fairness", MessageChannel.SMS),  # the case is over: how fair was it
        ]


def test_keyword_replies_never_change_a_draft(phone: Phone) -> None:
    phone.send("HELLO")
    phone.send("Dust everywhere.")
    phone.send("HELP")
    phone.send("STATUS")
    conversation = phone.open_conversation()
    assert conversation is not None
    assert (conversation.state, conversation.description) == ("what_happened", "Dust everywhere.")
