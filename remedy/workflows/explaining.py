"""An automated decision explained: the people's right to an explanation (UN B-Tech).

On a grievance about an automated or algorithmic decision, the people (or a mandated
proxy) or the team may ask for an explanation of the decision while a track is at work.
The track waits in ``explanation_requested`` with a deadline of its own
(``explanation`` in the jurisdiction policy) until the team gives the explanation, which
the people are told in their language; the track then goes back to the state the
request was made in. The guard refuses the step on any other category.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from remedy.workflows import guards
from remedy.workflows.definition import MandateScope, Party, State, Transition, transition
from remedy.workflows.states import TrackState

EXPLAINING: str = TrackState.EXPLANATION_REQUESTED.value


def explaining_states() -> tuple[State, ...]:
    return (
        State(
            TrackState.EXPLANATION_REQUESTED,
            _l("Explanation requested"),
            deadline="explanation",
        ),
    )


def explaining_transitions(work_states: tuple[str, ...]) -> tuple[Transition, ...]:
    """``work_states``: where an explanation may be asked for, and where giving it goes back."""
    # fmt: off
    return (
        transition("request_explanation", work_states, EXPLAINING, (Party.COMPLAINANT, Party.TEAM),
                   _l("Ask for an explanation of the decision"),
                   guards=(guards.about_automated_decision,), notify="explanation_requested",
                   mandate_scope=MandateScope.ANSWER_PROPOSALS),
        *(transition("give_explanation", EXPLAINING, state, Party.TEAM,
                     _l("Give the explanation"), requires=("explanation",),
                     route=guards.explanation_asked_in(state), notify="explanation_given")
          for state in work_states),
    )
    # fmt: on
