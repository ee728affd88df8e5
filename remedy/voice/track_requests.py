"""What the caller asks about one organisation's part, by voice: contesting how it is
involved (UNGP 13, 19, 22) and asking why an automated decision was made.

The status read to the caller names each organisation's part; these are the two requests
the people make about one of them, through the same services as SMS (``CONTEST``,
``EXPLAIN``) and the web case page. With several organisations to choose from, the caller
picks one by keypad; then speaks after the beep: why they disagree (required), or what
they want explained (optional: the hash key alone asks for the explanation). What they
said is "[voice recording]", with the recording as the case's attachment once the worker
has fetched it, as every spoken answer is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from remedy.cases.contests import contest_classification
from remedy.cases.explanations import request_explanation
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.call import RecordingPurpose
from remedy.models.involvement_track import InvolvementTrack
from remedy.voice.case import actor_of, grievance_of, take, told
from remedy.voice.turn import CallTurn, Step, not_understood, recording_prompt


@dataclass(frozen=True)
class TrackRequest:
    """One request: the call's states for it, what the recording is, and the service."""

    name: str  # the call's trigger from the case menu, and its states' prefix
    purpose: RecordingPurpose
    service: Callable[[Actor, InvolvementTrack, str | None], None]
    spoken_required: bool

    @property
    def said_trigger(self) -> str:
        return f"give_{self.name}_reason"


REQUESTS = (
    TrackRequest(
        "contest",
        RecordingPurpose.CONTEST_REASON,
        lambda actor, track, said: contest_classification(actor, track, said or ""),
        spoken_required=True,
    ),
    TrackRequest(
        "explain",
        RecordingPurpose.EXPLANATION_QUESTION,
        request_explanation,
        spoken_required=False,
    ),
)


def _tracks(turn: CallTurn) -> list[InvolvementTrack]:
    """The tracks offered when the caller chose the request (the call's choices)."""
    ids = [int(part) for part in (turn.call.choices or "").split(",") if part.isdigit()]
    return [track for track in (db.session.get(InvolvementTrack, id_) for id_ in ids) if track]


def ask_which(turn: CallTurn) -> None:
    gather = turn.speech.gather(turn.call.turn)
    for digit, track in enumerate(_tracks(turn), 1):
        turn.speech.prompt(
            "organisation", gather, organisation=track.organisation.name, digit=digit
        )


def answer_which(turn: CallTurn) -> None:
    tracks = _tracks(turn)
    picked = turn.digit()
    if picked is None or not 1 <= picked <= len(tracks):
        not_understood(turn)
        return
    turn.call.choices = str(tracks[picked - 1].id)
    turn.fire("choose_track")


def said_step(request: TrackRequest) -> Step:
    def answer(turn: CallTurn) -> None:
        kept = turn.keep_recording(request.purpose)
        if kept is None and request.spoken_required:
            turn.speech.prompt("nothing_heard")
            return
        track, grievance = _tracks(turn)[0], grievance_of(turn)
        actor = actor_of(turn, grievance)
        said = told() if kept is not None else None
        if take(turn, grievance, lambda: request.service(actor, track, said)):
            turn.speech.prompt(f"{request.name}_received")
        turn.fire(request.said_trigger)

    return Step(recording_prompt(f"{request.name}_reason"), answer)


STEPS: dict[str, Step] = {
    name: step
    for request in REQUESTS
    for name, step in (
        (f"{request.name}_which", Step(ask_which, answer_which)),
        (f"{request.name}_reason", said_step(request)),
    )
}
