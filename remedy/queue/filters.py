"""The team's queue filters: what narrows the queue, the saved views, the filters read
from a query string (the console's GET form, the API's list endpoint), and the choices
the filter forms offer.

Bad values in a query string raise :class:`InvalidInput` naming the field, never a
server error.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, or_, select

from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.numbers import ascii_digits
from remedy.core.references import reference_digits
from remedy.core.settings import settings
from remedy.models.grievance import Channel, ReprisalRisk
from remedy.models.involvement_track import TrackKind
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.types import MAX_ROW_ID
from remedy.models.user import Role, User
from remedy.workflows import CAUSE, CONTRIBUTE, DIRECTLY_LINKED, INTAKE

MAX_TEXT = 200
INTAKE_STATES = tuple(state.name for state in INTAKE.states)
OPEN_STATES = tuple(state.name for state in INTAKE.states if not state.ended)
ENDED_STATES = tuple(state.name for state in INTAKE.states if state.ended)
TRACK_STATES = tuple(
    dict.fromkeys(
        state.name for flow in (CAUSE, CONTRIBUTE, DIRECTLY_LINKED) for state in flow.states
    )
)


class QueueOrder(enum.StrEnum):
    PRIORITY = "priority"
    DUE = "due"
    NEWEST = "newest"


class SavedView(enum.StrEnum):
    MINE = "mine"
    OVERDUE = "overdue"
    AWAITING = "awaiting"


@dataclass(frozen=True)
class QueueFilters:
    """Every field narrows the queue; the defaults narrow nothing (all states)."""

    states: tuple[str, ...] = ()
    track_kind: TrackKind | None = None
    track_states: tuple[str, ...] = ()
    overdue: bool = False
    min_severity: int | None = None
    reprisal_risk: tuple[ReprisalRisk, ...] = ()
    channel: Channel | None = None
    language: str | None = None
    organisation_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    awaiting_complainant: bool = False
    text: str | None = None
    # Severe or urgent, and no senior reviewer named yet (the supervisor page's alert).
    needs_reviewer: bool = False
    order: QueueOrder = QueueOrder.PRIORITY


# Who sees what -------------------------------------------------------------------------------


def own_organisation(actor: Actor) -> int | None:
    """An organisation's staff see their own track only; None for everyone else."""
    if actor.kind is ActorKind.STAFF and actor.organisation_id is not None:
        return actor.organisation_id
    return None


def saved_view(actor: Actor, name: SavedView) -> QueueFilters:
    """The presets behind the console's "My cases", "Overdue" and "Awaiting the complainant"."""
    if name is SavedView.MINE:
        return QueueFilters(states=OPEN_STATES, assignee_id=actor.user_id or -1)
    if name is SavedView.OVERDUE:
        return QueueFilters(states=OPEN_STATES, overdue=True)
    return QueueFilters(states=OPEN_STATES, awaiting_complainant=True)


# Reading filters from a query string ------------------------------------------------------------


class QueryArgs(Protocol):
    def get(self, key: str) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


def _flag(args: QueryArgs, name: str) -> bool:
    value = (args.get(name) or "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise InvalidInput(_("Choose yes or no."), name)


def _choice(args: QueryArgs, name: str, choices: Sequence[str]) -> str | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if value not in choices:
        raise InvalidInput(_("Choose one of the options offered."), name)
    return value


def _choices(args: QueryArgs, name: str, choices: Sequence[str]) -> tuple[str, ...]:
    values = [value.strip() for value in args.getlist(name) if value.strip()]
    unknown = [value for value in values if value not in choices]
    if unknown:
        raise InvalidInput(_("Choose one of the options offered."), name)
    return tuple(dict.fromkeys(values))


def _number(args: QueryArgs, name: str, low: int, high: int) -> int | None:
    value = ascii_digits((args.get(name) or "").strip())
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise InvalidInput(_("Give a number from %(low)d to %(high)d.", low=low, high=high), name)
    return int(value)


STATE_GROUPS = {"open": OPEN_STATES, "ended": ENDED_STATES, "any": ()}
RISK_GROUPS = {"recorded": (ReprisalRisk.LOW, ReprisalRisk.HIGH)}


def filters_from_args(
    args: QueryArgs, actor: Actor, default_states: tuple[str, ...] = ()
) -> QueueFilters:
    """Filters from a query string (the console's GET form, the API's list endpoint).

    ``state`` takes intake states, or ``open``, ``ended`` or ``any``; ``risk`` takes
    levels or ``recorded`` (low or high); ``assignee`` a user id, ``me`` or ``none``;
    ``view`` a saved view, whose presets the other fields refine. Bad values raise
    :class:`InvalidInput` naming the field, never a server error.
    """
    view = _choice(args, "view", [item.value for item in SavedView])
    base = saved_view(actor, SavedView(view)) if view else QueueFilters(states=default_states)
    states: tuple[str, ...] = base.states
    chosen = _choices(args, "state", [*INTAKE_STATES, *STATE_GROUPS])
    if chosen:
        expanded: list[str] = []
        for value in chosen:
            expanded += STATE_GROUPS.get(value, (value,))
        states = () if "any" in chosen else tuple(dict.fromkeys(expanded))
    risks: list[ReprisalRisk] = []
    for value in _choices(args, "risk", [*(r.value for r in ReprisalRisk), *RISK_GROUPS]):
        risks += RISK_GROUPS[value] if value in RISK_GROUPS else (ReprisalRisk(value),)
    assignee = (args.get("assignee") or "").strip().lower()
    assignee_id, unassigned = base.assignee_id, base.unassigned
    if assignee == "me":
        assignee_id = actor.user_id or -1
    elif assignee == "none":
        assignee_id, unassigned = None, True
    elif assignee:
        assignee_id = _number(args, "assignee", 1, MAX_ROW_ID)
    kind = _choice(args, "track_kind", [kind.value for kind in TrackKind])
    channel = _choice(args, "channel", [channel.value for channel in Channel])
    order = _choice(args, "order", [order.value for order in QueueOrder])
    text = (args.get("q") or "").strip()
    if len(text) > MAX_TEXT or not text.isprintable():
        raise InvalidInput(_("Search for at most %(count)d characters.", count=MAX_TEXT), "q")
    if not chosen and not view and reference_digits(text) is not None:
        # A reference names a case whatever its state: the default (open) is not a choice.
        states = ()
    return replace(
        base,
        states=states,
        track_kind=TrackKind(kind) if kind else None,
        track_states=_choices(args, "track_state", TRACK_STATES),
        overdue=base.overdue or _flag(args, "overdue"),
        min_severity=_number(args, "severity", 1, 4),
        reprisal_risk=tuple(dict.fromkeys(risks)),
        channel=Channel(channel) if channel else None,
        language=_choice(args, "language", list(settings().languages)),
        organisation_id=_number(args, "organisation", 1, MAX_ROW_ID),
        assignee_id=assignee_id,
        unassigned=unassigned,
        awaiting_complainant=base.awaiting_complainant or _flag(args, "awaiting"),
        text=text or None,
        order=QueueOrder(order) if order else QueueOrder.PRIORITY,
    )


# Choices for filter forms -----------------------------------------------------------------------


def organisation_choices(actor: Actor) -> list[tuple[int, str]]:
    """Organisations a track can belong to, that this actor may filter by (their own only, for
    an organisation's staff: filtering by another would tell where that one is involved)."""
    own = own_organisation(actor)
    query = select(Organisation.id, Organisation.name).where(
        Organisation.kind.in_((OrganisationKind.COMPANY, OrganisationKind.BUSINESS_PARTNER))
    )
    if own is not None:
        query = query.where(Organisation.id == own)
    return [(row.id, row.name) for row in db.session.execute(query.order_by(Organisation.name))]


def case_worker_choices(actor: Actor) -> list[tuple[int, str]]:
    """Active handlers and supervisors of the mechanism, and of the actor's own organisation."""
    same_organisation: ColumnElement[bool] = User.organisation_id.is_(None)
    own = actor.organisation_id if actor.kind is ActorKind.STAFF else None
    if own is not None:
        same_organisation = or_(same_organisation, User.organisation_id == own)
    rows = db.session.execute(
        select(User.id, User.display_name, User.email).where(
            User.active.is_(True),
            User.role.in_((Role.HANDLER, Role.SUPERVISOR)),
            same_organisation,
        )
    )
    return sorted(((row.id, row.display_name or row.email) for row in rows), key=lambda c: c[1])


def state_labels() -> tuple[dict[str, str], dict[str, str]]:
    """The translated label of every intake state, and of every track state."""
    intake = {state.name: str(state.label) for state in INTAKE.states}
    tracks: dict[str, str] = {}
    for flow in (CAUSE, CONTRIBUTE, DIRECTLY_LINKED):
        for state in flow.states:
            tracks.setdefault(state.name, str(state.label))
    return intake, tracks


def state_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(value, translated label) of every intake state and every track state."""
    intake, tracks = state_labels()
    return list(intake.items()), list(tracks.items())
