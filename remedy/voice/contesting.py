"""Contesting how an organisation is involved, by voice (UNGP 13, 19, 22).

The status read to the caller names each organisation's part; this is how they disagree
with one, through the same service as SMS ``CONTEST`` and the web case page. With several
organisations whose part may be contested, the caller picks one by keypad; then says why
after the beep. The reason is "[voice recording]", with the recording as the case's
attachment once the worker has fetched it, as every spoken answer is.
"""

from __future__ import annotations

from remedy.cases.contests import contest_classification
from remedy.core.extensions import db
from remedy.models.call import RecordingPurpose
from remedy.models.involvement_track import InvolvementTrack
from remedy.voice.case import actor_of, grievance_of, take, told
from remedy.voice.turn import CallTurn, Step, not_understood, recording_prompt


def _tracks(turn: CallTurn) -> list[InvolvementTrack]:
    """The tracks the caller may contest, as offered when they chose to (the call's choices)."""
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


def answer_reason(turn: CallTurn) -> None:
    if turn.keep_recording(RecordingPurpose.CONTEST_REASON) is None:
        turn.speech.prompt("nothing_heard")
        return
    track, grievance = _tracks(turn)[0], grievance_of(turn)
    actor = actor_of(turn, grievance)
    if take(turn, grievance, lambda: contest_classification(actor, track, told())):
        turn.speech.prompt("contest_received")
    turn.fire("give_contest_reason")


STEPS: dict[str, Step] = {
    "contest_which": Step(ask_which, answer_which),
    "contest_reason": Step(recording_prompt("contest_reason"), answer_reason),
}
