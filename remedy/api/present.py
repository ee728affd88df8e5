"""Models as the caller may see them: plain dicts the output schemas then dump.

Everything a caller may not see is left out here, not blanked later: identity fields
(names, phone numbers, addresses) only for callers ``may_see_identity`` allows, tracks
only as ``visible_tracks`` allows, the description of a sensitive case only as
``may_read_contents`` allows, console alerts only for the team.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from remedy.cases import people_texts, state_actors
from remedy.cases.sensitive import may_read_contents
from remedy.cases.timeline import audit_events_for, organisation_staff_messages, team_messages
from remedy.cases.triage import may_triage, suggested_flags
from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.filing import later_files
from remedy.identity.visibility import may_see_identity, may_see_reprisal_risk, visible_tracks
from remedy.messaging.delivery_words import delivery_of
from remedy.models.check_in import CheckIn
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.leverage_action import LeverageAction
from remedy.models.outbox_message import MessageChannel, OutboxMessage
from remedy.models.remedy_action import RemedyAction
from remedy.models.types import utcnow
from remedy.queue.rows import QueueItem
from remedy.workflows import workflow_for


def etag(grievance: Grievance) -> str:
    """Quoted, as HTTP wants it; the version column changes with every change of the case."""
    return f'"{grievance.version}"'


def _overdue(due_at: datetime | None, now: datetime) -> bool:
    return due_at is not None and due_at < now


def state_label(subject: Grievance | InvolvementTrack) -> str:
    return str(workflow_for(subject).state(subject.state).label)


def _track(track: InvolvementTrack, now: datetime, contents: bool) -> dict[str, Any]:
    """``contents``: whether the caller reads what the people told (the gap is in their words)."""
    organisation = track.organisation
    return {
        "id": track.id,
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "kind": organisation.kind,
        },
        "kind": track.kind,
        "state": track.state,
        "state_label": state_label(track),
        "outcome": track.outcome,
        "rationale": track.rationale,
        "explanation": track.explanation,
        "explanation_by_language": people_texts.explanations(track),
        "gap": track.gap if contents else None,
        "opened_at": track.opened_at,
        "due_at": track.due_at,
        "overdue": _overdue(track.due_at, now),
        "ended_at": track.ended_at,
        "check_in_window_ends_at": track.check_in_window_ends_at,
    }


def _grievance_overdue(grievance: Grievance, shown: list[InvolvementTrack], now: datetime) -> bool:
    return _overdue(grievance.due_at, now) or any(
        not track.is_ended and _overdue(track.due_at, now) for track in shown
    )


def queue_item(item: QueueItem) -> dict[str, Any]:
    """A row of the list as the queue service found it (pseudonyms only, by design)."""
    return {
        "reference": item.reference,
        "version": item.version,
        "state": item.state,
        "state_label": item.state_label,
        "channel": item.channel,
        "language": item.language,
        "category": item.category,
        "severity": item.severity,
        "reprisal_risk": item.reprisal_risk,
        "identity_withheld": item.identity_withheld,
        "received_at": item.received_at,
        "due_at": item.due_at,
        "overdue": item.overdue,
        "assignee_id": item.assignee_id,
        "urgency_flags": list(item.urgency_flags),
        "priority": item.priority,
        "pseudonyms": list(item.pseudonyms),
        "restricted": item.restricted,
        "tracks": [
            {
                "id": track.id,
                "kind": track.kind,
                "state": track.state,
                "state_label": track.state_label,
                "organisation_id": track.organisation_id,
                "organisation_name": track.organisation_name,
                "due_at": track.due_at,
                "overdue": track.overdue,
            }
            for track in item.tracks
        ],
    }


def grievance_detail(actor: Actor, grievance: Grievance) -> dict[str, Any]:
    now = utcnow()
    shown = visible_tracks(actor, grievance)
    identity = may_see_identity(actor, grievance)
    contents = may_read_contents(actor, grievance)
    people = []
    for link in grievance.people:
        person = link.person
        entry: dict[str, Any] = {
            "pseudonym": person.pseudonym,
            "role": link.role,
            "language": person.language,
        }
        if identity:
            entry["name"] = person.name
            entry["phone"] = person.phone
        people.append(entry)
    return {
        "reference": grievance.reference,
        "version": grievance.version,
        "state": grievance.state,
        "state_label": state_label(grievance),
        "outcome": grievance.outcome,
        "channel": grievance.channel,
        "language": grievance.language,
        # A sensitive case the caller is not cleared for: null, and ``restricted`` says why.
        "description": grievance.description if contents else None,
        "restricted": not contents,
        "location": grievance.location,
        "category": grievance.category,
        "product_user": grievance.product_user,
        # An account id can name the person: only for those who may know who they are.
        "external_reference": grievance.external_reference if identity else None,
        "harm_date": grievance.harm_date,
        "people_affected": grievance.people_affected,
        "severity": grievance.severity,
        "severity_scale": grievance.severity_scale,
        "severity_scope": grievance.severity_scope,
        "severity_irremediability": grievance.severity_irremediability,
        "urgency_flags": list(grievance.flags),
        # Offered only to those who triage: a suggestion is theirs to confirm or dismiss.
        "suggested_flags": list(suggested_flags(actor, grievance))
        if may_triage(actor, grievance)
        else [],
        "reviewer_id": grievance.reviewer_user_id,
        "reprisal_risk": grievance.reprisal_risk if may_see_reprisal_risk(actor) else None,
        "identity_withheld": grievance.identity_withheld,
        "discreet_messages": grievance.discreet_messages,
        "contact_consent": grievance.contact_consent,
        "received_at": grievance.received_at,
        "updated_at": grievance.updated_at,
        "resolved_at": grievance.resolved_at,
        "due_at": grievance.due_at,
        "overdue": _grievance_overdue(grievance, shown, now),
        "feedback_due_at": grievance.feedback_due_at,
        "assignee_id": grievance.assigned_user_id,
        "people": people,
        "tracks": [_track(track, now, contents) for track in shown],
        **_state_actors(actor, grievance),
    }


def _state_actors(actor: Actor, grievance: Grievance) -> dict[str, Any]:
    """Only for the mechanism's own staff: the key is absent for anyone else."""
    if not state_actors.may_read(actor):
        return {}
    parties = state_actors.state_actors(actor, grievance)
    return {
        "state_actors": [
            {
                "id": party.id,
                "kind": party.kind,
                "name": party.name,
                "conduct": party.conduct,
                "recorded_at": party.recorded_at,
            }
            for party in parties
        ]
    }


def remedy_actions(actor: Actor, grievance: Grievance) -> list[dict[str, Any]]:
    actions: list[RemedyAction] = [
        action for track in visible_tracks(actor, grievance) for action in track.remedy_actions
    ]
    texts = people_texts.descriptions(actions)
    proof = later_files.evidence_files(grievance)
    return [
        {
            "id": action.id,
            "track_id": action.track_id,
            "type": action.type,
            "description": action.description,
            "description_by_language": texts.get(action.id, {}),
            "owner": action.owner,
            "due_date": action.due_date,
            "financial": action.financial,
            "status": action.status,
            "evidence": action.evidence,
            "evidence_files": len(proof.get(action.id, [])),
            "delivered_at": action.delivered_at,
            "created_at": action.created_at,
        }
        for action in sorted(actions, key=lambda item: item.id)
    ]


def leverage_actions(actor: Actor, grievance: Grievance) -> list[dict[str, Any]]:
    actions: list[LeverageAction] = [
        action for track in visible_tracks(actor, grievance) for action in track.leverage_actions
    ]
    return [
        {
            "id": action.id,
            "track_id": action.track_id,
            "type": action.type,
            "target": action.target,
            "description": action.description,
            "due_date": action.due_date,
            "status": action.status,
            "result": action.result,
            "recorded_at": action.recorded_at,
        }
        for action in sorted(actions, key=lambda item: item.id)
    ]


def check_ins(actor: Actor, grievance: Grievance) -> list[dict[str, Any]]:
    """The check-ins of the tracks the caller sees; a comment the people wrote on a
    sensitive case is null for a caller not cleared for it, like the description."""
    contents = may_read_contents(actor, grievance)
    found: list[CheckIn] = [
        check_in for track in visible_tracks(actor, grievance) for check_in in track.check_ins
    ]
    result = []
    for check_in in sorted(found, key=lambda item: item.id):
        response = check_in.response
        result.append(
            {
                "id": check_in.id,
                "track_id": check_in.track_id,
                "purpose": check_in.purpose,
                "round": check_in.round,
                "person_pseudonym": check_in.person.pseudonym if check_in.person else None,
                "proxy_organisation_id": check_in.proxy_organisation_id,
                "opens_at": check_in.opens_at,
                "opened_at": check_in.opened_at,
                "closes_at": check_in.closes_at,
                "cancelled_at": check_in.cancelled_at,
                "is_open": check_in.is_open,
                "response": (
                    {
                        "answer": response.answer,
                        "comment": response.comment if contents else None,
                        "satisfaction": response.satisfaction,
                        "answered_at": response.answered_at,
                    }
                    if response is not None
                    else None
                ),
            }
        )
    return result


def _messages_query(actor: Actor, grievance: Grievance) -> Any:
    """The outbox rows of this grievance this caller may read.

    Messages to the people: everyone who sees the case (the address only with the
    identity), but an organisation's staff only those about its own track or no track,
    and what the people were told after a reprisal incident only those who see incidents.
    Messages to a proxy organisation: the team and that organisation. Console alerts:
    the mechanism's team all of them, an organisation's staff those addressed to its
    own members, nobody else.
    """
    query = select(OutboxMessage).where(OutboxMessage.grievance_id == grievance.id)
    to_people = OutboxMessage.person_id.is_not(None)
    to_organisation = OutboxMessage.organisation_id.is_not(None)
    console = OutboxMessage.channel == MessageChannel.CONSOLE
    if actor.kind is ActorKind.STAFF and actor.organisation_id is None:
        return query.where(team_messages(actor, grievance))
    if actor.kind is ActorKind.STAFF:
        return query.where(organisation_staff_messages(actor, grievance))
    own = OutboxMessage.organisation_id == actor.organisation_id
    return query.where(~console, or_(to_people, and_(to_organisation, own)))


def messages(actor: Actor, grievance: Grievance) -> list[dict[str, Any]]:
    identity = may_see_identity(actor, grievance)
    rows = db.session.scalars(_messages_query(actor, grievance).order_by(OutboxMessage.id))
    pseudonyms = {link.person_id: link.person.pseudonym for link in grievance.people}
    result = []
    for message in rows:
        if message.channel is MessageChannel.CONSOLE:
            recipient = "staff"
        elif message.person_id is not None:
            recipient = pseudonyms.get(message.person_id, "person")
        else:
            recipient = f"organisation:{message.organisation_id}"
        delivery = delivery_of(message)
        entry: dict[str, Any] = {
            "id": message.id,
            "channel": message.channel.value,
            "template": message.template,
            "language": message.language,
            "status": message.status.value,
            "delivery": delivery.status,
            "delivery_reason": delivery.reason,
            "error_code": message.error_code,
            "recipient": recipient,
            "track_id": message.track_id,
            "body": message.body_for_staff,
            "created_at": message.created_at,
            "sent_at": message.sent_at,
        }
        if identity and message.person_id is not None:
            entry["address"] = message.address
        result.append(entry)
    return result


def audit_events(actor: Actor, grievance: Grievance) -> list[dict[str, Any]]:
    """The grievance's own events and those of the tracks the caller sees, cut as on the
    console (an organisation never reads identity reveals, notes or mandates)."""
    return [
        {
            "seq": event.seq,
            "occurred_at": event.occurred_at,
            "actor_kind": event.actor_kind,
            "actor_id": event.actor_id,
            "action": event.action,
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "before": event.before,
            "after": event.after,
            "hash": event.hash,
        }
        for event in audit_events_for(actor, grievance)
    ]
