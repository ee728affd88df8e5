"""Track "directly linked" (UNGP 13b, 19): a business relationship caused the harm.

The organisation must use its leverage to prevent and mitigate; it is not
required to provide remedy itself but may take a role. Ending the relationship
needs an assessment of the impacts of ending it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from remedy.workflows import guards
from remedy.workflows.contesting import contesting_states, contesting_transitions
from remedy.workflows.definition import Party, State, Workflow, transition
from remedy.workflows.explaining import explaining_states, explaining_transitions
from remedy.workflows.proceedings import proceedings_states, proceedings_transitions
from remedy.workflows.states import TrackState
from remedy.workflows.verification import (
    REMEDY_ENDINGS,
    verification_states,
    verification_transitions,
)

TEAM, SUPERVISOR, SYSTEM = Party.TEAM, Party.SUPERVISOR, Party.SYSTEM
WORK = ("engaging", "escalated", "partner_remedying", "verifying")
PAUSED = ("classification_contested", "explanation_requested", "parallel_proceedings")
OPEN = (*WORK, *PAUSED)

STATES = (
    State(TrackState.ENGAGING, _l("Engaging the partner"), deadline="engage"),
    State(TrackState.ESCALATED, _l("Escalated"), deadline="escalate"),
    State(TrackState.PARTNER_REMEDYING, _l("Partner remedying"), deadline="partner_remedy"),
    *verification_states(),
    State(TrackState.RELATIONSHIP_ENDED, _l("Relationship ended"), ended=True),
    *contesting_states(),
    *explaining_states(),
    *proceedings_states(),
)

# fmt: off
TRANSITIONS = (
    transition("record_leverage", "engaging", "engaging", TEAM, _l("Record leverage"),
               guards=(guards.has_leverage_plan,), notify="leverage_recorded"),
    transition("partner_commits", ("engaging", "escalated"), "partner_remedying", TEAM,
               _l("Partner commits to remedy"), guards=(guards.has_remedy_actions,),
               notify="partner_committed"),
    transition("escalate", "engaging", "escalated", TEAM, _l("Escalate"),
               requires=("reason",), notify="escalated"),
    transition("refer", "engaging", "referred", TEAM, _l("Refer"),
               requires=("reason", "referral"), notify="referred"),
    transition("end_relationship", "escalated", "relationship_ended", SUPERVISOR,
               _l("End the relationship"), requires=("impact_assessment",),
               notify="relationship_ended"),
    transition("start_verification", "partner_remedying", "verifying", SYSTEM,
               _l("Start verification"), guards=(guards.every_remedy_action_delivered,),
               notify="check_in"),
    *verification_transitions("engaging", OPEN, (*REMEDY_ENDINGS, "relationship_ended")),
    *contesting_transitions(WORK),
    *explaining_transitions(WORK),
    *proceedings_transitions(WORK),
)
# fmt: on

DIRECTLY_LINKED = Workflow(
    "directly_linked", _l("Track: directly linked"), STATES, TRANSITIONS, initial="engaging"
)
