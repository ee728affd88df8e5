"""Parallel proceedings: a court, a labour inspectorate or a National Contact Point takes
up the matter while the track is open (UNGP 27: State-based mechanisms come first).

The team pauses the track in ``parallel_proceedings`` from any work state, with the kind
of proceeding and a reason. The state has no deadline, so nothing falls overdue while it
lasts, and the track is not ended. ``resume_after_proceedings`` goes back to the state it
was paused in, whose deadline starts again from the moment it resumes.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from remedy.workflows import guards
from remedy.workflows.definition import Party, State, Transition, transition
from remedy.workflows.states import TrackState

PAUSED: str = TrackState.PARALLEL_PROCEEDINGS.value


def proceedings_states() -> tuple[State, ...]:
    return (State(TrackState.PARALLEL_PROCEEDINGS, _l("Parallel proceedings")),)


def proceedings_transitions(work_states: tuple[str, ...]) -> tuple[Transition, ...]:
    """``work_states``: where the team may pause, and where resuming goes back to."""
    # fmt: off
    return (
        transition("enter_parallel_proceedings", work_states, PAUSED, Party.TEAM,
                   _l("Pause for parallel proceedings"), requires=("reason", "proceeding"),
                   notify="proceedings_started"),
        *(transition("resume_after_proceedings", PAUSED, state, Party.TEAM,
                     _l("Resume after the proceedings"), requires=("reason",),
                     route=guards.paused_in(state), notify="proceedings_ended")
          for state in work_states),
    )
    # fmt: on
