"""The people contest how an organisation is involved; a supervisor reviews it.

The contest pauses the track (``classification_contested``), keeping the state to go
back to and the people's reason. One of the mechanism's own supervisors who did not
classify the track then upholds the classification, with a reason the people are told,
or reclassifies it (:func:`remedy.cases.tracks.reclassify`).
"""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.cases.intake import MAX_TEXT
from remedy.cases.triggers import fire
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.unit_of_work import transactional
from remedy.models.involvement_track import InvolvementTrack
from remedy.workflows.states import TrackState


def checked_reason(value: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput(_("Tell us why, in a few words."), "reason")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_TEXT), "reason"
        )
    return cleaned


def is_contested(track: InvolvementTrack) -> bool:
    return track.state == TrackState.CLASSIFICATION_CONTESTED


@transactional
def contest_classification(actor: Actor, track: InvolvementTrack, reason: str) -> None:
    """The people (or their mandated proxy) disagree with how the organisation is involved."""
    reason = checked_reason(reason)
    contested_in = track.state
    fire(track, "contest_classification", actor, reason=reason)
    track.contested_state = contested_in
    track.contest_reason = reason


@transactional
def uphold_classification(actor: Actor, track: InvolvementTrack, reason: str) -> None:
    """The classification stands: the track goes back to where it was contested."""
    reason = checked_reason(reason)
    fire(track, "uphold_classification", actor, reason=reason, notify_values={"reason": reason})
    clear_contest(track)


def clear_contest(track: InvolvementTrack) -> None:
    track.contested_state = None
    track.contest_reason = None
