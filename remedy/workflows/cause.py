"""Track "cause" (UNGP 13a, 22): the organisation caused the harm. It must cease it and
provide for or cooperate in remediation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from remedy.workflows import guards
from remedy.workflows.contesting import contesting_states, contesting_transitions
from remedy.workflows.definition import MandateScope, Party, State, Workflow, transition
from remedy.workflows.explaining import explaining_states, explaining_transitions
from remedy.workflows.proceedings import proceedings_states, proceedings_transitions
from remedy.workflows.states import TrackState
from remedy.workflows.verification import verification_states, verification_transitions

TEAM, COMPLAINANT, SYSTEM = Party.TEAM, Party.COMPLAINANT, Party.SYSTEM
WORK = ("planning", "proposed", "dialogue", "implementing", "verifying")
PAUSED = ("classification_contested", "explanation_requested", "parallel_proceedings")
OPEN = (*WORK, *PAUSED)

STATES = (
    State(TrackState.PLANNING, _l("Planning the remedy"), deadline="plan_remedy"),
    State(TrackState.PROPOSED, _l("Remedy proposed"), deadline="complainant_answer"),
    State(TrackState.DIALOGUE, _l("In dialogue"), deadline="dialogue"),
    State(TrackState.IMPLEMENTING, _l("Implementing"), deadline="implement"),
    *verification_states(),
    *contesting_states(),
    *explaining_states(),
    *proceedings_states(),
)

# fmt: off
TRANSITIONS = (
    transition("propose_remedy", ("planning", "dialogue"), "proposed", TEAM, _l("Propose a remedy"),
               guards=(guards.has_remedy_actions,), notify="remedy_proposed"),
    transition("accept_proposal", "proposed", "implementing", COMPLAINANT, _l("Accept the proposal"),
               notify="proposal_accepted", mandate_scope=MandateScope.ANSWER_PROPOSALS),
    transition("decline_proposal", "proposed", "dialogue", COMPLAINANT, _l("Decline the proposal"),
               requires=("reason",), notify="proposal_declined",
               mandate_scope=MandateScope.ANSWER_PROPOSALS),
    transition("refer", "dialogue", "referred", TEAM, _l("Refer"),
               requires=("reason", "referral"), notify="referred"),
    transition("start_verification", "implementing", "verifying", SYSTEM, _l("Start verification"),
               guards=(guards.every_remedy_action_delivered,), notify="check_in"),
    *verification_transitions("implementing", OPEN),
    *contesting_transitions(WORK),
    *explaining_transitions(WORK),
    *proceedings_transitions(WORK),
)
# fmt: on

CAUSE = Workflow("cause", _l("Track: caused"), STATES, TRANSITIONS, initial="planning")
