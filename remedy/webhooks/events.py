"""Deliveries owed when a case changes state, written in the change's own unit of work.

The workflow trigger signals ``state_changed`` (``remedy.core.signals``); the receiver
below writes one delivery per active subscription that listens for the event and whose
organisation may see the change, as the API would show it to that organisation's staff
(``remedy.identity.visibility``): an organisation with no part in a grievance gets no
event about it at all, and one with a track hears of its own track only.
"""

from __future__ import annotations

from sqlalchemy import select

from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.core.signals import state_changed
from remedy.identity.visibility import may_see_grievance
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.types import utcnow
from remedy.models.user import Role
from remedy.models.webhook import WebhookDelivery, WebhookEvent, WebhookSubscription


def organisation_actor(organisation: Organisation) -> Actor:
    """Who a subscription reads as: a case worker of its organisation (an NGO: a member).

    The same visibility as the organisation's own API tokens get, never more.
    """
    if organisation.kind is OrganisationKind.NGO:
        return Actor(ActorKind.PROXY, "webhook", Role.PROXY_MEMBER, organisation.id)
    return Actor(ActorKind.STAFF, "webhook", Role.HANDLER, organisation.id)


def _organisation_id(track: InvolvementTrack) -> int | None:
    """A track opened in this unit of work has its organisation, not yet its id."""
    if track.organisation_id is not None:
        return track.organisation_id
    return track.organisation.id if track.organisation is not None else None


def may_hear(
    organisation: Organisation, grievance: Grievance, track: InvolvementTrack | None
) -> bool:
    """``visible_tracks`` and ``may_see_grievance``, for tracks perhaps not flushed yet:
    a company or partner hears of grievances it has a track on, and of its own track
    only; an NGO of what it filed or holds a mandate for, every track."""
    actor = organisation_actor(organisation)
    if actor.kind is ActorKind.STAFF:
        tracks = [track] if track is not None else grievance.tracks
        return any(_organisation_id(shown) == organisation.id for shown in tracks)
    return may_see_grievance(actor, grievance)


def queue_deliveries(
    subject: Grievance | InvolvementTrack, *, before: str | None, after: str
) -> None:
    """Receiver of ``state_changed``: a delivery for each subscription that may hear it.
    Nothing is flushed here: a track may be opening, half made, in this unit of work."""
    with db.session.no_autoflush:
        _queue(subject, before, after)


def _queue(subject: Grievance | InvolvementTrack, before: str | None, after: str) -> None:
    track = subject if isinstance(subject, InvolvementTrack) else None
    grievance = track.grievance if track is not None else subject
    assert isinstance(grievance, Grievance)
    event = WebhookEvent.TRACK_STATE_CHANGED if track else WebhookEvent.GRIEVANCE_STATE_CHANGED
    listening = db.session.scalars(
        select(WebhookSubscription).where(
            WebhookSubscription.is_active.is_(True),
            WebhookSubscription.events.contains(event.value),
        )
    ).all()
    now = utcnow()
    for subscription in listening:
        if event not in subscription.event_types:
            continue
        if not may_hear(subscription.organisation, grievance, track):
            continue
        db.session.add(
            WebhookDelivery(
                subscription=subscription,
                event=event,
                grievance=grievance,
                track=track,
                state_from=before,
                state_to=after,
                occurred_at=now,
                available_at=now,
            )
        )


def connect() -> None:
    """Called by the app factory; connecting twice keeps one receiver."""
    state_changed.connect(queue_deliveries)
