"""Taking a step for the person an ask was put to: as them, with one acknowledgement."""

from __future__ import annotations

from collections.abc import Callable

from remedy.cases import asks
from remedy.cases.message_context import answered_in_reply
from remedy.core.actors import Actor
from remedy.models.ask import Ask
from remedy.sms.turn import Turn, allowed


def actor_of(ask: Ask) -> Actor:
    assert ask.grievance is not None
    return Actor.complainant(ask.grievance.reference, ask.person_id)


def take(turn: Turn, ask: Ask, step: Callable[[], object]) -> bool:
    """Run the step for the person asked; a refusal closes the ask."""
    with answered_in_reply(ask.person_id):
        done = allowed(step)
    if not done:
        asks.close(ask, "refused", turn.now)
    return done
