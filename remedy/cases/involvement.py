"""How each organisation is involved, told to the people in plain words (UNGP 13, 19, 22).

A "directly linked" finding carries no duty to remedy: the people can contest it only if
they are told it, with the organisation's name and what it must do. Every channel (web,
SMS and voice STATUS, the proxy portal) says the same sentences, from here, once the case
is opened with its PIN (or by a mandated proxy): they name organisations.

The business partner of a directly linked organisation is the target of its first
leverage action: the one business relationship the team has named for it. Until the team
records one, the sentence speaks of "a business partner".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString

from remedy.cases import people_texts
from remedy.messaging import sms_texts
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack, TrackKind

SENTENCES: dict[TrackKind, LazyString] = {
    TrackKind.CAUSE: sms_texts.INVOLVED_CAUSE,
    TrackKind.CONTRIBUTE: sms_texts.INVOLVED_CONTRIBUTE,
    TrackKind.DIRECTLY_LINKED: sms_texts.INVOLVED_LINKED,
}


@dataclass(frozen=True)
class Involvement:
    track_id: int
    organisation: str
    kind: TrackKind
    sentence: str
    # The team's words for the people, when written, in the reader's language when written
    # in it (never the staff rationale).
    explanation: str | None


def linked_partner(track: InvolvementTrack) -> str | None:
    """The business relationship a directly linked organisation must press to act."""
    return track.leverage_actions[0].target if track.leverage_actions else None


def sentence(track: InvolvementTrack) -> str:
    """Rendered in the current locale."""
    values = {"organisation": track.organisation.name}
    text = SENTENCES[track.kind]
    if track.kind is TrackKind.DIRECTLY_LINKED:
        partner = linked_partner(track)
        if partner is None:
            text = sms_texts.INVOLVED_LINKED_UNNAMED
        else:
            values["partner"] = partner
    return str(text) % values


def involvements(grievance: Grievance) -> tuple[Involvement, ...]:
    """Every track of the case: the people may know about each organisation involved."""
    return tuple(
        Involvement(
            track_id=track.id,
            organisation=track.organisation.name,
            kind=track.kind,
            sentence=sentence(track),
            explanation=people_texts.explanation(track),
        )
        for track in sorted(grievance.tracks, key=lambda t: t.id)
    )
