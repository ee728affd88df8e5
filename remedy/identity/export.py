"""Subject access: everything held about the people of a case, decrypted, as plain data.

An operator runs ``flask --app wsgi people export --reference REF`` when someone asks
what the mechanism holds about them. The export is an audit event (who, when, which
case); its content is not. Messages under a secret template (a PIN, a consent code) are
masked: the export passes through an operator's screen, and secrets never do.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select

from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import NotFound
from remedy.core.extensions import db
from remedy.core.references import normalise
from remedy.core.unit_of_work import transactional
from remedy.models.added_information import AddedInformation
from remedy.models.appeal import Appeal
from remedy.models.attachment import Attachment
from remedy.models.check_in import CheckIn, CheckInResponse
from remedy.models.conversation import Conversation
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.inbound_message import InboundMessage
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.mandate import Mandate
from remedy.models.mechanism_feedback import MechanismFeedback
from remedy.models.outbox_message import SECRET_TEMPLATES, OutboxMessage

MASKED = "•••"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _row(obj: Any, *names: str) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names}


def _people(grievance: Grievance) -> list[dict[str, Any]]:
    links = db.session.scalars(
        select(GrievancePerson).where(GrievancePerson.grievance_id == grievance.id)
    ).all()
    return [
        {
            "role": link.role.value,
            "receives_messages": link.receives_messages,
            **_row(
                link.person,
                "pseudonym",
                "name",
                "phone",
                "language",
                "phone_opted_out_at",
                "created_at",
                "erased_at",
            ),
        }
        for link in links
    ]


def _messages_sent(grievance: Grievance, person_ids: list[int]) -> list[dict[str, Any]]:
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(
            or_(OutboxMessage.grievance_id == grievance.id, OutboxMessage.person_id.in_(person_ids))
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    ).all()
    return [
        {
            **_row(message, "channel", "address", "language", "status", "created_at", "sent_at"),
            "body": MASKED if message.template in SECRET_TEMPLATES else message.body,
        }
        for message in messages
        if message.person_id in person_ids or message.user_id is None
    ]


def _messages_received(grievance: Grievance, phone_hashes: list[str]) -> list[dict[str, Any]]:
    conversations = select(Conversation.id).where(Conversation.grievance_id == grievance.id)
    messages = db.session.scalars(
        select(InboundMessage)
        .where(
            or_(
                InboundMessage.conversation_id.in_(conversations),
                InboundMessage.phone_hash.in_(phone_hashes),
            )
        )
        .order_by(InboundMessage.received_at, InboundMessage.id)
    ).all()
    return [_row(m, "channel", "phone", "body", "media_sent", "received_at") for m in messages]


def _check_in_answers(grievance: Grievance) -> list[dict[str, Any]]:
    responses = db.session.scalars(
        select(CheckInResponse)
        .join(CheckIn, CheckIn.id == CheckInResponse.check_in_id)
        .join(InvolvementTrack, InvolvementTrack.id == CheckIn.track_id)
        .where(InvolvementTrack.grievance_id == grievance.id)
        .order_by(CheckInResponse.answered_at)
    ).all()
    return [
        _row(r, "answer", "comment", "satisfaction", "answered_by", "answered_at")
        for r in responses
    ]


def _of_case(model: Any, grievance: Grievance, *names: str) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(model).where(model.grievance_id == grievance.id).order_by(model.id)
    ).all()
    return [_row(row, *names) for row in rows]


def _mandates(grievance: Grievance) -> list[dict[str, Any]]:
    mandates = db.session.scalars(
        select(Mandate).where(Mandate.grievance_id == grievance.id).order_by(Mandate.id)
    ).all()
    return [
        {
            "organisation": mandate.organisation.name,
            **_row(
                mandate,
                "scopes",
                "consent_method",
                "consent_note",
                "valid_until",
                "consented_at",
                "withdrawn_at",
                "created_at",
            ),
        }
        for mandate in mandates
    ]


def _case(grievance: Grievance) -> dict[str, Any]:
    return _row(
        grievance,
        "reference",
        "channel",
        "language",
        "description",
        "location",
        "category",
        "product_user",
        "external_reference",
        "harm_date",
        "people_affected",
        "identity_withheld",
        "reprisal_risk",
        "contact_consent",
        "contact_channel",
        "state",
        "outcome",
        "withdrawal_reason",
        "withdrawal_note",
        "received_at",
        "ended_at",
        "erased_at",
    )


def export_of(grievance: Grievance) -> dict[str, Any]:
    """The case's people data as JSON-ready plain data."""
    people = _people(grievance)
    links = db.session.scalars(
        select(GrievancePerson).where(GrievancePerson.grievance_id == grievance.id)
    ).all()
    person_ids = [link.person_id for link in links]
    phone_hashes = [link.person.phone_hash for link in links if link.person.phone_hash]
    return {
        "case": _case(grievance),
        "people": people,
        "added_information": _of_case(AddedInformation, grievance, "text", "added_by", "added_at"),
        "attachments": _of_case(
            Attachment, grievance, "filename", "content_type", "size", "created_at"
        ),
        "appeals": _of_case(Appeal, grievance, "reason", "lodged_by", "lodged_at", "result"),
        "mandates": _mandates(grievance),
        "check_in_answers": _check_in_answers(grievance),
        "fairness_answers": _of_case(
            MechanismFeedback,
            grievance,
            "person_id",
            "score",
            "comment",
            "via",
            "answered_by",
            "answered_at",
        ),
        "messages_sent": _messages_sent(grievance, person_ids),
        "messages_received": _messages_received(grievance, phone_hashes),
    }


@transactional
def export_people(actor: Actor, reference: str) -> dict[str, Any]:
    """Read for a subject access request; the audit log says who exported which case."""
    grievance = db.session.scalar(
        select(Grievance).where(Grievance.reference == normalise(reference))
    )
    if grievance is None:
        raise NotFound(_("There is no case with that reference."))
    data = export_of(grievance)
    audit.record(
        actor,
        "people.export",
        "grievance",
        grievance.reference,
        after={"people": len(data["people"])},
    )
    return data
