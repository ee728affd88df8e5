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
   A reference and PIN sent alone count as STATUS.
3. A message that answers what the number is being asked (the team's question, a
   proposal, a check-in, an appeal or a reopening offered: :mod:`remedy.sms.asked`)
   takes that step, before any filing conversation that spoke earlier than the ask.
4. APPEAL with nothing asked appeals the number's own case that can be appealed.
   Another message from the number of an open case, outside a conversation, is
   unclear: is it about the case or a new complaint? (:mod:`remedy.sms.unclear`)
5. Anything else moves the filing conversation (``remedy.workflows.conversation``)
   on by one question; the last answer files the grievance through
   ``submit_grievance`` and the reply gives the reference and PIN.

Nothing about a case is told to a number that has not given its PIN in the
message that asks (STATUS), except the reference and PIN of a case the
conversation itself just filed. A conversation left silent for a day expires;
STOP ends it; either way its draft stays for the team.

Where each part lives: the message and its checks in :mod:`remedy.sms.inbound`, what
is known while handling it in :mod:`remedy.sms.turn`, keywords (2) in
:mod:`remedy.sms.commands`, answers (3) in :mod:`remedy.sms.asked`, appeals (4) in
:mod:`remedy.sms.appealing`, the filing
conversation (5) in :mod:`remedy.sms.filing`, expiry and PIN masking in
:mod:`remedy.sms.upkeep`.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import ConflictError, atomic
from remedy.messaging import sms_texts
from remedy.models.inbound_message import InboundMessage
from remedy.sms.appealing import appeal_by_keyword
from remedy.sms.asked import answer_ask
from remedy.sms.commands import change_language, help_text, start, status, stop
from remedy.sms.filing import begin, step
from remedy.sms.inbound import MAX_MESSAGE, MEDIA_TYPES, InboundText, phone_hashes, validate
from remedy.sms.keywords import Command, Keyword, fold, is_status, parse_command
from remedy.sms.turn import Turn
from remedy.sms.unclear import ask_which_case

# How long a copy of a message waits for the first one's reply before giving up.
REPLAY_WAIT_SECONDS = 10.0
ATTEMPTS = 10


@dataclass(frozen=True)
class Handled:
    reply: str
    # True when this MessageSid had been handled already: the stored reply, nothing done.
    repeated: bool = False
    conversation_id: int | None = None


class _Duplicate(Exception):
    """The message was recorded by another request first."""


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
            return _replay(sid, e164)
        except ConflictError:
            # Another message from this number changed the conversation first: go again
            # on top of it (the rollback undid everything of this attempt).
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
    raise AssertionError("unreachable")


def _replay(sid: str, e164: str) -> Handled:
    """The reply of the request that recorded ``sid`` first, once it has finished.

    Only to the number that sent it: the stored reply may hold a reference and PIN, and a
    message id is no secret. Another number bringing the same id hears nothing of it.
    """
    senders = phone_hashes(e164)
    deadline = time.monotonic() + REPLAY_WAIT_SECONDS
    while True:
        row = db.session.execute(
            select(
                InboundMessage.reply,
                InboundMessage.completed_at,
                InboundMessage.conversation_id,
                InboundMessage.phone_hash,
            ).where(InboundMessage.message_sid == sid)
        ).one_or_none()
        db.session.rollback()
        if row is not None and row.phone_hash not in senders:
            # Someone else's message: answered as if nothing had been stored.
            with force_locale(settings().default_language):
                return Handled(str(sms_texts.TRY_AGAIN), repeated=True)
        finished = row is not None and row.completed_at is not None
        if finished or time.monotonic() > deadline:
            reply = row.reply if row is not None and row.reply else None
            if reply is None:
                with force_locale(settings().default_language):
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
                reply = respond(turn)
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


def respond(turn: Turn) -> str:
    """The reply to one message, from the first of the handlers that takes it."""
    for handler in (_refused, _keyword, answer_ask, appeal_by_keyword, ask_which_case):
        reply = handler(turn)
        if reply is not None:  # an empty reply (nothing said back) is a reply too
            return reply
    if turn.conversation is None:
        return begin(turn)
    turn.conversation.last_message_at = turn.now
    return step(turn, turn.conversation)


def _refused(turn: Turn) -> str | None:
    """Media of a type not kept, or a message too long: refused, nothing of it kept."""
    if any(item.kind not in MEDIA_TYPES for item in turn.message.media):
        # Nothing of it is kept: no text, no files, no step taken.
        turn.inbound.body = None
        turn.message = InboundText(
            turn.message.message_sid, turn.message.sender, turn.message.channel
        )
        return turn.say(sms_texts.MEDIA_REFUSED)
    if len(turn.body) > MAX_MESSAGE:
        turn.inbound.body = None
        return turn.say(sms_texts.TOO_LONG)
    return None


def _keyword(turn: Turn) -> str | None:
    """STOP, START, HELP, STATUS or LANG, typed or as Twilio's ``OptOutType``."""
    opt_out = (turn.message.opt_out or "").strip().upper()
    command = parse_command(turn.body)
    if command is None and is_status(turn.body):
        # A reference and PIN alone: what else could they be for?
        command = Command(Keyword.STATUS, settings().default_language, fold(turn.body))
    if command is not None:
        turn.command_language = command.language
    keyword = command.keyword if command is not None else None
    if opt_out == "STOP" or keyword is Keyword.STOP:
        return stop(turn)
    if opt_out == "START" or keyword is Keyword.START:
        start(turn)
        if keyword is Keyword.START:
            return turn.say(sms_texts.STARTED, help=turn.keyword(Keyword.HELP))
        return None  # Twilio's opt-in words include "yes": go on with the message
    if opt_out == "HELP" or keyword is Keyword.HELP:
        return help_text(turn)
    if command is not None and command.keyword is Keyword.STATUS:
        return status(turn, command)
    if command is not None and command.keyword is Keyword.LANG:
        return change_language(turn, command)
    return None
