"""The people contest a classification: how an organisation is involved (UNGP 13, 19, 22).

A "directly linked" finding carries no duty to remedy, so the people may contest any
classification while the track is open. The track pauses in ``classification_contested``
until one of the mechanism's own supervisors, not the one who classified it, reviews it:
``uphold_classification`` (with a reason told to the people) sends the track back to the
state it was contested in; reclassifying (``remedy.cases.tracks.reclassify``) restarts it
in the new kind's workflow.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from remedy.workflows import guards
from remedy.workflows.definition import MandateScope, Party, State, Transition, transition
from remedy.workflows.states import TrackState

CONTESTED: str = TrackState.CLASSIFICATION_CONTESTED.value


def contesting_states() -> tuple[State, ...]:
    return (
        State(
            TrackState.CLASSIFICATION_CONTESTED,
            _l("Classification contested"),
            deadline="contest_review",
        ),
    )


def contesting_transitions(work_states: tuple[str, ...]) -> tuple[Transition, ...]:
    """``work_states``: where the people may contest, and where an upheld one goes back."""
    # fmt: off
    return (
        transition("contest_classification", work_states, CONTESTED, Party.COMPLAINANT,
                   _l("Contest the classification"), requires=("reason",),
                   notify="classification_contested",
                   mandate_scope=MandateScope.ANSWER_PROPOSALS),
        *(transition("uphold_classification", CONTESTED, state, Party.MECHANISM_SUPERVISOR,
                     _l("Uphold the classification"), requires=("reason",),
                     guards=(guards.reviewer_did_not_classify,),
                     route=guards.contested_in(state), notify="classification_upheld")
          for state in work_states),
    )
    # fmt: on
