"""Track "contribute" (UNGP 13a, 19, 22): the organisation contributed, alone or with others.

As for cause, but a proposal also needs a leverage plan toward the other
contributors, and implementation tracks remedy and leverage actions together.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from remedy.workflows import guards
from remedy.workflows.cause import OPEN, STATES
from remedy.workflows.definition import MandateScope, Party, Workflow, transition
from remedy.workflows.verification import verification_transitions

TEAM, COMPLAINANT, SYSTEM = Party.TEAM, Party.COMPLAINANT, Party.SYSTEM

# fmt: off
TRANSITIONS = (
    transition("propose_remedy", ("planning", "dialogue"), "proposed", TEAM, _l("Propose a remedy"),
               guards=(guards.has_remedy_actions, guards.has_leverage_plan),
               notify="remedy_proposed"),
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
)
# fmt: on

CONTRIBUTE = Workflow(
    "contribute", _l("Track: contributed"), STATES, TRANSITIONS, initial="planning"
)
