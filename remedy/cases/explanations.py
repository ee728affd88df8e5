"""An explanation of an automated decision: asked for by the people or the team, given
by the team before its own deadline (``remedy.workflows.explaining``).

The request pauses the track in ``explanation_requested``, keeping the state to go back
to and what the people asked (optional: "why was my account closed?"). The team's
explanation is told to the people in their language through the outbox, and kept on the
track for the case page; the deadline job flags it overdue when it is late.
"""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.cases.intake import MAX_TEXT
from remedy.cases.triggers import fire
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.unit_of_work import transactional
from remedy.models.grievance import Category, Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.workflows.states import TrackState


def _bounded(value: str | None, field: str) -> str:
    cleaned = (value or "").strip()
    if "\x00" in cleaned:
        raise InvalidInput(_("Remove the invisible control characters."), field)
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=MAX_TEXT), field)
    return cleaned


def is_about_automated_decision(grievance: Grievance) -> bool:
    return grievance.category is Category.AUTOMATED_DECISION


def is_awaiting_explanation(track: InvolvementTrack) -> bool:
    return track.state == TrackState.EXPLANATION_REQUESTED


@transactional
def request_explanation(actor: Actor, track: InvolvementTrack, question: str | None = None) -> None:
    """The people (or their mandated proxy, or the team for them) ask why the automated
    decision was made; ``question`` says what they want explained, if they said."""
    question = _bounded(question, "question") or None
    asked_in = track.state
    fire(track, "request_explanation", actor)
    track.explanation_asked_in = asked_in
    track.explanation_question = question


@transactional
def give_explanation(actor: Actor, track: InvolvementTrack, explanation: str) -> None:
    """The team explains the decision; the people are told it, and the track goes back."""
    explanation = _bounded(explanation, "explanation")
    if not explanation:
        raise InvalidInput(_("Write the explanation the people will be told."), "explanation")
    fire(
        track,
        "give_explanation",
        actor,
        explanation=explanation,
        notify_values={"explanation": explanation},
    )
    track.explanation_asked_in = None
    track.explanation_given = explanation
