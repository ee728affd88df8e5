"""Intake: from a received grievance to assessment, a decision, and appeal (DESIGN §4).

A grievance runs this workflow; assessment opens one involvement track per
organisation, and the grievance is resolved when every track has ended.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from remedy.workflows import guards
from remedy.workflows.definition import MandateScope, Party, State, Workflow, transition
from remedy.workflows.states import IntakeState

TEAM, COMPLAINANT, SYSTEM = Party.TEAM, Party.COMPLAINANT, Party.SYSTEM
MECHANISM_SUPERVISOR = Party.MECHANISM_SUPERVISOR
OPEN = ("received", "screening", "awaiting_complainant", "assessment", "in_remedy", "under_review")
DECIDED = ("not_admissible", "no_involvement", "resolved")

STATES = (
    State(IntakeState.RECEIVED, _l("Received"), deadline="acknowledge"),
    State(IntakeState.SCREENING, _l("Screening"), deadline="screening"),
    State(
        IntakeState.AWAITING_COMPLAINANT,
        _l("Waiting for the complainant"),
        deadline="complainant_reply",
    ),
    State(IntakeState.ASSESSMENT, _l("Assessment"), deadline="assessment"),
    State(IntakeState.IN_REMEDY, _l("In remedy")),
    State(IntakeState.UNDER_REVIEW, _l("Appeal under review"), deadline="appeal_review"),
    State(IntakeState.RESOLVED, _l("Resolved"), ended=True),
    State(IntakeState.NOT_ADMISSIBLE, _l("Not admissible"), ended=True),
    State(IntakeState.NO_INVOLVEMENT, _l("No involvement"), ended=True),
    State(IntakeState.WITHDRAWN, _l("Withdrawn"), ended=True),
)

TRANSITIONS = (
    transition(
        "acknowledge", "received", "screening", SYSTEM, _l("Acknowledge"), notify="acknowledged"
    ),
    transition("accept", "screening", "assessment", TEAM, _l("Accept"), notify="accepted"),
    transition(
        "reject",
        "screening",
        "not_admissible",
        TEAM,
        _l("Reject"),
        requires=("reason", "referral"),
        notify="rejected",
    ),
    transition(
        "request_info",
        "screening",
        "awaiting_complainant",
        TEAM,
        _l("Ask for information"),
        requires=("question",),
        notify="info_requested",
    ),
    transition(
        "info_received",
        "awaiting_complainant",
        "screening",
        (COMPLAINANT, TEAM),
        _l("Information received"),
        requires=("information",),
        notify="info_received",
    ),
    transition(
        "info_overdue", "awaiting_complainant", "screening", SYSTEM, _l("No answer in time")
    ),
    transition(
        "classify",
        "assessment",
        "in_remedy",
        TEAM,
        _l("Classify involvement"),
        requires=("tracks",),
        notify="classified",
    ),
    transition(
        "find_no_involvement",
        "assessment",
        "no_involvement",
        TEAM,
        _l("Find no involvement"),
        requires=("reason", "referral"),
        notify="no_involvement",
    ),
    transition(
        "resolve",
        "in_remedy",
        "resolved",
        SYSTEM,
        _l("Resolve"),
        guards=(guards.every_track_ended,),
        notify="resolved",
    ),
    transition("reopen", "resolved", "in_remedy", SYSTEM, _l("Reopen")),
    transition(
        "withdraw",
        OPEN,
        "withdrawn",
        COMPLAINANT,
        _l("Withdraw"),
        notify="withdrawn",
        mandate_scope=MandateScope.FOLLOW,
    ),
    transition(
        "appeal",
        DECIDED,
        "under_review",
        COMPLAINANT,
        _l("Appeal"),
        requires=("reason",),
        guards=(guards.within_appeal_window,),
        notify="appeal_received",
        mandate_scope=MandateScope.FOLLOW,
    ),
    *(
        transition(
            "uphold",
            "under_review",
            decided,
            MECHANISM_SUPERVISOR,
            _l("Uphold the decision"),
            requires=("reason",),
            guards=(guards.reviewer_is_not_the_decider,),
            route=guards.appealed_from(decided),
            notify="appeal_upheld",
        )
        for decided in DECIDED
    ),
    transition(
        "overturn",
        "under_review",
        "screening",
        MECHANISM_SUPERVISOR,
        _l("Overturn the decision"),
        requires=("reason",),
        guards=(guards.reviewer_is_not_the_decider,),
        route=guards.appealed_from("not_admissible"),
        notify="appeal_overturned",
    ),
    transition(
        "overturn",
        "under_review",
        "assessment",
        MECHANISM_SUPERVISOR,
        _l("Overturn the decision"),
        requires=("reason",),
        guards=(guards.reviewer_is_not_the_decider,),
        route=guards.appealed_from("no_involvement", "resolved"),
        notify="appeal_overturned",
    ),
)

INTAKE = Workflow("intake", _l("Intake"), STATES, TRANSITIONS, initial="received")
