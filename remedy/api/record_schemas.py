"""The API's schemas for a case's records: check-ins and their answers, remedy and leverage
actions (and a delivery's evidence), messages and audit events."""

from __future__ import annotations

from marshmallow import fields, validate

from remedy.api.schemas import ApiSchema, Enum, PeopleTextsOut, between, list_of, text
from remedy.cases.consultations import MAX_NOTES, MAX_PARTICIPANTS
from remedy.cases.intake import MAX_TEXT
from remedy.cases.protection import MAX_REASON
from remedy.messaging.delivery_words import Delivery
from remedy.models.check_in import Answer, CheckInPurpose
from remedy.models.grievance import ReprisalRisk, UrgencyFlag
from remedy.models.group_consultation import ConsultationMethod
from remedy.models.leverage_action import LeverageStatus, LeverageType
from remedy.models.remedy_action import ActionOwner, ActionStatus, RemedyType
from remedy.models.types import MAX_ROW_ID

# Input ---------------------------------------------------------------------------------


class ConsultationInput(ApiSchema):
    """How a proxy deciding for a group consulted the people (remedy.cases.consultations)."""

    method = Enum(ConsultationMethod, required=True)
    held_on = fields.Date(required=True, metadata={"description": "The day they were consulted."})
    participants = fields.Integer(
        required=True,
        validate=between(1, MAX_PARTICIPANTS),
        metadata={"description": "How many of the people took part."},
    )
    notes = text(
        MAX_NOTES,
        load_default=None,
        allow_none=True,
        metadata={"description": "What the people said (optional); stored encrypted."},
    )


CONSULTATION = {
    "description": "How the people were consulted. Required when a proxy decides for a "
    "group (a grievance of more than one person affected) on a question put to all of "
    "them; refused from anyone else."
}


class CheckInAnswerInput(ApiSchema):
    answer = Enum(Answer, required=True)
    comment = text(2000, allow_none=True)
    satisfaction = fields.Integer(allow_none=True, validate=between(1, 5))
    consultation = fields.Nested(
        ConsultationInput, load_default=None, allow_none=True, metadata=CONSULTATION
    )


class FairnessAnswerInput(ApiSchema):
    """How fair the handling of the ended case was, for one person a proxy acts for."""

    score = fields.Integer(required=True, validate=between(1, 5))
    comment = text(2000, allow_none=True)
    # Whom the answer is for; left out for a case of one person (or a group mandate).
    person_id = fields.Integer(allow_none=True, validate=between(1, MAX_ROW_ID))


class DeliveryInput(ApiSchema):
    evidence = text(MAX_TEXT, required=True)


class ReprisalRiskInput(ApiSchema):
    risk = Enum(ReprisalRisk, required=True)
    reason = text(MAX_REASON, required=True)


class SeverityInput(ApiSchema):
    scale = fields.Integer(required=True, validate=between(1, 4))
    scope = fields.Integer(required=True, validate=between(1, 4))
    irremediability = fields.Integer(required=True, validate=between(1, 4))


class TriageInput(ApiSchema):
    flags = fields.List(
        Enum(UrgencyFlag),
        required=True,
        validate=validate.Length(max=len(UrgencyFlag)),
        metadata={
            "description": "Every flag a person confirms; suggested ones left out are dismissed."
        },
    )
    severity = fields.Nested(
        SeverityInput, metadata={"description": "Provisional; left as it was when absent."}
    )


class ReviewerInput(ApiSchema):
    reviewer_id = fields.Integer(required=True, validate=between(1, MAX_ROW_ID))


# Output --------------------------------------------------------------------------------


class RemedyActionOut(ApiSchema):
    id = fields.Integer(required=True)
    track_id = fields.Integer(required=True)
    type = Enum(RemedyType, required=True)
    description = fields.String(required=True)
    description_by_language = fields.Nested(
        PeopleTextsOut,
        required=True,
        metadata={
            "description": "The description as written again in the people's languages, by "
            "language code; a person whose language is not listed reads `description`."
        },
    )
    owner = Enum(ActionOwner, required=True)
    due_date = fields.Date(allow_none=True, required=True)
    financial = fields.Boolean(required=True)
    status = Enum(ActionStatus, required=True)
    evidence = fields.String(allow_none=True, required=True)
    evidence_files = fields.Integer(
        required=True, metadata={"description": "How many files of proof it has."}
    )
    delivered_at = fields.DateTime(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)


class LeverageActionOut(ApiSchema):
    id = fields.Integer(required=True)
    track_id = fields.Integer(required=True)
    type = Enum(LeverageType, required=True)
    target = fields.String(required=True)
    description = fields.String(required=True)
    due_date = fields.Date(allow_none=True, required=True)
    status = Enum(LeverageStatus, required=True)
    result = fields.String(allow_none=True, required=True)
    recorded_at = fields.DateTime(required=True)


class CheckInResponseOut(ApiSchema):
    answer = Enum(Answer, required=True)
    comment = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Null when the case is restricted for the caller."},
    )
    satisfaction = fields.Integer(allow_none=True, required=True)
    answered_at = fields.DateTime(required=True)


class CheckInOut(ApiSchema):
    id = fields.Integer(required=True)
    track_id = fields.Integer(required=True)
    purpose = Enum(CheckInPurpose, required=True)
    round = fields.Integer(required=True)
    person_pseudonym = fields.String(allow_none=True, required=True)
    proxy_organisation_id = fields.Integer(allow_none=True, required=True)
    opens_at = fields.DateTime(required=True)
    opened_at = fields.DateTime(allow_none=True, required=True)
    closes_at = fields.DateTime(required=True)
    cancelled_at = fields.DateTime(allow_none=True, required=True)
    is_open = fields.Boolean(required=True)
    response = fields.Nested(CheckInResponseOut, allow_none=True, required=True)


class MessageOut(ApiSchema):
    id = fields.Integer(required=True)
    channel = fields.String(required=True)
    template = fields.String(required=True)
    language = fields.String(required=True)
    status = fields.String(required=True)
    delivery = Enum(
        Delivery,
        required=True,
        metadata={
            "description": "Where the message stands: queued (waiting or being sent), sent "
            "(the provider took it, or a call was placed), delivered, read (WhatsApp), "
            "heard (a call: the PIN typed and the words read), answered (a call back "
            "after a missed call), failed (see "
            "delivery_reason), web (only on the status page behind the PIN: the person "
            "gets no SMS, for instance after STOP) or console (an alert for the team)."
        },
    )
    delivery_reason = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "Why a message failed, or what a retry waits after, in words in "
            "the request's language (Twilio 30003: the phone was unreachable or switched "
            "off; 21610: the person sent STOP...); an unknown code says which code it was."
        },
    )
    error_code = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The provider's error code (Twilio's, e.g. 30003), if any."},
    )
    recipient = fields.String(
        required=True,
        metadata={
            "description": "A person's pseudonym, 'organisation:<id>', or 'staff' for a "
            "console alert to the team."
        },
    )
    address = fields.String(
        allow_none=True,
        metadata={"description": "Only for callers who may see the people's identity."},
    )
    track_id = fields.Integer(
        allow_none=True,
        required=True,
        metadata={
            "description": "The track the message is about; null for the case as a whole "
            "(the acknowledgement, a delay, the team's replies)."
        },
    )
    body = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    sent_at = fields.DateTime(allow_none=True, required=True)


class AuditEventOut(ApiSchema):
    seq = fields.Integer(required=True)
    occurred_at = fields.DateTime(required=True)
    actor_kind = fields.String(required=True)
    actor_id = fields.String(allow_none=True, required=True)
    action = fields.String(required=True)
    subject_type = fields.String(required=True)
    subject_id = fields.String(allow_none=True, required=True)
    before = fields.Dict(allow_none=True, required=True)
    after = fields.Dict(allow_none=True, required=True)
    hash = fields.String(required=True)


RemedyActionListOut = list_of(RemedyActionOut, "RemedyActionListOut")
LeverageActionListOut = list_of(LeverageActionOut, "LeverageActionListOut")
CheckInListOut = list_of(CheckInOut, "CheckInListOut")
MessageListOut = list_of(MessageOut, "MessageListOut")
AuditEventListOut = list_of(AuditEventOut, "AuditEventListOut")
