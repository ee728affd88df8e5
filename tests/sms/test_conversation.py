"""The filing conversation, message by message, in all five languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask_babel import LazyString
from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.core.passwords import verify_secret
from remedy.core.references import display, is_valid
from remedy.messaging import sms_texts
from remedy.models import AuditEvent, Channel, Grievance, GrievancePerson, Person, PersonRole
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from remedy.sms.keywords import Keyword, primary
from remedy.sms.upkeep import expire_idle_conversations
from tests.sms.conftest import GREETINGS, NOT_A_REPLY, Phone, file_by_phone, rendered

LANGUAGES = ["en", "fr", "es", "sw", "ar"]
STORIES = {
    "en": ("The company fenced the river.", "Our cattle cannot drink."),
    "fr": ("L'entreprise a clôturé la rivière.", "Nos vaches ne peuvent plus boire."),
    "es": ("La empresa cercó el río.", "Nuestro ganado no puede beber."),
    "sw": ("Kampuni imeziba mto.", "Ng'ombe wetu hawawezi kunywa maji."),
    "ar": ("أغلقت الشركة النهر بسياج.", "ماشيتنا لا تستطيع الشرب."),
}


def said(text: LazyString, language: str, **values: object) -> str:
    return rendered(text, language, **values)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_greeting_skips_the_menu_and_the_last_answer_files_the_grievance(
    phone: Phone, language: str
) -> None:
    assert phone.send(GREETINGS[language]) == said(sms_texts.WHAT_HAPPENED, language)
    first, second = STORIES[language]
    assert phone.send(first) == said(sms_texts.MORE, language)
    assert phone.send(second) == said(sms_texts.MORE, language)
    assert phone.send("0") == said(sms_texts.WHERE, language)
    assert phone.send("Kilifi") == said(sms_texts.IDENTITY, language)
    assert phone.send("2") == said(sms_texts.REPRISAL, language)
    assert phone.send("2") == said(sms_texts.CONTACT, language)
    reply = phone.send("1")

    (grievance,) = phone.grievances()
    assert grievance.channel is Channel.SMS
    assert grievance.language == language
    assert grievance.description == f"{first}\n{second}"
    assert grievance.location == "Kilifi"
    assert grievance.identity_withheld is True
    assert grievance.discreet_messages is True  # withheld identity: discreet by default
    assert grievance.contact_consent is True
    assert grievance.state == "screening"  # acknowledged as it was filed
    (link,) = grievance.people
    assert link.role is PersonRole.COMPLAINANT
    assert link.person.phone == phone.number
    assert link.person.language == language

    reference = display(grievance.reference)
    assert reference in reply
    pin = reply.split(reference, 1)[1]
    pin_digits = "".join(ch for ch in pin if ch.isdigit())[:6]
    assert verify_secret(grievance.pin_hash, pin_digits)
    status = primary(Keyword.STATUS, language)
    assert reply == said(
        sms_texts.FILED, language, reference=reference, pin=pin_digits, status=status
    )
    assert phone.open_conversation() is None


@pytest.mark.parametrize(("choice", "language"), list(zip("12345", LANGUAGES, strict=True)))
def test_without_a_greeting_the_language_menu_comes_first(
    phone: Phone, choice: str, language: str
) -> None:
    menu = phone.send("hi there")
    assert menu.splitlines()[1:] == [
        "1 English",
        "2 Français",
        "3 Español",
        "4 Kiswahili",
        "5 العربية",
    ]
    assert phone.send(choice) == said(sms_texts.WHAT_HAPPENED, language)
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.language == language
    assert conversation.state == "what_happened"


def test_a_first_message_that_tells_something_is_kept_as_the_start_of_the_story(
    phone: Phone,
) -> None:
    phone.send("The mine trucks broke our water pipe last night")
    phone.send("And the driver shouted at us")  # not a language: kept, the menu again
    phone.send("1")
    phone.send("Now we have no water.")
    phone.send("0")
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.description == (
        "The mine trucks broke our water pipe last night\n"
        "And the driver shouted at us\nNow we have no water."
    )


def test_the_menu_takes_a_number_in_any_digits_a_code_or_a_name(new_phone: object) -> None:
    for answer, language in [("٣", "es"), ("Kiswahili", "sw"), (" fr ", "fr"), ("ARABIC", "ar")]:
        phone: Phone = new_phone()  # type: ignore[operator]
        phone.send("?")
        phone.send(answer)
        conversation = phone.open_conversation()
        assert conversation is not None
        assert conversation.language == language, answer


def test_invalid_answers_re_ask_briefly_and_change_nothing(phone: Phone) -> None:
    menu = phone.send("?")
    again = phone.send("9")
    assert again.startswith(said(sms_texts.NOT_UNDERSTOOD, "en"))
    assert again.endswith(menu.split("\n", 1)[1])
    phone.send("1")
    assert phone.send("0") == said(sms_texts.NOTHING_YET, "en")
    phone.send("Dust from the quarry covers our houses.")
    phone.send("0")
    assert phone.send("") == " ".join(
        [said(sms_texts.NOT_UNDERSTOOD, "en"), said(sms_texts.WHERE, "en")]
    )
    phone.send("Mombasa road")
    assert phone.send("maybe") == " ".join(
        [said(sms_texts.NOT_UNDERSTOOD, "en"), said(sms_texts.IDENTITY, "en")]
    )
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.state == "identity"
    assert conversation.identity_withheld is None
    assert phone.send("yes") == said(sms_texts.REPRISAL, "en")  # the word works as well as 1
    assert phone.send("perhaps") == " ".join(
        [said(sms_texts.NOT_UNDERSTOOD, "en"), said(sms_texts.REPRISAL, "en")]
    )
    assert phone.send("no") == said(sms_texts.CONTACT, "en")
    assert phone.send("3") == " ".join(
        [said(sms_texts.NOT_UNDERSTOOD, "en"), said(sms_texts.CONTACT, "en")]
    )
    assert phone.grievances() == []


def test_the_conversation_resumes_where_it_stopped(client: object, phone: Phone) -> None:
    phone.send("HABARI")
    phone.send("Maji yamechafuka.")
    # Later, from the same number: the draft is there, the next message goes on with it.
    phone.send("Samaki wamekufa.")
    phone.send("0")
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.state == "where"
    assert conversation.description == "Maji yamechafuka.\nSamaki wamekufa."


def test_lang_changes_the_language_and_comes_back_to_the_same_question(phone: Phone) -> None:
    phone.send("HELLO")
    phone.send("The lorries drive through the market.")
    phone.send("0")
    assert phone.send("LANG").splitlines()[0] == said(sms_texts.LANGUAGE_MENU, "en")
    assert phone.send("2") == said(sms_texts.WHERE, "fr")
    conversation = phone.open_conversation()
    assert conversation is not None
    assert (conversation.state, conversation.language) == ("where", "fr")
    assert conversation.description == "The lorries drive through the market."
    # In a language's own word, with the choice given at once.
    assert phone.send("IDIOMA 3") == said(sms_texts.WHERE, "es")


def test_a_number_heard_before_keeps_its_language(phone: Phone) -> None:
    filed = file_by_phone(phone, "fr")
    # The number has an open case: about it, or a new complaint?
    assert phone.send("Encore un problème avec la clôture ici") == said(
        sms_texts.WHICH_CASE, "fr", reference=display(filed.reference)
    )
    assert phone.send("2") == said(sms_texts.MORE, "fr")
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.language == "fr"


def test_whatsapp_files_a_whatsapp_grievance_and_is_answered_there(new_phone: object) -> None:
    phone: Phone = new_phone(whatsapp=True)  # type: ignore[operator]
    filed = file_by_phone(phone, "en")
    assert filed.grievance.channel is Channel.WHATSAPP
    (acknowledgement,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.grievance_id == filed.grievance.id, NOT_A_REPLY)
    ).all()
    assert acknowledgement.channel is MessageChannel.WHATSAPP
    assert acknowledgement.address == phone.number


def test_filing_queues_the_acknowledgement_and_says_nothing_else_in_the_request(
    phone: Phone,
) -> None:
    filed = file_by_phone(phone, "sw", identity="1", contact="1")
    assert is_valid(filed.reference)
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.grievance_id == filed.grievance.id, NOT_A_REPLY)
    ).all()
    assert [(m.template, m.channel, m.status, m.language) for m in messages] == [
        ("acknowledged", MessageChannel.SMS, MessageStatus.PENDING, "sw")
    ]
    assert filed.pin not in messages[0].body


def test_no_contact_consent_means_no_sms_later(phone: Phone) -> None:
    filed = file_by_phone(phone, "en", contact="2")
    assert filed.grievance.contact_consent is False
    (message,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.grievance_id == filed.grievance.id, NOT_A_REPLY)
    ).all()
    assert message.channel is MessageChannel.WEB


def test_the_filing_reply_shows_its_pin_to_the_phone_alone_and_forgets_it_once_sent(
    phone: Phone,
) -> None:
    from remedy.models.types import utcnow
    from remedy.sms.upkeep import forget_pins

    filed = file_by_phone(phone)
    (reply,) = db.session.scalars(
        select(OutboxMessage)
        .where(~NOT_A_REPLY, OutboxMessage.body.is_not(None))
        .where(OutboxMessage.template == "sms_reply_pin")
    ).all()
    assert filed.pin in reply.body
    assert filed.pin not in reply.body_for_staff
    assert forget_pins(utcnow() + timedelta(hours=2)) == 0  # not sent yet: kept whole
    reply.status = MessageStatus.SENT
    db.session.commit()
    assert forget_pins(utcnow()) == 0
    assert forget_pins(utcnow() + timedelta(hours=2)) == 1
    db.session.refresh(reply)
    assert filed.pin not in reply.body
    assert display(filed.grievance.reference) in reply.body
    assert "******" in reply.body
    assert all(message.reply is None for message in phone.inbound())


class TestExpiry:
    """Silence for a day ends the conversation; the draft stays for the team."""

    def test_the_worker_expires_an_idle_conversation_and_keeps_its_draft(
        self, app: Flask, phone: Phone
    ) -> None:
        from remedy.models.types import utcnow

        phone.send("HOLA")
        phone.send("Cortaron el agua del pueblo.")
        assert expire_idle_conversations(utcnow() + timedelta(hours=23)) == 0
        assert expire_idle_conversations(utcnow() + timedelta(hours=25)) == 1
        (conversation,) = phone.conversations()
        assert conversation.state == "expired"
        assert conversation.ended_at is not None
        assert conversation.description == "Cortaron el agua del pueblo."
        assert conversation.grievance_id is None


def test_the_story_cannot_grow_past_the_grievance_limit(phone: Phone) -> None:
    phone.send("HELLO")
    part = "x" * 1600
    for _ in range(6):
        phone.send(part)
    reply = phone.send(part)
    assert reply == said(sms_texts.STORY_FULL, "en")
    conversation = phone.open_conversation()
    assert conversation is not None
    assert conversation.description is not None
    assert len(conversation.description) <= 10_000
    phone.send("0")
    phone.send("Voi")
    phone.send("1")
    phone.send("2")
    phone.send("1")
    (grievance,) = phone.grievances()
    assert len(grievance.description) == len(conversation.description)


def test_conversation_steps_leave_no_personal_data_in_the_audit_log(phone: Phone) -> None:
    filed = file_by_phone(phone, story=("Secret words about the manager Jomo.",))
    events = db.session.scalars(select(AuditEvent)).all()
    for event in events:
        text = f"{event.before} {event.after} {event.subject_id}"
        assert "Jomo" not in text
        assert phone.number not in text
        assert filed.pin not in text


def test_one_number_files_several_grievances_as_one_person(phone: Phone) -> None:
    file_by_phone(phone)
    phone.send("Another problem: the road is blocked by rocks.")
    phone.send("2")  # a new complaint, not about the first case
    phone.send("0")
    phone.send("Voi")
    phone.send("2")
    phone.send("2")
    phone.send("1")
    assert len(phone.grievances()) == 2
    people = db.session.scalar(
        select(func.count()).select_from(Person).where(Person.phone_hash.in_(phone.hashes))
    )
    assert people == 1
    assert db.session.scalar(select(func.count()).select_from(GrievancePerson)) == 2
    assert db.session.scalar(select(func.count()).select_from(Grievance)) == 2
