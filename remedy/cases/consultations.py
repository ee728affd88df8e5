"""How a proxy consulted the people before deciding for all of them.

A proxy that accepts a remedy for 40 people speaks for 40 people. So each decision a
proxy takes for a group (a proposal accepted or declined, a check-in put to the whole
group answered, consent to share identities) needs a record of how the people were
consulted: the use cases behind those decisions call :func:`record_for_decision` in their
unit of work, so the portal and the API cannot take one without it, and nothing is
decided when it is missing or wrong. A decision for one person (a check-in put to them,
a case of one) is theirs, told to the proxy, and needs none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.free_text import optional_text
from remedy.models.grievance import Grievance
from remedy.models.group_consultation import ConsultationMethod, GroupConsultation, GroupDecision
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.person import Person
from remedy.models.types import utcnow

MAX_NOTES = 2000
MAX_PARTICIPANTS = 1_000_000
RECORD_ACTION = "consultation.record"


@dataclass(frozen=True)
class Consultation:
    """How the people were consulted, as the proxy says."""

    method: ConsultationMethod
    held_on: date
    participants: int
    notes: str | None = None


def group_size(grievance: Grievance) -> int:
    """Everyone the case is for: the people affected, or the people listed if more."""
    return max(grievance.people_affected, len(grievance.people))


def is_group_decision(actor: Actor, grievance: Grievance, person: Person | None = None) -> bool:
    """A proxy deciding for more than one person: for a case of a group, not for one of them."""
    return actor.kind is ActorKind.PROXY and person is None and group_size(grievance) > 1


def _check(grievance: Grievance, consultation: Consultation) -> str | None:
    if consultation.held_on > utcnow().date():
        raise InvalidInput(_("The consultation cannot be in the future."), "held_on")
    if consultation.held_on < grievance.received_at.date():
        raise InvalidInput(
            _("The consultation cannot be before the grievance was filed."), "held_on"
        )
    if not 1 <= consultation.participants <= MAX_PARTICIPANTS:
        raise InvalidInput(_("Say how many people took part: at least 1."), "participants")
    return optional_text(consultation.notes, "notes", MAX_NOTES)


def record_for_decision(
    actor: Actor,
    grievance: Grievance,
    decision: GroupDecision,
    consultation: Consultation | None,
    track: InvolvementTrack | None = None,
    person: Person | None = None,
) -> GroupConsultation | None:
    """Record how the people were consulted, in the decision's unit of work; required when
    a proxy decides for a group (InvalidInput without it), kept if given otherwise."""
    if consultation is None:
        if is_group_decision(actor, grievance, person):
            raise InvalidInput(
                _(
                    "You decide for %(count)s people: say how they were consulted, when, "
                    "and how many took part.",
                    count=group_size(grievance),
                ),
                "consultation",
            )
        return None
    if actor.kind is not ActorKind.PROXY or actor.organisation_id is None:
        raise InvalidInput(_("Only a proxy records how it consulted the people."), "consultation")
    notes = _check(grievance, consultation)
    row = GroupConsultation(
        grievance_id=grievance.id,
        track_id=track.id if track is not None else None,
        decision=decision,
        method=consultation.method,
        held_on=consultation.held_on,
        participants=consultation.participants,
        notes=notes,
        organisation_id=actor.organisation_id,
        recorded_by=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor,
        RECORD_ACTION,
        "grievance",
        grievance.reference,
        # Never the notes: they are the people's words, kept encrypted on the row.
        after={
            "consultation_id": row.id,
            "decision": decision.value,
            "method": consultation.method.value,
            "held_on": consultation.held_on.isoformat(),
            "participants": consultation.participants,
            "track_id": row.track_id,
        },
    )
    return row


def consultations_of(grievance: Grievance) -> list[GroupConsultation]:
    """Every consultation recorded on the case, newest first."""
    return list(
        db.session.scalars(
            select(GroupConsultation)
            .where(GroupConsultation.grievance_id == grievance.id)
            .order_by(GroupConsultation.recorded_at.desc(), GroupConsultation.id.desc())
        )
    )


def describe(after: dict[str, object]) -> str | None:
    """The timeline's words for a recorded consultation, from its audit event."""
    try:
        method = ConsultationMethod(str(after["method"]))
        decision = GroupDecision(str(after["decision"]))
        held_on = date.fromisoformat(str(after["held_on"]))
        participants = int(str(after["participants"]))
    except (KeyError, ValueError):
        return None
    return ngettext(
        "%(method)s on %(date)s, %(num)d person took part, before %(decision)s.",
        "%(method)s on %(date)s, %(num)d people took part, before %(decision)s.",
        participants,
        method=method.label,
        date=format_date(held_on, "long"),
        decision=decision.label,
    )
