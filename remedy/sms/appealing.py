"""Appealing a decision by SMS: the APPEAL keyword of the reader's language (RECOURS,
APELAR, RUFANI, استئناف), then the reason, which lodges the appeal.

The keyword answers the appeal a decision's message offered (an open appeal ask), or,
without one, the newest decided case of the number's own person that can still be
appealed (not a discreet one: its phone was never told the decision). The reason may
follow the keyword in the same message.
"""

from __future__ import annotations

from remedy.cases import asks
from remedy.cases.intake import appeal
from remedy.cases.message_context import answered_in_reply
from remedy.cases.triggers import allowed_transitions
from remedy.core.actors import Actor
from remedy.messaging import sms_texts
from remedy.models.ask import Ask, AskKind
from remedy.models.grievance import Grievance
from remedy.sms.asked_steps import actor_of, take
from remedy.sms.keywords import Keyword, parse_command
from remedy.sms.own_cases import own_cases
from remedy.sms.turn import Turn, allowed, autoflush
from remedy.workflows.intake import DECIDED


def appeal_reason_in(turn: Turn) -> str | None:
    """What follows the APPEAL keyword ("" for the keyword alone); None without it."""
    command = parse_command(turn.body)
    if command is None or command.keyword is not Keyword.APPEAL:
        return None
    if not command.argument:
        return ""
    parts = turn.kept_body.strip().split(None, 1)
    return parts[1].strip() if len(parts) > 1 else command.argument


def answer_appeal(turn: Turn, ask: Ask) -> str | None:
    reason = appeal_reason_in(turn)
    if reason is None or ask.grievance is None:
        return None
    return _start(turn, ask.grievance, ask.person_id, reason, ask.phone_hash, ask)


def answer_appeal_reason(turn: Turn, ask: Ask) -> str | None:
    grievance = ask.grievance
    if not turn.body or grievance is None:
        return None
    if not take(turn, ask, lambda: appeal(actor_of(ask), grievance, turn.kept_body)):
        return _closed(turn)
    asks.close(ask, "appealed", turn.now)
    return turn.say(sms_texts.APPEAL_RECEIVED)


def appeal_by_keyword(turn: Turn) -> str | None:
    """APPEAL with no appeal offered by SMS just now: the number's own decided case."""
    reason = appeal_reason_in(turn)
    if reason is None:
        return None
    for grievance, person_id in own_cases(turn, DECIDED):
        if _offered(grievance, person_id):
            return _start(turn, grievance, person_id, reason, turn.phone_hash)
    return None


def _offered(grievance: Grievance, person_id: int | None) -> bool:
    actor = Actor.complainant(grievance.reference, person_id)
    with autoflush():
        return any(t.trigger == "appeal" for t in allowed_transitions(grievance, actor))


def _start(
    turn: Turn,
    grievance: Grievance,
    person_id: int | None,
    reason: str,
    phone_hash: str,
    ask: Ask | None = None,
) -> str:
    if not _offered(grievance, person_id):
        if ask is not None:
            asks.close(ask, "refused", turn.now)
        return _closed(turn)
    if ask is not None:
        asks.close(ask, "appealing", turn.now)
    if not reason:
        asks.open_ask(
            AskKind.APPEAL_REASON,
            phone_hash,
            grievance=grievance,
            person_id=person_id,
            unlocked_until=ask.unlocked_until if ask is not None else None,
            now=turn.now,
        )
        return turn.say(sms_texts.APPEAL_WHY)
    actor = Actor.complainant(grievance.reference, person_id)
    with answered_in_reply(person_id):
        lodged = allowed(lambda: appeal(actor, grievance, reason))
    return turn.say(sms_texts.APPEAL_RECEIVED) if lodged else _closed(turn)


def _closed(turn: Turn) -> str:
    return turn.say(sms_texts.STEP_CLOSED, status=turn.keyword(Keyword.STATUS))
