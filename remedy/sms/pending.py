"""STATUS with the PIN also shows the step the case waits for: the team's question, the
proposal's list, the check-in. A discreet case's phone was told only that there is
news; after STATUS, the number that gave the PIN may answer that step by SMS for a
while (``REMEDY_UNLOCK_MINUTES``), as if the case were not discreet."""

from __future__ import annotations

from remedy.cases import asks
from remedy.models.grievance import Grievance
from remedy.sms.turn import Turn


def pending_step(turn: Turn, grievance: Grievance) -> str | None:
    """The words of the step the case waits for, now answerable from this number."""
    ask = asks.pending_for(grievance, turn.now)
    if ask is None:
        return None
    words = ask.held_text
    if words is None and ask.outbox_message is not None and not grievance.discreet_messages:
        words = ask.outbox_message.body
    asks.unlock(ask, turn.phone_hash, turn.now)
    return words
