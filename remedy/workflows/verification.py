"""The part every track shares: the affected people verify the remedy, then monitoring.

``confirm``, ``confirm_partly`` and ``dispute`` belong to the affected people (or
a proxy whose mandate covers check-ins), never to staff: the check-in service
fires them when the answers reach a verdict (see docs/workflows.md for the rule
on collective grievances). A supervisor may close without confirmation only
after the check-in window, and the outcome then says "unconfirmed".
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from remedy.workflows import guards
from remedy.workflows.definition import MandateScope, Party, State, Transition, transition
from remedy.workflows.states import TrackState

REMEDY_ENDINGS = ("remedied", "partly_remedied", "unconfirmed", "referred")


def verification_states() -> tuple[State, ...]:
    return (
        State(TrackState.VERIFYING, _l("Affected people verifying"), deadline="verify"),
        State(TrackState.REMEDIED, _l("Remedied"), ended=True),
        State(TrackState.PARTLY_REMEDIED, _l("Partly remedied"), ended=True),
        State(TrackState.UNCONFIRMED, _l("Closed without confirmation"), ended=True),
        State(TrackState.REFERRED, _l("Referred"), ended=True),
        State(TrackState.WITHDRAWN, _l("Withdrawn"), ended=True),
    )


def verification_transitions(
    work_state: str, open_states: tuple[str, ...], reopenable: tuple[str, ...] = REMEDY_ENDINGS
) -> tuple[Transition, ...]:
    """``work_state`` is where a dispute sends the track back to."""
    # fmt: off
    return (
        transition("confirm", "verifying", "remedied", Party.COMPLAINANT, _l("Confirm delivery"),
                   notify="remedied", mandate_scope=MandateScope.ANSWER_CHECK_INS),
        transition("confirm_partly", "verifying", "partly_remedied", Party.COMPLAINANT,
                   _l("Confirm in part"), requires=("gap",), notify="partly_remedied",
                   mandate_scope=MandateScope.ANSWER_CHECK_INS),
        transition("dispute", "verifying", work_state, Party.COMPLAINANT, _l("Dispute delivery"),
                   notify="disputed", mandate_scope=MandateScope.ANSWER_CHECK_INS),
        transition("close_without_confirmation", "verifying", "unconfirmed", Party.MECHANISM_SUPERVISOR,
                   _l("Close without confirmation"), requires=("reason",),
                   guards=(guards.check_in_window_elapsed,), notify="closed_unconfirmed"),
        transition("reopen", reopenable, work_state, Party.COMPLAINANT, _l("Reopen"),
                   guards=(guards.within_monitoring_window,), notify="reopened",
                   mandate_scope=MandateScope.ANSWER_CHECK_INS),
        transition("withdraw", open_states, "withdrawn", Party.SYSTEM, _l("Withdraw")),
    )
    # fmt: on
