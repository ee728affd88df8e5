"""A call's webhooks answered: one step of the call per request, idempotent.

Twilio posts the incoming call, then the ``action`` of each prompt with the key pressed
or the recording made. Each answer is one unit of work: the call (found by ``CallSid``,
locked) answers the request, moves on, and keeps the request's key and its TwiML. A
retried request (the same turn, keys and recording) gets that TwiML back and changes
nothing; a request from a prompt the call has moved on from gets the current prompt.
Twilio's status callback ends the call, which forgets the PIN it could read again. A
call the mechanism placed (``remedy.voice.callbacks``) starts from its outbox message;
with the missed-call call-back on, a known number's call is rejected and called back
(``remedy.voice.missed_call``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from twilio.twiml.voice_response import VoiceResponse

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import atomic, transactional
from remedy.messaging.call_outcomes import record_call_outcome
from remedy.models.call import Call
from remedy.models.types import keyring, utcnow
from remedy.voice import case, complaint, fairness, track_requests
from remedy.voice.callbacks import start_call_back
from remedy.voice.missed_call import called_back_instead
from remedy.voice.turn import CallRequest, CallTurn, Step
from remedy.workflows.call import CALL

# A call-back that is no call of ours hangs up; a known number's call is rejected when
# it is called back instead (free for the caller).
_HANG_UP, _REJECT = VoiceResponse(), VoiceResponse()
_HANG_UP.hangup()
_REJECT.reject()
HANG_UP, REJECT = str(_HANG_UP), str(_REJECT)
STEPS: dict[str, Step] = {
    **complaint.STEPS,
    **case.STEPS,
    **track_requests.STEPS,
    **fairness.STEPS,
}
# A call silent this long is over, whatever Twilio said (Twilio ends calls after 4 hours).
CALL_OVER_AFTER = timedelta(hours=4)
ENDED_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})

assert set(STEPS) == {str(state.name) for state in CALL.states}, "a state without its step"


def _key(request: CallRequest) -> str:
    """The request's identity, as a keyed hash: the keys pressed may be a PIN."""
    raw = f"{request.turn}|{request.digits}|{request.recording_sid}"
    return keyring().lookup_hash(raw)


def _find(call_sid: str) -> Call | None:
    return db.session.scalar(select(Call).where(Call.call_sid == call_sid).with_for_update())


def _new_call(request: CallRequest) -> tuple[Call, CallTurn]:
    phone_hash = keyring().lookup_hash(request.caller)
    call = Call(
        call_sid=request.call_sid,
        phone_hash=phone_hash,
        phone=request.caller,
        state=CALL.initial,
    )
    db.session.add(call)
    db.session.flush()
    turn = CallTurn(call, request)
    known = turn.person.language if turn.person is not None else None
    if known in settings().languages:
        # A number known from an earlier case keeps its language (9 gives the menu back).
        call.language = known
        turn.fire("choose_language")
    return call, turn


@transactional
def answer_call(request: CallRequest, outbox_id: int | None = None) -> str:
    """The TwiML for this request of the call; ``outbox_id``: a call the mechanism placed
    (a call-back), answered."""
    call = _find(request.call_sid)
    if call is None:
        if outbox_id is not None:
            started = start_call_back(request, outbox_id)
            if started is None:
                return HANG_UP  # no call of ours: nothing to say
            turn = started
        elif called_back_instead(request, utcnow()):
            return REJECT
        else:
            call, turn = _new_call(request)
        _advance(turn, answered=False)
        return _kept(turn, request)
    if call.last_key == _key(request) and call.last_twiml is not None:
        return call.last_twiml
    turn = CallTurn(call, request)
    if call.ended_at is not None or request.turn != call.turn:
        # Not the prompt the call is at (or the call is over): that prompt, nothing changed.
        STEPS[call.state].ask(turn)
        return str(turn.speech)
    _advance(turn, answered=True)
    return _kept(turn, request)


def _advance(turn: CallTurn, answered: bool) -> None:
    turn.call.turn += 1
    if answered:
        STEPS[turn.call.state].answer(turn)
    STEPS[turn.call.state].ask(turn)


def _kept(turn: CallTurn, request: CallRequest) -> str:
    twiml = str(turn.speech)
    turn.call.last_key = _key(request)
    turn.call.last_twiml = twiml
    turn.call.updated_at = turn.now
    return twiml


@transactional
def call_ended(call_sid: str, status: str, outbox_id: int | None = None) -> None:
    """Twilio's status callback: a call that is over ends, and forgets the PIN and TwiML;
    a call the mechanism placed also says what became of its message (tried again,
    or sent by SMS: ``call_outcomes``)."""
    now = utcnow()
    call = _find(call_sid)
    if call is not None and status in ENDED_STATUSES:
        _end(call, now)
    if outbox_id is not None:
        record_call_outcome(outbox_id, call_sid, status, settings().voice.retries, now)


def _end(call: Call, now: datetime) -> None:
    if call.ended_at is None:
        CALL.advance(call, "hang_up")
        call.ended_at = now
    call.pin = None
    call.last_twiml = None


def forget_old_calls(now: datetime | None = None) -> int:
    """Periodic (the worker): calls without a status callback end after hours of silence."""
    now = now or utcnow()
    ended = 0
    with atomic():
        for call in db.session.scalars(
            select(Call).where(Call.ended_at.is_(None), Call.updated_at < now - CALL_OVER_AFTER)
        ):
            _end(call, now)
            ended += 1
    return ended
