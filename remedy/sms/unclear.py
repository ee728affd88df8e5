"""A message that is unclear: from the number of someone with an open case, answering
nothing asked, outside any filing conversation, not a greeting. Is it about the case,
or a new complaint? The message is held (encrypted) and the number asked:
"About case 8548 7756? 1 yes, 2 a new complaint". 1 keeps it on the case for the team
(no workflow step); 2 starts a filing conversation with it.

The case is named only to its own contact number, and never for a discreet case:
otherwise the question stays neutral.
"""

from __future__ import annotations

from remedy.cases import asks
from remedy.cases.phone_information import keep_message
from remedy.core.references import display
from remedy.messaging import sms_texts
from remedy.models.ask import Ask, AskKind
from remedy.sms.asked_steps import actor_of, take
from remedy.sms.filing import begin
from remedy.sms.keywords import choice, greeting_language
from remedy.sms.open_case import newest_open_case
from remedy.sms.turn import Turn


def ask_which_case(turn: Turn) -> str | None:
    """Hold an unclear message and ask what it is about; None when it is clear enough."""
    if turn.conversation is not None or not turn.body or turn.message.media:
        return None
    if greeting_language(turn.body) is not None:
        return None
    found = newest_open_case(turn.hashes)
    if found is None:
        return None
    grievance, link = found
    ask = asks.open_ask(
        AskKind.WHICH_CASE,
        turn.phone_hash,
        grievance=grievance,
        person_id=link.person_id,
        held_text=turn.kept_body,
        now=turn.now,
    )
    return _question(turn, ask, link.receives_messages)


def _question(turn: Turn, ask: Ask, own_contact: bool) -> str:
    grievance = ask.grievance
    assert grievance is not None
    if own_contact and not grievance.discreet_messages:
        return turn.say(sms_texts.WHICH_CASE, reference=display(grievance.reference))
    return turn.say(sms_texts.WHICH_CASE_NEUTRAL)


def answer_which_case(turn: Turn, ask: Ask) -> str | None:
    grievance = ask.grievance
    if grievance is None or not turn.body or greeting_language(turn.body) is not None:
        return None
    held = ask.held_text or ""
    picked = choice(turn.body, 2)
    if picked == 1:
        if not take(turn, ask, lambda: keep_message(actor_of(ask), grievance, held)):
            return None
        asks.close(ask, "about the case", turn.now)
        return turn.say(sms_texts.INFORMATION_THANKS)
    if picked == 2:
        asks.close(ask, "new complaint", turn.now)
        turn.handle_as(held)
        return begin(turn)
    # Still unclear: more of the same message, and the same question.
    ask.held_text = f"{held}\n{turn.kept_body}"
    own_contact = any(
        link.person_id == ask.person_id and link.receives_messages for link in grievance.people
    )
    return _question(turn, ask, own_contact)
