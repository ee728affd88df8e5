"""Parallel proceedings pause a track; the team resumes it when they end.

A court, a labour inspectorate or an OECD National Contact Point may take up the matter
(UNGP 27). The team pauses the track with the kind of proceeding and a reason; the pause
keeps the state to go back to. While paused nothing falls overdue (the state has no
deadline); resuming restarts the deadline of the state resumed from that moment.
"""

from __future__ import annotations

from remedy.cases.contests import checked_reason
from remedy.cases.triggers import fire
from remedy.core.actors import Actor
from remedy.core.unit_of_work import transactional
from remedy.models.involvement_track import InvolvementTrack, ProceedingKind
from remedy.workflows.states import TrackState


def is_paused(track: InvolvementTrack) -> bool:
    return track.state == TrackState.PARALLEL_PROCEEDINGS


@transactional
def enter_parallel_proceedings(
    actor: Actor, track: InvolvementTrack, reason: str, kind: ProceedingKind | None
) -> None:
    reason = checked_reason(reason)
    paused_in = track.state
    fire(track, "enter_parallel_proceedings", actor, reason=reason, proceeding=kind)
    track.proceedings_state = paused_in
    track.proceeding_kind = kind
    track.proceedings_reason = reason


@transactional
def resume_after_proceedings(actor: Actor, track: InvolvementTrack, reason: str) -> None:
    """Back to the state the proceedings paused; its deadline counts from now."""
    fire(track, "resume_after_proceedings", actor, reason=checked_reason(reason))
    track.proceedings_state = None
    track.proceeding_kind = None
    track.proceedings_reason = None
