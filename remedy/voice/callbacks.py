"""Calls the mechanism places (call-backs): what the person hears when they answer.

The outbox worker places a call for each message on the voice channel (news about a
case, for a person who filed by phone and may be called back) and for each missed-call
call-back (``remedy.voice.missed_call``); Twilio fetches the call's first TwiML here
once it is answered. Someone else may have answered: a call with news says only that
the grievance mechanism has news about their case, then asks for the PIN by keypad (the
case is known from the message). Once the PIN is right, the message's words are read,
the message counts as heard (``call_outcomes.call_heard``), and the call goes on as
"hear about my case" (``remedy.voice.case``): the status, and what the case waits for,
by keypad. A call-back after a missed call starts at the main menu in the person's
language.
"""

from __future__ import annotations

from remedy.core.extensions import db
from remedy.messaging.call_outcomes import call_heard
from remedy.models.call import Call
from remedy.models.grievance import Grievance
from remedy.models.outbox_message import (
    MISSED_CALL_TEMPLATE,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from remedy.models.types import is_erased, keyring
from remedy.voice.turn import CallRequest, CallTurn
from remedy.workflows.call import CALL

# A call is placed while its message is being sent (or its send was never recorded).
PLACING = (MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.PENDING)


def start_call_back(request: CallRequest, outbox_id: int) -> CallTurn | None:
    """The call the mechanism placed for ``outbox_id``, answered; None for no such call."""
    message = db.session.get(OutboxMessage, outbox_id)
    if (
        message is None
        or message.channel is not MessageChannel.VOICE
        or message.status not in PLACING
        or not message.address
    ):
        return None
    news = message.template != MISSED_CALL_TEMPLATE and message.grievance_id is not None
    grievance = db.session.get(Grievance, message.grievance_id) if news else None
    call = Call(
        call_sid=request.call_sid,
        phone_hash=keyring().lookup_hash(message.address),
        phone=message.address,
        state=CALL.initial,
        language=message.language,
        outbox_id=message.id if grievance is not None else None,
        reference=grievance.reference if grievance is not None else None,
    )
    db.session.add(call)
    db.session.flush()
    turn = CallTurn(call, request)
    if grievance is not None:
        turn.speech.prompt("callback_news")
        turn.fire("call_with_news")
    else:
        turn.speech.prompt("called_back")
        turn.fire("call_back")
    return turn


def read_news(turn: CallTurn) -> None:
    """The PIN was right: the message's words, then the case (in the same unit of work)."""
    call = turn.call
    message = db.session.get(OutboxMessage, call.outbox_id) if call.outbox_id else None
    if message is None or message.grievance_id != call.grievance_id:
        return
    if not is_erased(message.body):
        turn.speech.say(message.body)
    call_heard(message.id, call.call_sid, turn.now)
