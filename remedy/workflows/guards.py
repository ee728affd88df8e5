"""Guards: conditions a trigger needs beyond its source state and who fires it.

Each guard takes the :class:`remedy.workflows.context.TriggerContext` and returns
``None`` when the trigger may go ahead, or the reason it may not, in words the
person who asked can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from remedy.models.grievance import Category
from remedy.workflows.context import TriggerContext

Refusal: TypeAlias = "LazyString | None"


def every_track_ended(ctx: TriggerContext) -> Refusal:
    tracks = ctx.grievance.tracks
    if tracks and all(track.is_ended for track in tracks):
        return None
    return _l("Every involvement track must have ended first.")


def within_appeal_window(ctx: TriggerContext) -> Refusal:
    decided_at = ctx.grievance.decided_at
    if decided_at is not None and ctx.now <= decided_at + ctx.settings.appeal_window:
        return None
    return _l("The time to appeal this decision has passed.")


def reviewer_is_not_the_decider(ctx: TriggerContext) -> Refusal:
    decider = ctx.grievance.decided_by_user_id
    if decider is not None and ctx.actor.user_id == decider:
        return _l("An appeal is reviewed by someone other than the person who decided.")
    return None


def appealed_from(*states: str) -> Callable[[Any], bool]:
    """Route for uphold and overturn: where the appealed decision was taken."""

    def route(grievance: Any) -> bool:
        return grievance.appealed_state in states

    route.__name__ = f"appealed_from_{'_or_'.join(states)}"
    return route


def reviewer_did_not_classify(ctx: TriggerContext) -> Refusal:
    """A contested classification is reviewed by someone other than who decided it."""
    classifications = ctx.on_track.classifications
    if classifications and classifications[-1].decided_by == ctx.actor.id:
        return _l("A contested classification is reviewed by someone other than who decided it.")
    return None


def contested_in(state: str) -> Callable[[Any], bool]:
    """Route for uphold_classification: back to where the people contested."""

    def route(track: Any) -> bool:
        return bool(track.contested_state == state)

    route.__name__ = f"contested_in_{state}"
    return route


def about_automated_decision(ctx: TriggerContext) -> Refusal:
    """An explanation is owed for an automated or algorithmic decision only."""
    if ctx.grievance.category is Category.AUTOMATED_DECISION:
        return None
    return _l("An explanation is asked for when the grievance is about an automated decision.")


def explanation_asked_in(state: str) -> Callable[[Any], bool]:
    """Route for give_explanation: back to where the explanation was asked for."""

    def route(track: Any) -> bool:
        return bool(track.explanation_asked_in == state)

    route.__name__ = f"explanation_asked_in_{state}"
    return route


def paused_in(state: str) -> Callable[[Any], bool]:
    """Route for resume_after_proceedings: back to where the proceedings paused the track."""

    def route(track: Any) -> bool:
        return bool(track.proceedings_state == state)

    route.__name__ = f"paused_in_{state}"
    return route


def has_remedy_actions(ctx: TriggerContext) -> Refusal:
    if any(action.is_active for action in ctx.on_track.remedy_actions):
        return None
    return _l("Add at least one remedy action first.")


def has_leverage_plan(ctx: TriggerContext) -> Refusal:
    if ctx.on_track.leverage_actions:
        return None
    return _l("Add at least one leverage action toward the others involved first.")


def every_remedy_action_delivered(ctx: TriggerContext) -> Refusal:
    active = [action for action in ctx.on_track.remedy_actions if action.is_active]
    if active and all(action.is_delivered for action in active):
        return None
    return _l("Every remedy action must be reported delivered first.")


def check_in_window_elapsed(ctx: TriggerContext) -> Refusal:
    ends = ctx.on_track.check_in_window_ends_at
    if ends is not None and ctx.now >= ends:
        return None
    return _l("The affected people still have time to answer the check-in.")


def within_monitoring_window(ctx: TriggerContext) -> Refusal:
    ended = ctx.on_track.ended_at
    if ended is not None and ctx.now <= ended + ctx.settings.monitoring_window:
        return None
    return _l("The monitoring period for this remedy has ended.")
