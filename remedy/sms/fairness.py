"""How fair the handling of a case was, answered by SMS or WhatsApp: a number from 1
(not at all) to 5 (very), in any script ("4", "٤"), then, optionally, a comment in the
same message ("4 they listened to me").

A lone digit outside 1 to 5 gets the range again and keeps the question open; any other
message is not an answer here and goes on to the rest of the dialogue (keywords such as
STOP are read before any ask). The answer goes through the same service as the web
case page and the proxy portal (:mod:`remedy.cases.mechanism_feedback`).
"""

from __future__ import annotations

import re

from remedy.cases import asks, mechanism_feedback
from remedy.core.numbers import ascii_digit
from remedy.messaging import sms_texts
from remedy.models.ask import Ask
from remedy.models.grievance import Channel
from remedy.models.mechanism_feedback import FeedbackVia
from remedy.sms.asked_steps import actor_of, take
from remedy.sms.turn import Turn

# One digit (of any script) first, not part of a longer number; the rest is the comment.
_ANSWER = re.compile(r"^\s*(\d)(?!\d)(.*)$", re.DOTALL)
# What may separate the number from the comment: "4. ok", "4 - ok", "4: ok", "4/5 ok".
_SEPARATORS = " \t\r\n.,;:!-–—)/"


def fairness_answer(text: str) -> tuple[int, str | None] | None:
    """The number and the comment after it; None when the text does not start with one
    digit."""
    found = _ANSWER.match(text)
    if found is None:
        return None
    comment = found[2].lstrip(_SEPARATORS).strip()
    return int(ascii_digit(found[1])), comment or None


def answer_fairness(turn: Turn, ask: Ask) -> str | None:
    grievance = ask.grievance
    parsed = fairness_answer(turn.kept_body)
    if parsed is None or grievance is None or turn.message.media:
        return None
    score, comment = parsed
    if score not in mechanism_feedback.SCORES:
        return turn.say(sms_texts.FAIRNESS_RANGE)
    if not mechanism_feedback.question_open(grievance, turn.now):
        asks.close(ask, "closed", turn.now)
        return None
    via = FeedbackVia.WHATSAPP if turn.message.channel is Channel.WHATSAPP else FeedbackVia.SMS
    actor = actor_of(ask)

    def answer() -> object:
        return mechanism_feedback.answer_fairness(
            actor, grievance, score, comment, via, ask.person_id
        )

    if not take(turn, ask, answer):
        return None
    asks.close(ask, "answered", turn.now)
    turn.answered_grievance_id = grievance.id
    return turn.say(sms_texts.FAIRNESS_THANKS)
