"""Marshmallow schemas: what the API reads and writes. The OpenAPI document is generated
from these same classes, so the contract and the code cannot drift apart.

Field error messages are replaced by translated ones without placeholders (marshmallow's
own are English, and some carry the rejected input back, which may be personal data).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from remedy.cases.intake import MAX_TEXT
from remedy.core.config import LANGUAGES
from remedy.filing.grievances import (
    MAX_DESCRIPTION_LENGTH,
    MAX_LOCATION_LENGTH,
    MAX_PEOPLE_AFFECTED,
)
from remedy.models.check_in import Answer, CheckInPurpose
from remedy.models.grievance import Category, Channel, Outcome, ReprisalRisk
from remedy.models.grievance_person import PersonRole
from remedy.models.involvement_track import TrackKind
from remedy.models.leverage_action import LeverageStatus, LeverageType
from remedy.models.mandate import ConsentMethod
from remedy.models.organisation import OrganisationKind
from remedy.models.remedy_action import ActionOwner, ActionStatus, RemedyType
from remedy.queue.filters import INTAKE_STATES, TRACK_STATES, QueueOrder
from remedy.workflows.definition import MandateScope

MESSAGES = {
    "required": _l("This field is required."),
    "null": _l("This field cannot be null."),
    "invalid": _l("This value has the wrong type or format."),
    "invalid_utf8": _l("This text is not valid UTF-8."),
    "too_large": _l("This number is too large."),
    "special": _l("This number is not allowed."),
    "format": _l("This value has the wrong format."),
    "type": _l("This value has the wrong type."),
    "unknown": _l("Choose one of the values listed in the API documentation."),
    "validator_failed": _l("This value is not valid."),
    "blank": _l("This field cannot be blank."),
    "control": _l("This text contains control characters."),
}
SCHEMA_MESSAGES = {
    "unknown": _l("This field is not part of this request."),
    "type": _l("Send a JSON object."),
}
MAX_PEOPLE_PER_FILING = 200
MAX_PLANS = 50


def _translate(field: fields.Field[Any]) -> None:
    for key in field.error_messages:
        if key in MESSAGES:
            # Lazy: marshmallow formats a message when it raises, in that request's language.
            field.error_messages[key] = MESSAGES[key]  # type: ignore[assignment]
    for name in ("inner", "field", "value_field", "key_field"):
        nested = getattr(field, name, None)
        if isinstance(nested, fields.Field):
            _translate(nested)


class ApiSchema(Schema):
    error_messages = SCHEMA_MESSAGES  # type: ignore[assignment]  # lazy, as in _translate

    def on_bind_field(self, field_name: str, field_obj: fields.Field[Any]) -> None:
        _translate(field_obj)


def Enum(enum: Any, **kwargs: Any) -> fields.Enum[Any]:  # noqa: N802 - reads like a field class
    return fields.Enum(enum, by_value=True, **kwargs)


def length(maximum: int, minimum: int | None = None) -> validate.Length:
    return validate.Length(
        min=minimum,
        max=maximum,
        # Lazy, translated when marshmallow formats it (see _translate).
        error=_l("Too long or too short; see the limits in the API documentation."),  # type: ignore[arg-type]
    )


def between(minimum: int, maximum: int) -> validate.Range:
    return validate.Range(
        min=minimum,
        max=maximum,
        error=_l("Out of range; see the limits in the API documentation."),  # type: ignore[arg-type]
    )


CONTROL_CHARACTERS = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r"}


class Text(fields.String):
    """Free text, trimmed; a required text may not be blank. Control characters (NUL and the
    like) are refused: no person types them, and PostgreSQL cannot store NUL in text."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if self.required and not text:
            raise ValidationError(str(MESSAGES["blank"]))
        if not CONTROL_CHARACTERS.isdisjoint(text):
            raise ValidationError(str(MESSAGES["control"]))
        return text


def text(maximum: int, **kwargs: Any) -> Text:
    return Text(validate=length(maximum), **kwargs)


# Input ---------------------------------------------------------------------------------


class PersonInput(ApiSchema):
    name = text(200, allow_none=True, metadata={"description": "Encrypted at rest."})
    phone = fields.String(
        allow_none=True,
        validate=length(32),
        metadata={"description": "E.164, such as +254700000001. Encrypted at rest."},
    )
    language = fields.String(validate=validate.OneOf(list(LANGUAGES)), allow_none=True)
    receives_messages = fields.Boolean(
        load_default=True,
        metadata={"description": "False when the proxy receives the messages in their place."},
    )


class MandateInput(ApiSchema):
    scopes = fields.List(Enum(MandateScope), required=True, validate=length(4, 1))
    consent_method = Enum(ConsentMethod, required=True)
    valid_until = fields.Date(required=True)
    proxy_receives_messages = fields.Boolean(load_default=True)


class GrievanceInput(ApiSchema):
    description = text(MAX_DESCRIPTION_LENGTH, required=True)
    language = fields.String(required=True, validate=validate.OneOf(list(LANGUAGES)))
    location = text(MAX_LOCATION_LENGTH, allow_none=True)
    category = Enum(Category, allow_none=True)
    harm_date = fields.Date(allow_none=True)
    people_affected = fields.Integer(load_default=1, validate=between(1, MAX_PEOPLE_AFFECTED))
    reprisal_risk = Enum(ReprisalRisk, load_default=ReprisalRisk.NONE)
    identity_withheld = fields.Boolean(load_default=False)
    contact_consent = fields.Boolean(load_default=False)
    contact_channel = fields.String(
        allow_none=True,
        validate=validate.OneOf(["sms", "whatsapp", "voice"]),
        metadata={"description": "How the people may be contacted (with contact_consent)."},
    )
    complainant = fields.Nested(PersonInput, allow_none=True)
    affected = fields.List(
        fields.Nested(PersonInput), load_default=list, validate=length(MAX_PEOPLE_PER_FILING)
    )
    mandate = fields.Nested(
        MandateInput,
        allow_none=True,
        metadata={
            "description": "Required when a proxy files: the consent of the people it files for."
        },
    )


class GrievanceQuery(ApiSchema):
    """The console queue's filters; every one narrows the list."""

    state = fields.List(
        fields.String(validate=validate.OneOf(INTAKE_STATES)),
        metadata={"description": "The grievance's state; repeat for several."},
    )
    track_kind = Enum(TrackKind, metadata={"description": "Has a track of this kind."})
    track_state = fields.List(
        fields.String(validate=validate.OneOf(TRACK_STATES)),
        metadata={"description": "Has a track in this state; repeat for several."},
    )
    overdue = fields.Boolean(metadata={"description": "Only overdue work."})
    min_severity = fields.Integer(validate=between(1, 4))
    reprisal_risk = fields.List(Enum(ReprisalRisk), metadata={"description": "Repeatable."})
    channel = Enum(Channel)
    language = fields.String(validate=validate.OneOf(list(LANGUAGES)))
    organisation_id = fields.Integer(
        validate=between(1, 2**31 - 1), metadata={"description": "Has a track of it."}
    )
    assignee_id = fields.Integer(validate=between(1, 2**31 - 1))
    unassigned = fields.Boolean()
    awaiting_complainant = fields.Boolean(
        metadata={"description": "The next move is the complainant's."}
    )
    q = fields.String(
        validate=length(200),
        metadata={"description": "Reference, pseudonym, category or place (whole words)."},
    )
    order = Enum(
        QueueOrder,
        metadata={"description": "due (default: overdue first, then soonest due) or newest."},
    )
    after = fields.String(
        validate=length(500), metadata={"description": "The next_cursor of the previous page."}
    )
    limit = fields.Integer(load_default=50, validate=between(1, 100))


class CheckInAnswerInput(ApiSchema):
    answer = Enum(Answer, required=True)
    comment = text(2000, allow_none=True)
    satisfaction = fields.Integer(allow_none=True, validate=between(1, 5))


class DeliveryInput(ApiSchema):
    evidence = text(MAX_TEXT, required=True)


# Output --------------------------------------------------------------------------------


class OrganisationOut(ApiSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = Enum(OrganisationKind, required=True)


class PersonOut(ApiSchema):
    pseudonym = fields.String(required=True)
    role = Enum(PersonRole, required=True)
    language = fields.String(required=True)
    name = fields.String(
        allow_none=True,
        metadata={"description": "Only for callers who may see the people's identity."},
    )
    phone = fields.String(
        allow_none=True,
        metadata={"description": "Only for callers who may see the people's identity."},
    )


class TrackOut(ApiSchema):
    id = fields.Integer(required=True)
    organisation = fields.Nested(OrganisationOut, required=True)
    kind = Enum(TrackKind, required=True)
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    outcome = Enum(Outcome, allow_none=True, required=True)
    rationale = fields.String(required=True)
    gap = fields.String(allow_none=True, required=True)
    opened_at = fields.DateTime(required=True)
    due_at = fields.DateTime(allow_none=True, required=True)
    overdue = fields.Boolean(required=True)
    ended_at = fields.DateTime(allow_none=True, required=True)
    check_in_window_ends_at = fields.DateTime(allow_none=True, required=True)


class QueueTrackOut(ApiSchema):
    id = fields.Integer(required=True)
    kind = Enum(TrackKind, required=True)
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    organisation_id = fields.Integer(required=True)
    organisation_name = fields.String(required=True)
    due_at = fields.DateTime(allow_none=True, required=True)
    overdue = fields.Boolean(required=True)


class GrievanceSummaryOut(ApiSchema):
    """A row of the list: pseudonyms only, never a name or a phone number."""

    reference = fields.String(required=True)
    version = fields.Integer(required=True)
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    channel = Enum(Channel, required=True)
    language = fields.String(required=True)
    category = Enum(Category, allow_none=True, required=True)
    severity = fields.Integer(allow_none=True, required=True)
    reprisal_risk = Enum(ReprisalRisk, required=True)
    identity_withheld = fields.Boolean(required=True)
    received_at = fields.DateTime(required=True)
    due_at = fields.DateTime(allow_none=True, required=True)
    overdue = fields.Boolean(required=True)
    assignee_id = fields.Integer(allow_none=True, required=True)
    pseudonyms = fields.List(fields.String(), required=True)
    tracks = fields.List(fields.Nested(QueueTrackOut), required=True)


class GrievanceOut(ApiSchema):
    reference = fields.String(required=True)
    version = fields.Integer(required=True)
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    outcome = Enum(Outcome, allow_none=True, required=True)
    channel = Enum(Channel, required=True)
    language = fields.String(required=True)
    description = fields.String(required=True)
    location = fields.String(allow_none=True, required=True)
    category = Enum(Category, allow_none=True, required=True)
    harm_date = fields.Date(allow_none=True, required=True)
    people_affected = fields.Integer(required=True)
    severity = fields.Integer(allow_none=True, required=True)
    severity_scale = fields.Integer(allow_none=True, required=True)
    severity_scope = fields.Integer(allow_none=True, required=True)
    severity_irremediability = fields.Integer(allow_none=True, required=True)
    reprisal_risk = Enum(ReprisalRisk, required=True)
    identity_withheld = fields.Boolean(required=True)
    discreet_messages = fields.Boolean(required=True)
    contact_consent = fields.Boolean(required=True)
    received_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    resolved_at = fields.DateTime(allow_none=True, required=True)
    due_at = fields.DateTime(allow_none=True, required=True)
    overdue = fields.Boolean(required=True)
    feedback_due_at = fields.DateTime(allow_none=True, required=True)
    assignee_id = fields.Integer(allow_none=True, required=True)
    people = fields.List(fields.Nested(PersonOut), required=True)
    tracks = fields.List(fields.Nested(TrackOut), required=True)


class GrievancePageOut(ApiSchema):
    items = fields.List(fields.Nested(GrievanceSummaryOut), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
    next = fields.String(
        allow_none=True, required=True, metadata={"description": "The next page's address."}
    )


class FiledOut(ApiSchema):
    reference = fields.String(required=True)
    pin = fields.String(
        required=True,
        metadata={"description": "Shown once: give it to the complainant; it is stored hashed."},
    )
    grievance = fields.Nested(GrievanceOut, required=True)


class TriggerFieldOut(ApiSchema):
    name = fields.String(required=True)
    type = fields.String(required=True)
    required = fields.Boolean(required=True)
    description = fields.String(allow_none=True)
    enum = fields.List(fields.String())
    schema = fields.String(
        metadata={"description": "The component schema of an object or of a list's items."}
    )


class TriggerOut(ApiSchema):
    trigger = fields.String(required=True)
    label = fields.String(required=True)
    to_state = fields.String(required=True)
    href = fields.String(required=True)
    fields_ = fields.List(fields.Nested(TriggerFieldOut), required=True, data_key="fields")


class TriggerListOut(ApiSchema):
    state = fields.String(required=True)
    etag = fields.String(required=True)
    items = fields.List(fields.Nested(TriggerOut), required=True)


class RemedyActionOut(ApiSchema):
    id = fields.Integer(required=True)
    track_id = fields.Integer(required=True)
    type = Enum(RemedyType, required=True)
    description = fields.String(required=True)
    owner = Enum(ActionOwner, required=True)
    due_date = fields.Date(allow_none=True, required=True)
    financial = fields.Boolean(required=True)
    status = Enum(ActionStatus, required=True)
    evidence = fields.String(allow_none=True, required=True)
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
    comment = fields.String(allow_none=True, required=True)
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


def list_of(item: type[Schema], name: str) -> type[Schema]:
    """``{"items": [...]}``: room to add paging later without breaking clients."""
    return type(name, (ApiSchema,), {"items": fields.List(fields.Nested(item), required=True)})


RemedyActionListOut = list_of(RemedyActionOut, "RemedyActionListOut")
LeverageActionListOut = list_of(LeverageActionOut, "LeverageActionListOut")
CheckInListOut = list_of(CheckInOut, "CheckInListOut")
MessageListOut = list_of(MessageOut, "MessageListOut")
AuditEventListOut = list_of(AuditEventOut, "AuditEventListOut")


class ProblemOut(ApiSchema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        metadata={"description": "422 only: each failing field with its messages."}
    )
