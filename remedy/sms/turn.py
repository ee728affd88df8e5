"""One message being handled: what is known about the sender, the number's open
conversation, the reader's language, and the message's own record.

The handlers (:mod:`remedy.sms.commands`, :mod:`remedy.sms.asked`,
:mod:`remedy.sms.filing`) each take the :class:`Turn` and return the reply;
:mod:`remedy.sms.receiving` chooses between them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from flask_babel import LazyString, force_locale
from sqlalchemy import select

from remedy.core.errors import ConflictError, ServiceError
from remedy.core.extensions import db
from remedy.core.numbers import isolate_numbers
from remedy.core.settings import settings
from remedy.models.conversation import Conversation
from remedy.models.grievance_person import GrievancePerson
from remedy.models.inbound_message import InboundMedia, InboundMessage
from remedy.models.person import Person
from remedy.models.types import keyring, utcnow
from remedy.sms.drafts import expiry, fire
from remedy.sms.inbound import InboundText, phone_hashes
from remedy.sms.keywords import Keyword, primary
from remedy.sms.masking import mask_pins, may_hold_lone_pin


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
    except ConflictError:
        raise  # the case changed meanwhile: the whole message is handled again
    except ServiceError:
        return False
    return True


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
    # The reply confirms a STOP the provider did not act on: sent although opted out.
    confirms_opt_out: bool = False
    # What settles the message with its reply (the inbox: marked handled, the reply queued);
    # called with ``final`` False before a step that commits on its own.
    settle: Callable[[Turn, str, bool], None] | None = None
    # Settled before the end (``record_now``): a provisional reply may be queued already.
    settled_early: bool = False
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

    @cached_property
    def kept_body(self) -> str:
        """The body as it may be stored where staff read it: PINs masked."""
        lone_pins = may_hold_lone_pin(self.body) and self._has_case()
        return mask_pins(self.body, lone_pins)

    def handle_as(self, text: str) -> None:
        """Go on as if ``text`` had been sent (a held message, once its meaning is clear)."""
        self.body = text
        self.__dict__.pop("kept_body", None)

    def _has_case(self) -> bool:
        found = db.session.scalar(
            select(GrievancePerson.grievance_id)
            .join(Person, Person.id == GrievancePerson.person_id)
            .where(Person.phone_hash.in_(self.hashes))
            .limit(1)
        )
        return found is not None

    @property
    def languages(self) -> list[str]:
        return list(settings().languages)

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
        default: str = settings().default_language
        return default

    def say(self, *texts: LazyString, **values: Any) -> str:
        """The texts in the reader's language, one after another."""
        with force_locale(self.language):
            shown = isolate_numbers(
                {key: str(value) for key, value in values.items()}, self.language
            )
            return " ".join(str(text) % shown if shown else str(text) for text in texts)

    def keyword(self, keyword: Keyword) -> str:
        return primary(keyword, self.language)

    # Recording --------------------------------------------------------------------------

    def prepare(self, inbound: InboundMessage) -> None:
        """The message's stored record (the inbox's, locked) and the number's open
        conversation."""
        self.inbound = inbound
        # What staff may read of it: a PIN typed in it is masked once it is handled.
        self.inbound.body = self.kept_body or None
        self.conversation = self._open_conversation()

    def record_now(self) -> None:
        """Settle the message at once with ``inbound.reply`` as its answer: before a step
        that commits on its own (counting a wrong PIN), so that commit cannot leave the
        message to be handled again."""
        if self.settle is not None:
            self.settle(self, self.inbound.reply or "", False)
            self.settled_early = True
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
        """The message's record, written with everything the message did, then settled
        with its reply (the reply itself is kept only as the outbox's message)."""
        self.inbound.reply = None
        self.inbound.media_sent = None  # now the media rows below
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
        if self.settle is not None:
            self.settle(self, reply, True)  # flushes this record with its settlement
        else:
            db.session.flush()
