"""The SMS and WhatsApp conversation: one inbound message in, one short reply out.

Twilio's webhook only stores the message (:func:`remedy.sms.inbox.store`) and answers
at once; a worker, or the console's simulator, then hands each stored message to
:func:`handle`, in arrival order per number, exactly once (:mod:`remedy.sms.inbox`).
Each message is handled in one unit of work, which also marks it handled and queues its
reply in the outbox:

0. A number that sent STOP sees nothing until START: what it sends is kept for the
   team and not answered (:mod:`remedy.sms.opted_out`). A STOP the provider acted on
   itself is not answered either: the provider confirmed it.
1. Keywords come first, in any of the five languages (HELP, STATUS <reference>
   <PIN>, STOP, START, LANG; Twilio's ``OptOutType`` counts as the keyword it
   names). STOP and START are mirrored on the person. A reference and PIN sent alone
   count as STATUS. (STATUS settles the message, its answer to a wrong PIN queued,
   before it checks the PIN, because counting a wrong PIN commits at once.) WITHDRAW
   <reference> <PIN> ends an organisation's mandate (:mod:`remedy.sms.withdrawing`).
2. A message that answers what the number is being asked (the team's question, a
   proposal, a check-in, an appeal or a reopening offered: :mod:`remedy.sms.asked`)
   takes that step, before any filing conversation that spoke earlier than the ask.
3. APPEAL with nothing asked appeals the number's own case that can be appealed.
   Another message from the number of an open case, outside a conversation, is
   unclear: is it about the case or a new complaint? (:mod:`remedy.sms.unclear`)
4. Anything else moves the filing conversation (``remedy.workflows.conversation``)
   on by one question; the last answer files the grievance through
   ``submit_grievance`` and the reply gives the reference and PIN.

Nothing about a case is told to a number that has not given its PIN in the
message that asks (STATUS), except the reference and PIN of a case the
conversation itself just filed. A conversation left silent for a day expires;
STOP ends it; either way its draft stays for the team.

Where each part lives: the inbox (storing, claiming, retrying, the reply's outbox
row) in :mod:`remedy.sms.inbox`, the message and its checks in
:mod:`remedy.sms.inbound`, what is known while handling it in :mod:`remedy.sms.turn`,
keywords (1) in :mod:`remedy.sms.commands`, answers (2) in :mod:`remedy.sms.asked`,
appeals (3) in :mod:`remedy.sms.appealing`, the filing conversation (4) in
:mod:`remedy.sms.filing`, expiry and PIN masking in :mod:`remedy.sms.upkeep`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.messaging import sms_texts
from remedy.models.inbound_message import InboundMessage
from remedy.sms.appealing import appeal_by_keyword
from remedy.sms.asked import answer_ask
from remedy.sms.commands import change_language, help_text, start, status, stop
from remedy.sms.contesting import contest_by_keyword
from remedy.sms.explaining import explain_by_keyword
from remedy.sms.filing import begin, step
from remedy.sms.inbound import MAX_MESSAGE, MEDIA_TYPES, InboundText, MediaItem
from remedy.sms.keywords import Command, Keyword, fold, is_status, parse_command
from remedy.sms.opted_out import keep_unseen
from remedy.sms.turn import Turn
from remedy.sms.unclear import ask_which_case
from remedy.sms.withdrawing import withdraw_by_keyword


def stored_text(inbound: InboundMessage) -> InboundText:
    """The message as the webhook received it, from its stored record."""
    media = tuple(MediaItem(url, kind) for url, kind in json.loads(inbound.media_sent or "[]"))
    return InboundText(
        message_sid=inbound.message_sid,
        sender=inbound.phone or "",
        channel=inbound.channel,
        body=inbound.body or "",
        media=media,
        opt_out=inbound.opt_out,
    )


def handle(inbound: InboundMessage, settle: Callable[[Turn, str, bool], None]) -> str:
    """Run the conversation for one stored message, inside the caller's unit of work,
    and settle it with its reply ("" when nothing is said back)."""
    message = stored_text(inbound)
    turn = Turn(message, inbound.message_sid, message.sender, message.body, settle=settle)
    # Everything is written at the end, in one flush: queries on the way see the
    # database as the message found it.
    with db.session.no_autoflush:
        turn.prepare(inbound)
        reply = respond(turn)
    turn.finish(reply)
    return reply


def respond(turn: Turn) -> str:
    """The reply to one message, from the first of the handlers that takes it."""
    handlers = (
        _refused,
        keep_unseen,
        _keyword,
        answer_ask,
        appeal_by_keyword,
        contest_by_keyword,
        explain_by_keyword,
        ask_which_case,
    )
    for handler in handlers:
        reply = handler(turn)
        if reply is not None:  # an empty reply (nothing said back) is a reply too
            return reply
    if turn.conversation is None:
        return begin(turn)
    turn.conversation.last_message_at = turn.now
    return step(turn, turn.conversation)


def _refused(turn: Turn) -> str | None:
    """A file of a type not kept, or a message too long: refused, nothing of it kept.

    Only the refused files go: a video's caption and the photos sent with it are handled
    as the message they make without it, and the reply says first what was not kept.
    """
    message = turn.message
    kept = tuple(item for item in message.media if item.kind in MEDIA_TYPES)
    if len(kept) < len(message.media):
        turn.message = replace(message, media=kept)
        if not turn.body and not kept:
            turn.inbound.body = None
            return turn.say(sms_texts.MEDIA_REFUSED)
        rest = respond(turn)
        return " ".join(part for part in (turn.say(sms_texts.MEDIA_SKIPPED), rest) if part)
    if len(turn.body) > MAX_MESSAGE:
        turn.inbound.body = None
        return turn.say(sms_texts.TOO_LONG)
    return None


def _keyword(turn: Turn) -> str | None:
    """STOP, START, HELP, STATUS, LANG or WITHDRAW, typed or as Twilio's ``OptOutType``."""
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
    if command is not None and command.keyword is Keyword.WITHDRAW:
        return withdraw_by_keyword(turn, command)
    return None
