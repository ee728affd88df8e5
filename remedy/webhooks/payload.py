"""What a delivery tells its receiver, assembled when it is sent, as the subscription's
organisation may see it (the API's rules, ``remedy.identity.visibility``).

Always: the event, the change (which subject, from which state to which), the case's
reference and state, and the tracks the organisation sees (its own only, for a company
or partner). The people appear by pseudonym; their names and numbers only when
``may_see_identity`` allows it for the organisation, as its case workers would read
them. Never: the description, category, place, severity, urgency, reprisal risk or
incidents, notes, or anything else the people told: a receiving system needs to know
that a case moved, not what it is about.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from remedy.identity.visibility import may_see_identity, visible_tracks
from remedy.models.types import is_erased
from remedy.models.webhook import WebhookDelivery, WebhookEvent
from remedy.webhooks.events import may_hear, organisation_actor


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def payload(delivery: WebhookDelivery) -> dict[str, Any] | None:
    """The JSON document to post; None when the organisation may no longer see the change."""
    organisation = delivery.subscription.organisation
    grievance, track = delivery.grievance, delivery.track
    if delivery.event is WebhookEvent.TRACK_STATE_CHANGED and track is None:
        return None  # the track is gone
    if not may_hear(organisation, grievance, track):
        return None
    actor = organisation_actor(organisation)
    identity = may_see_identity(actor, grievance)
    people = []
    for link in grievance.people:
        entry: dict[str, Any] = {"pseudonym": link.person.pseudonym, "role": link.role.value}
        if identity:
            for field in ("name", "phone"):
                value = getattr(link.person, field)
                if value is not None and not is_erased(value):
                    entry[field] = str(value)
        people.append(entry)
    return {
        "id": str(delivery.id),
        "event": delivery.event.value,
        "occurred_at": _when(delivery.occurred_at),
        "change": {
            "subject": "track" if track is not None else "grievance",
            "track_id": track.id if track is not None else None,
            "from": delivery.state_from,
            "to": delivery.state_to,
        },
        "grievance": {
            "reference": grievance.reference,
            "state": grievance.state,
            "outcome": grievance.outcome.value if grievance.outcome else None,
            "tracks": [
                {
                    "id": shown.id,
                    "organisation_id": shown.organisation_id,
                    "kind": shown.kind.value,
                    "state": shown.state,
                    "outcome": shown.outcome.value if shown.outcome else None,
                    "due_at": _when(shown.due_at),
                }
                for shown in visible_tracks(actor, grievance)
            ],
            "people": people,
        },
    }
