"""The SMS and WhatsApp conversation: one inbound message in, one short reply out.

The SMS channel (Twilio's webhook) and the console's simulator both call
:func:`receive`. Each message is handled in one unit of work:

1. Its ``MessageSid`` is recorded under a unique constraint, with its reply, in
   the same unit of work as everything the message does. A retried webhook finds
   it and gets the stored reply back, changing nothing. When the same message
   arrives twice at once, the second to write fails on the constraint, all it did
   is rolled back, and it answers with the first one's reply. (STATUS records the
   message before it checks the PIN, because counting a wrong PIN commits at once.)
2. Keywords come first, in any of the five languages (HELP, STATUS <reference>
   <PIN>, STOP, START, LANG; Twilio's ``OptOutType`` counts as the keyword it
   names). STOP and START are mirrored on the person.
3. A bare 1, 2 or 3 answers the person's open check-in, unless the conversation
   is at a numbered menu.
4. With no conversation under way, a message (not a greeting) from the number of
   someone whose case waits for their answer (``awaiting_complainant``), asked by
   SMS (not in discreet mode), is that answer: it is added to the case, as on the
   web, and nothing about the case is said back.
5. Anything else moves the filing conversation (``remedy.workflows.conversation``)
   on by one question; the last answer files the grievance through
   ``submit_grievance`` and the reply gives the reference and PIN.

Nothing about a case is told to a number that has not given its PIN in the
message that asks (STATUS), except the reference and PIN of a case the
conversation itself just filed. A conversation left silent for a day expires;
STOP ends it; either way its draft stays for the team.
"""

from __future__ import annotations

import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from flask import current_app
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from remedy.access.case_access import NOT_FOUND_MESSAGE, CaseNotFound, TooManyAttempts, open_case
from remedy.audit import log as audit
from remedy.cases.status import case_status
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import ConflictError, InvalidInput, ServiceError
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.core.unit_of_work import atomic
from remedy.filing.grievances import (
    ATTACHMENT_TYPES,
    MAX_DESCRIPTION_LENGTH,
    MAX_LOCATION_LENGTH,
    GrievanceForm,
    PersonDetails,
    submit_grievance,
)
from remedy.identity.people import normalise_phone, register_person
from remedy.messaging import sms_texts
from remedy.models.check_in import Answer, CheckIn, CheckInResponse
from remedy.models.conversation import Conversation
from remedy.models.grievance import Channel, Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.inbound_message import InboundMedia, InboundMessage
from remedy.models.person import Person
from remedy.models.types import keyring, utcnow
from remedy.sms.keywords import (
    Command,
    Keyword,
    choice,
    digits,
    fold,
    greeting_language,
    language_choice,
    parse_command,
    primary,
    yes_no,
)
from remedy.workflows.conversation import CONVERSATION

PHONE_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP})
# Twilio takes at most 1,600 characters in one message: anything longer is not a phone's.
MAX_MESSAGE = 1600
MAX_MEDIA = 10
MAX_SID = 64
# Photos, voice notes and documents; not video, which rarely fits what a phone may send.
MEDIA_TYPES = frozenset(
    kind
    for kind in ATTACHMENT_TYPES
    if kind.startswith(("image/", "audio/")) or kind == "application/pdf"
)
# A first message of fewer words is a greeting, not the start of a story.
STORY_MIN_WORDS = 3
# How long a copy of a message waits for the first one's reply before giving up.
REPLAY_WAIT_SECONDS = 10.0
ATTEMPTS = 10
PIN_IN_REPLY = re.compile(r"(?<!\d)\d{6}(?!\d)")
# How long a reply that gives a PIN is kept whole for Twilio's retries.
PIN_REPLY_KEPT = timedelta(hours=1)

QUESTION_TEXT: dict[str, LazyString] = {
    "what_happened": sms_texts.WHAT_HAPPENED,
    "where": sms_texts.WHERE,
    "identity": sms_texts.IDENTITY,
    "contact": sms_texts.CONTACT,
}
ANSWERS = {1: Answer.YES, 2: Answer.PARTLY, 3: Answer.NO}
NUMBERED_STATES = frozenset({"language", "identity", "contact"})


@dataclass(frozen=True)
class MediaItem:
    url: str
    content_type: str

    @property
    def kind(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


@dataclass(frozen=True)
class InboundText:
    """One message as the channel received it."""

    message_sid: str
    sender: str  # the phone number, with or without Twilio's "whatsapp:" prefix
    channel: Channel
    body: str = ""
    media: tuple[MediaItem, ...] = ()
    # Twilio's OptOutType: "STOP", "START" or "HELP" when its opt-out words matched.
    opt_out: str | None = None


@dataclass(frozen=True)
class Handled:
    reply: str
    # True when this MessageSid had been handled already: the stored reply, nothing done.
    repeated: bool = False
    conversation_id: int | None = None


@contextmanager
def autoflush() -> Iterator[None]:
    """Services called from a turn work as everywhere else: queries see pending changes."""
    session = db.session()
    before, session.autoflush = session.autoflush, True
    try:
        yield
    finally:
        session.autoflush = before


def allowed(service_call: Callable[[], object]) -> bool:
    """Run a service on the complainant's behalf in a savepoint; False, with nothing of it
    left behind, when the service refuses (the message is then handled as an ordinary one)."""
    try:
        with autoflush(), db.session.begin_nested():
            service_call()
    except ServiceError:
        return False
    return True


class _Duplicate(Exception):
    """The message was recorded by another request first."""


def expiry() -> timedelta:
    hours: int = current_app.config["REMEDY_CONVERSATION_HOURS"]
    return timedelta(hours=hours)


def clean_text(text: str) -> str:
    """Text safe to keep: broken UTF-16 halves replaced, control characters dropped."""
    kept = []
    for char in text:
        if "\ud800" <= char <= "\udfff":
            kept.append("\ufffd")
        elif char in "\n\t" or unicodedata.category(char) != "Cc":
            kept.append(char)
    return "".join(kept).strip()


def phone_hashes(e164: str) -> list[str]:
    return keyring().lookup_hashes(e164)


def validate(message: InboundText) -> tuple[str, str]:
    """The message's E.164 number and cleaned body; InvalidInput for what no phone sends."""
    sid = message.message_sid.strip()
    if not sid or len(sid) > MAX_SID or not sid.isascii() or not sid.isprintable():
        raise InvalidInput(_("This message has no usable identifier."), "MessageSid")
    if message.channel not in PHONE_CHANNELS:
        raise InvalidInput(_("This channel does not take text messages."), "channel")
    if len(message.media) > MAX_MEDIA:
        raise InvalidInput(_("Too many files in one message."), "NumMedia")
    return normalise_phone(message.sender), clean_text(message.body)


def receive(message: InboundText) -> Handled:
    """Handle one inbound message and return the reply; the same MessageSid, the same reply."""
    e164, body = validate(message)
    sid = message.message_sid.strip()
    # No look-up first: a copy does the work again and fails on the MessageSid when it
    # writes, which rolls it all back. Copies are rare; a look-up would cost every message.
    for attempt in range(ATTEMPTS):
        try:
            return _handle(message, sid, e164, body)
        except _Duplicate:
            return _replay(sid)
        except ConflictError:
            # Another message from this number changed the conversation first: go again
            # on top of it (the rollback undid everything of this attempt).
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
    raise AssertionError("unreachable")


def _replay(sid: str) -> Handled:
    """The reply of the request that recorded ``sid`` first, once it has finished."""
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while True:
        row = db.session.execute(
            select(
                InboundMessage.reply, InboundMessage.completed_at, InboundMessage.conversation_id
            ).where(InboundMessage.message_sid == sid)
        ).one_or_none()
        db.session.rollback()
        finished = row is not None and row.completed_at is not None
        if finished or time.monotonic() > deadline:
            reply = row.reply if row is not None and row.reply else None
            if reply is None:
                with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
                    reply = str(sms_texts.TRY_AGAIN)
            conversation_id = row.conversation_id if row is not None else None
            return Handled(reply, repeated=True, conversation_id=conversation_id)
        time.sleep(0.02)


def _handle(message: InboundText, sid: str, e164: str, body: str) -> Handled:
    try:
        with atomic():
            turn = Turn(message, sid, e164, body)
            # Everything is written at the end, in one flush just before the commit: on
            # SQLite the write lock is held for a moment, not for the whole message.
            with db.session.no_autoflush:
                turn.prepare()
                reply = turn.respond()
            turn.finish(reply)
            return Handled(reply, conversation_id=turn.inbound.conversation_id)
    except IntegrityError as exc:
        if _stored_sid_exists(sid):
            raise _Duplicate from exc
        # Two first messages from one number at once: the second sees the first's
        # conversation on the next attempt.
        raise ConflictError("a conversation for this number was opened at the same time") from exc


def _stored_sid_exists(sid: str) -> bool:
    found = db.session.scalar(select(func.count()).where(InboundMessage.message_sid == sid))
    db.session.rollback()
    return bool(found)


@dataclass
class Turn:
    """One message being handled: what is known about the sender, and how to answer."""

    message: InboundText
    sid: str
    e164: str
    body: str
    now: datetime = field(default_factory=utcnow)
    command_language: str | None = None
    conversation: Conversation | None = None
    # The case this message answered, when it was not part of a conversation.
    answered_grievance_id: int | None = None
    inbound: InboundMessage = field(init=False)

    @cached_property
    def phone_hash(self) -> str:
        return keyring().lookup_hash(self.e164)

    @cached_property
    def hashes(self) -> list[str]:
        return phone_hashes(self.e164)

    @cached_property
    def person(self) -> Person | None:
        return db.session.scalar(
            select(Person).where(Person.phone_hash.in_(self.hashes)).order_by(Person.id).limit(1)
        )

    @property
    def languages(self) -> list[str]:
        return list(current_app.config["LANGUAGES"])

    @property
    def language(self) -> str:
        """The reader's language: the conversation's, the person's, the keyword's, or the
        mechanism's default."""
        if self.conversation is not None and self.conversation.language:
            return self.conversation.language
        if self.person is not None and self.person.language in self.languages:
            return self.person.language
        if self.command_language and self.command_language != "en":
            return self.command_language
        default: str = current_app.config["BABEL_DEFAULT_LOCALE"]
        return default

    def say(self, *texts: LazyString, **values: Any) -> str:
        """The texts in the reader's language, one after another."""
        with force_locale(self.language):
            shown = {key: str(value) for key, value in values.items()}
            return " ".join(str(text) % shown if shown else str(text) for text in texts)

    def keyword(self, keyword: Keyword) -> str:
        return primary(keyword, self.language)

    # Recording --------------------------------------------------------------------------

    def prepare(self) -> None:
        """The message's record (written last, see :meth:`finish`) and the number's open
        conversation."""
        self.inbound = InboundMessage(
            message_sid=self.sid,
            channel=self.message.channel,
            phone_hash=self.phone_hash,
            body=self.body or None,
            received_at=self.now,
        )
        self.conversation = self._open_conversation()

    def record_now(self) -> None:
        """Write the message's record at once: before a step that commits on its own
        (counting a wrong PIN), so its unique MessageSid has decided between copies."""
        if self.inbound not in db.session:
            db.session.add(self.inbound)
            db.session.flush()

    def _open_conversation(self) -> Conversation | None:
        # Locked on PostgreSQL, so messages from one number at once take turns. SQLite
        # has one writer at a time: the second to write finds the version moved on and
        # the whole message is handled again (see receive).
        conversation = db.session.scalar(
            select(Conversation)
            .where(Conversation.open_key.in_(self.hashes))
            .limit(1)
            .with_for_update()
        )
        if conversation is not None and conversation.last_message_at + expiry() < self.now:
            fire(conversation, "expire", self.now)
            db.session.flush()  # frees the number's open slot for a new conversation
            return None
        return conversation

    def finish(self, reply: str) -> None:
        """The message's record with its reply, written with everything the message did:
        a copy handled at the same time fails on the MessageSid and is rolled back whole."""
        self.inbound.reply = reply
        self.inbound.completed_at = utcnow()
        conversation = self.conversation
        self.inbound.conversation = conversation
        for position, item in enumerate(self.message.media):
            self.inbound.media.append(
                InboundMedia(
                    conversation=conversation,
                    grievance_id=(
                        conversation.grievance_id if conversation else self.answered_grievance_id
                    ),
                    position=position,
                    url=item.url,
                    content_type=item.kind,
                )
            )
        db.session.add(self.inbound)
        db.session.flush()

    # Answering --------------------------------------------------------------------------

    def respond(self) -> str:
        if any(item.kind not in MEDIA_TYPES for item in self.message.media):
            # Nothing of it is kept: no text, no files, no step taken.
            self.inbound.body = None
            self.message = InboundText(
                self.message.message_sid, self.message.sender, self.message.channel
            )
            return self.say(sms_texts.MEDIA_REFUSED)
        if len(self.body) > MAX_MESSAGE:
            self.inbound.body = None
            return self.say(sms_texts.TOO_LONG)
        opt_out = (self.message.opt_out or "").strip().upper()
        command = parse_command(self.body)
        if command is not None:
            self.command_language = command.language
        if opt_out == "STOP" or (command and command.keyword is Keyword.STOP):
            return self.stop()
        if opt_out == "START" or (command and command.keyword is Keyword.START):
            self.start()
            if command is not None and command.keyword is Keyword.START:
                return self.say(sms_texts.STARTED, help=self.keyword(Keyword.HELP))
            command = None  # Twilio's opt-in words include "yes": go on with the message
        if opt_out == "HELP" or (command and command.keyword is Keyword.HELP):
            return self.help()
        if command is not None and command.keyword is Keyword.STATUS:
            return self.status(command)
        if command is not None and command.keyword is Keyword.LANG:
            return self.change_language(command)
        answer = choice(self.body, len(ANSWERS)) if not self.message.media else None
        at_menu = self.conversation is not None and self.conversation.state in NUMBERED_STATES
        if answer is not None and not at_menu:
            answered = self.answer_check_in(ANSWERS[answer])
            if answered is not None:
                return answered
        if self.conversation is None and greeting_language(self.body) is None:
            added = self.answer_awaiting_case()
            if added is not None:
                return added
        if self.conversation is None:
            return self.begin()
        self.conversation.last_message_at = self.now
        return self.step(self.conversation)

    # Keywords ---------------------------------------------------------------------------

    def help(self) -> str:
        return self.say(
            sms_texts.HELP,
            status=self.keyword(Keyword.STATUS),
            lang=self.keyword(Keyword.LANG),
            stop=self.keyword(Keyword.STOP),
        )

    def stop(self) -> str:
        """No more SMS or WhatsApp messages to this number; an open draft is kept."""
        with autoflush():
            person = self.person or register_person(phone=self.e164, language=self.language)
            if person.phone_opted_out_at is None:
                person.phone_opted_out_at = self.now
                audit.record(Actor(ActorKind.COMPLAINANT), "person.opt_out", "person", person.id)
        if self.conversation is not None:
            fire(self.conversation, "stop", self.now)
        return self.say(sms_texts.STOPPED, start=self.keyword(Keyword.START))

    def start(self) -> None:
        person = self.person
        if person is not None and person.phone_opted_out_at is not None:
            person.phone_opted_out_at = None
            with autoflush():
                audit.record(Actor(ActorKind.COMPLAINANT), "person.opt_in", "person", person.id)

    def status(self, command: Command) -> str:
        """What is happening in the case, for whoever gives its reference and PIN."""
        given = digits(command.argument)
        # The PIN is never kept, not even encrypted: only the reference stays in the record.
        self.inbound.body = " ".join(
            part
            for part in (self.keyword(Keyword.STATUS), given[:8], "******" * (len(given) > 8))
            if part
        )
        if len(given) != 14:
            status = self.keyword(Keyword.STATUS)
            return self.say(sms_texts.STATUS_HOW, status=status)
        reference, pin = given[:8], given[8:]
        # Counting a wrong PIN commits on its own; if this request dies after that, a
        # retried webhook still gets this answer, which is the answer to every wrong PIN.
        self.inbound.reply = self.say(NOT_FOUND_MESSAGE)
        self.record_now()
        try:
            grievance = open_case(
                reference, pin, source=f"sms:{self.phone_hash}", phone_hash=self.phone_hash
            )
        except CaseNotFound:
            return self.say(NOT_FOUND_MESSAGE)
        except TooManyAttempts:
            with force_locale(self.language):
                return str(TooManyAttempts())
        return self.tell_status(grievance)

    def tell_status(self, grievance: Grievance) -> str:
        with force_locale(self.language):
            status = case_status(grievance)
            values = {"reference": display(grievance.reference), "now": status.now}
            if status.outcome is not None:
                text = sms_texts.STATUS_OUTCOME
                values["outcome"] = status.outcome.label
            elif status.due_at is not None:
                text = sms_texts.STATUS_DUE
                values["date"] = sms_texts.phone_date(status.due_at, self.language)
            else:
                text = sms_texts.STATUS
            return str(text) % {**values, "next": status.next}

    def change_language(self, command: Command) -> str:
        """LANG: the menu (or LANG with a language: that one), then back to the question."""
        chosen = language_choice(command.argument, self.languages) if command.argument else None
        conversation = self.conversation
        if chosen is None:
            if conversation is None:
                conversation = self.conversation = self.new_conversation()
            elif conversation.state != "language":
                conversation.resume_state = conversation.state
                fire(conversation, "change_language", self.now)
            conversation.last_message_at = self.now
            return self.menu()
        if self.person is not None:
            self.person.language = chosen
        if conversation is None:
            conversation = self.conversation = self.new_conversation()
        conversation.last_message_at = self.now
        return self.set_language(conversation, chosen)

    # Check-ins --------------------------------------------------------------------------

    def answer_check_in(self, answer: Answer) -> str | None:
        """A bare number answers the newest open question put to this number's person."""
        from remedy.cases.check_ins import answer_check_in

        check_in = db.session.scalar(
            select(CheckIn)
            .join(Person, Person.id == CheckIn.person_id)
            .outerjoin(CheckInResponse, CheckInResponse.check_in_id == CheckIn.id)
            .where(
                Person.phone_hash.in_(self.hashes),
                CheckIn.opened_at.is_not(None),
                CheckIn.cancelled_at.is_(None),
                CheckInResponse.id.is_(None),
            )
            .order_by(CheckIn.opened_at.desc(), CheckIn.id.desc())
            .limit(1)
        )
        if check_in is None or check_in.person_id is None:
            return None
        grievance = check_in.track.grievance
        actor = Actor.complainant(grievance.reference, check_in.person_id)
        if not allowed(lambda: answer_check_in(actor, check_in, answer)):
            return None  # not this person's to answer after all: an ordinary message
        return self.say(sms_texts.CHECK_IN_THANKS)

    def answer_awaiting_case(self) -> str | None:
        """The team asked this number's person a question (their case waits for the answer,
        the SMS said "please answer by ..."): the message is the answer, not a new complaint.
        Files sent with it join the case. The reply names no case: the number proved no PIN.
        Not for a discreet case: its phone was told only that there is news, the question
        waits behind the PIN, and a message from the phone proves nothing about who holds it."""
        from remedy.cases.intake import provide_information

        if not self.body:
            return None
        found = db.session.execute(
            select(Grievance, GrievancePerson.person_id)
            .join(GrievancePerson, GrievancePerson.grievance_id == Grievance.id)
            .join(Person, Person.id == GrievancePerson.person_id)
            .where(
                Person.phone_hash.in_(self.hashes),
                GrievancePerson.receives_messages.is_(True),
                Grievance.state == "awaiting_complainant",
                Grievance.discreet_messages.is_(False),
            )
            .order_by(Grievance.updated_at.desc(), Grievance.id.desc())
            .limit(1)
        ).first()
        if found is None:
            return None
        grievance, person_id = found
        actor = Actor.complainant(grievance.reference, person_id)
        if not allowed(lambda: provide_information(actor, grievance, self.body)):
            return None  # refused: the message is handled as usual
        self.answered_grievance_id = grievance.id
        return self.say(sms_texts.INFORMATION_THANKS)

    # The filing conversation ------------------------------------------------------------

    def new_conversation(self) -> Conversation:
        conversation = Conversation(
            phone_hash=self.phone_hash,
            open_key=self.phone_hash,
            phone=self.e164,
            channel=self.message.channel,
            state=CONVERSATION.initial,
            started_at=self.now,
            last_message_at=self.now,
        )
        db.session.add(conversation)
        return conversation

    def known_language(self) -> str | None:
        """The language this number used before: its person's, or its last conversation's."""
        if self.person is not None and self.person.language in self.languages:
            return self.person.language
        language = db.session.scalar(
            select(Conversation.language)
            .where(Conversation.phone_hash.in_(self.hashes), Conversation.language.is_not(None))
            .order_by(Conversation.id.desc())
            .limit(1)
        )
        return language if language in self.languages else None

    def begin(self) -> str:
        """A first message: a greeting chooses its language; a number heard before keeps
        its language; otherwise the menu. A first message that already tells something is
        kept as the start of the story."""
        conversation = self.conversation = self.new_conversation()
        greeted = greeting_language(self.body)
        if greeted is not None and greeted not in self.languages:
            greeted = None
        if greeted is None and len(fold(self.body).split()) >= STORY_MIN_WORDS:
            conversation.description = self.body
        if greeted is not None and self.person is not None:
            self.person.language = greeted
        language = greeted or self.known_language()
        if language is None:
            return self.menu()
        conversation.language = language
        fire(conversation, "choose_language", self.now)
        if conversation.description:
            return self.say(sms_texts.MORE)
        return self.say(sms_texts.WHAT_HAPPENED)

    def menu(self, again: bool = False) -> str:
        return language_menu(again)

    def set_language(self, conversation: Conversation, language: str) -> str:
        conversation.language = language
        if conversation.state == "language":
            fire(conversation, "choose_language", self.now)
            conversation.resume_state = None
        return self.ask(conversation)

    def ask(self, conversation: Conversation, again: bool = False) -> str:
        question = QUESTION_TEXT[conversation.state]
        if again:
            return self.say(sms_texts.NOT_UNDERSTOOD, question)
        return self.say(question)

    def step(self, conversation: Conversation) -> str:
        state = conversation.state
        if state == "language":
            chosen = language_choice(self.body, self.languages)
            if chosen is None:
                if len(fold(self.body).split()) >= STORY_MIN_WORDS:
                    self.keep(conversation)  # telling already: nothing is lost
                return self.menu(again=True)
            if self.person is not None:
                self.person.language = chosen
            return self.set_language(conversation, chosen)
        if state == "what_happened":
            return self.tell(conversation)
        if state == "where":
            return self.place(conversation)
        if state == "identity":
            answer = yes_no(self.body)
            if answer is None:
                return self.ask(conversation, again=True)
            conversation.identity_withheld = not answer
            fire(conversation, "answer_identity", self.now)
            return self.ask(conversation)
        if state == "contact":
            answer = yes_no(self.body)
            if answer is None:
                return self.ask(conversation, again=True)
            conversation.contact_consent = answer
            return self.file(conversation)
        raise AssertionError(f"an open conversation in state {state}")

    def tell(self, conversation: Conversation) -> str:
        if fold(self.body) == "0":
            if not conversation.description and not self.has_media(conversation):
                return self.say(sms_texts.NOTHING_YET)
            fire(conversation, "finish_story", self.now)
            return self.ask(conversation)
        if not self.body:
            return self.say(sms_texts.MORE if self.message.media else sms_texts.WHAT_HAPPENED)
        if not self.keep(conversation):
            self.inbound.body = None
            return self.say(sms_texts.STORY_FULL)
        return self.say(sms_texts.MORE)

    def keep(self, conversation: Conversation) -> bool:
        """Add the message to the story; False when the story has no room left."""
        old = conversation.description
        story = f"{old}\n{self.body}" if old else self.body
        if len(story) > MAX_DESCRIPTION_LENGTH:
            return False
        conversation.description = story
        return True

    def has_media(self, conversation: Conversation) -> bool:
        if self.message.media:
            return True
        return bool(
            db.session.scalar(
                select(func.count()).where(InboundMedia.conversation_id == conversation.id)
            )
        )

    def place(self, conversation: Conversation) -> str:
        if not self.body or fold(self.body) == "0":
            return self.ask(conversation, again=not self.message.media)
        if len(self.body) > MAX_LOCATION_LENGTH:
            self.inbound.body = None
            return self.say(sms_texts.PLACE_TOO_LONG)
        conversation.location = self.body
        fire(conversation, "give_place", self.now)
        return self.ask(conversation)

    def file(self, conversation: Conversation) -> str:
        """The last answer: the grievance is filed; the reply gives reference and PIN."""
        language = conversation.language or self.language
        description = conversation.description
        if not description:
            with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
                description = _("Told only in the photos or recordings attached.")
        form = GrievanceForm(
            channel=conversation.channel,
            language=language,
            description=description,
            location=conversation.location,
            identity_withheld=bool(conversation.identity_withheld),
            contact_consent=bool(conversation.contact_consent),
            complainant=PersonDetails(phone=conversation.phone, language=language),
        )
        with autoflush():
            submitted = submit_grievance(Actor(ActorKind.COMPLAINANT), form)
        conversation.grievance_id = submitted.grievance.id
        fire(conversation, "answer_contact", self.now)
        for media in db.session.scalars(
            select(InboundMedia).where(InboundMedia.conversation_id == conversation.id)
        ):
            media.grievance_id = submitted.grievance.id
        self.inbound.reply_holds_pin = True
        return self.say(
            sms_texts.FILED,
            reference=display(submitted.grievance.reference),
            pin=submitted.pin,
            status=self.keyword(Keyword.STATUS),
        )


def language_menu(again: bool = False) -> str:
    """The language menu: each language's name in itself, the line above in the
    mechanism's default language (nobody's language is known yet)."""
    names: dict[str, str] = current_app.config["LANGUAGES"]
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        header = str(sms_texts.LANGUAGE_MENU)
        if again:
            header = f"{sms_texts.NOT_UNDERSTOOD} {header}"
    lines = [f"{number} {name}" for number, name in enumerate(names.values(), 1)]
    return "\n".join([header, *lines])


def fire(conversation: Conversation, trigger: str, now: datetime) -> None:
    """Move the conversation on; an ended one frees its number for the next."""
    if CONVERSATION.choose(trigger, conversation) is None:
        raise AssertionError(f"{trigger} from {conversation.state}")
    CONVERSATION.machine.events[trigger].trigger(conversation)
    if CONVERSATION.state(conversation.state).ended:
        conversation.ended_at = now
        conversation.open_key = None


# Periodic jobs (the worker runs them) ---------------------------------------------------


def expire_idle_conversations(now: datetime | None = None) -> int:
    """End conversations silent for a day; their drafts stay for the team."""
    now = now or utcnow()
    expired = 0
    for conversation_id in db.session.scalars(
        select(Conversation.id).where(
            Conversation.ended_at.is_(None), Conversation.last_message_at < now - expiry()
        )
    ).all():
        try:
            with atomic():
                conversation = db.session.get(Conversation, conversation_id)
                if conversation is None or conversation.ended_at is not None:
                    continue
                if conversation.last_message_at < now - expiry():
                    fire(conversation, "expire", now)
                    expired += 1
        except ConflictError:
            continue  # the person wrote at that moment: the conversation goes on
    return expired


def forget_pins(now: datetime | None = None) -> int:
    """Mask the PIN in stored replies once Twilio can no longer retry their message."""
    now = now or utcnow()
    with atomic():
        rows = db.session.scalars(
            select(InboundMessage).where(
                InboundMessage.reply_holds_pin.is_(True),
                InboundMessage.received_at < now - PIN_REPLY_KEPT,
            )
        ).all()
        for row in rows:
            row.reply = PIN_IN_REPLY.sub("******", row.reply or "")
            row.reply_holds_pin = False
    return len(rows)


def periodic(now: datetime | None = None) -> tuple[int, int]:
    """The worker's job: conversations expired, and stored replies whose PIN was masked."""
    return expire_idle_conversations(now), forget_pins(now)


# For the team: drafts that never became a grievance -------------------------------------


def unfinished_drafts(limit: int = 20) -> list[Conversation]:
    """Conversations that ended without filing but told something, newest first."""
    return list(
        db.session.scalars(
            select(Conversation)
            .where(
                Conversation.grievance_id.is_(None),
                Conversation.state.in_(("expired", "stopped")),
            )
            .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
            .limit(limit)
        )
    )


def transcript(e164: str, limit: int = 50) -> Iterator[InboundMessage]:
    """The messages from one number with their replies, oldest first (the simulator)."""
    rows = db.session.scalars(
        select(InboundMessage)
        .where(InboundMessage.phone_hash.in_(phone_hashes(normalise_phone(e164))))
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .limit(limit)
    ).all()
    return reversed(rows)
