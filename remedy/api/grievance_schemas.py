"""The API's grievance schemas: filing one (with the people and a proxy's mandate), the
queue's filters, and a grievance as it is read, listed and filed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from remedy.api.schemas import MESSAGES, ApiSchema, Enum, PeopleTextsOut, between, length, text
from remedy.cases.technology import NOT_ON_ONE_LINE
from remedy.core.config import LANGUAGES
from remedy.filing.grievances import (
    MAX_DESCRIPTION_LENGTH,
    MAX_LOCATION_LENGTH,
    MAX_PEOPLE_AFFECTED,
)
from remedy.models.grievance import (
    MAX_EXTERNAL_REFERENCE_LENGTH,
    Category,
    Channel,
    Outcome,
    ProductUser,
    ReprisalRisk,
    UrgencyFlag,
)
from remedy.models.grievance_person import PersonRole
from remedy.models.involvement_track import TrackKind
from remedy.models.mandate import ConsentMethod
from remedy.models.organisation import OrganisationKind
from remedy.models.state_actor import StateActorKind
from remedy.models.types import MAX_ROW_ID
from remedy.queue.cursor import CURSOR_PATTERN
from remedy.queue.filters import INTAKE_STATES, TRACK_STATES, QueueOrder
from remedy.workflows.definition import MandateScope

RISK_FOR_WHOM = "Null for the staff of the organisations involved: the people may fear them."

MAX_PEOPLE_PER_FILING = 200


# Input ---------------------------------------------------------------------------------


class PersonInput(ApiSchema):
    name = text(200, allow_none=True, metadata={"description": "Encrypted at rest."})
    phone = fields.String(
        allow_none=True,
        validate=length(32),
        metadata={
            "format": "phone",
            "description": "A number that can exist, by libphonenumber's tables: E.164, "
            "such as +254712345678, or national in the mechanism's default country. "
            "Encrypted at rest.",
        },
    )
    language = fields.String(validate=validate.OneOf(list(LANGUAGES)), allow_none=True)
    receives_messages = fields.Boolean(
        load_default=True,
        metadata={"description": "False when the proxy receives the messages in their place."},
    )


class MandateInput(ApiSchema):
    scopes = fields.List(Enum(MandateScope), required=True, validate=length(4, 1))
    consent_method = Enum(ConsentMethod, required=True)
    valid_until = fields.Date(
        required=True, metadata={"description": "Today or later: a mandate that ended is 422."}
    )
    proxy_receives_messages = fields.Boolean(load_default=True)


class GrievanceInput(ApiSchema):
    description = text(MAX_DESCRIPTION_LENGTH, required=True)
    language = fields.String(required=True, validate=validate.OneOf(list(LANGUAGES)))
    location = text(MAX_LOCATION_LENGTH, allow_none=True)
    category = Enum(Category, allow_none=True)
    product_user = Enum(
        ProductUser,
        allow_none=True,
        metadata={
            "description": "Technology harms: whether the person uses the product or service "
            "(yes), is affected without using it (no), or it is not known."
        },
    )
    external_reference = text(
        MAX_EXTERNAL_REFERENCE_LENGTH,
        allow_none=True,
        forbidden=NOT_ON_ONE_LINE,
        refusal=_l("Give the account, content or flag id on one line, as it is shown."),
        metadata={
            "description": "An account, content or flag id in another system, on one line. "
            "Encrypted at rest; read back only by those who may know who the people are."
        },
    )
    harm_date = fields.Date(
        allow_none=True, metadata={"description": "Today or earlier: a date to come is 422."}
    )
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
        validate=between(1, MAX_ROW_ID), metadata={"description": "Has a track of it."}
    )
    assignee_id = fields.Integer(validate=between(1, MAX_ROW_ID))
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
        metadata={
            "description": "priority (default: urgent flags, then severity, then due), due "
            "(overdue first, then soonest due) or newest."
        },
    )
    after = fields.String(
        validate=validate.Regexp(CURSOR_PATTERN, error=MESSAGES["cursor"]),  # type: ignore[arg-type]
        metadata={
            "description": "The next_cursor of the previous page, with the same filters and "
            "order. Of another form: 422; of another order: 409 (stale-cursor), start again."
        },
    )
    limit = fields.Integer(load_default=50, validate=between(1, 100))


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
    explanation = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "The rationale as the people are told it; null if none."},
    )
    explanation_by_language = fields.Nested(
        PeopleTextsOut,
        required=True,
        metadata={
            "description": "The explanation as written again in the people's languages, by "
            "language code; a person whose language is not listed reads `explanation`."
        },
    )
    gap = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "What is still missing, in the people's words; null when "
            "the case is restricted for the caller."
        },
    )
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


def restricted_flag() -> fields.Boolean:
    """The marker of a sensitive case whose description the caller may not read."""
    return fields.Boolean(
        required=True,
        metadata={"description": "A sensitive case the caller is not cleared to read."},
    )


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
    reprisal_risk = Enum(
        ReprisalRisk,
        allow_none=True,
        required=True,
        metadata={"description": RISK_FOR_WHOM},
    )
    identity_withheld = fields.Boolean(required=True)
    received_at = fields.DateTime(required=True)
    due_at = fields.DateTime(allow_none=True, required=True)
    overdue = fields.Boolean(required=True)
    assignee_id = fields.Integer(allow_none=True, required=True)
    urgency_flags = fields.List(
        Enum(UrgencyFlag), required=True, metadata={"description": "Confirmed by a person."}
    )
    priority = fields.Integer(required=True)
    pseudonyms = fields.List(fields.String(), required=True)
    restricted = restricted_flag()
    tracks = fields.List(fields.Nested(QueueTrackOut), required=True)


class StateActorOut(ApiSchema):
    id = fields.Integer(required=True)
    kind = Enum(StateActorKind, required=True)
    name = fields.String(required=True)
    conduct = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)


class GrievanceOut(ApiSchema):
    reference = fields.String(required=True)
    version = fields.Integer(required=True)
    state = fields.String(required=True)
    state_label = fields.String(required=True)
    outcome = Enum(Outcome, allow_none=True, required=True)
    channel = Enum(Channel, required=True)
    language = fields.String(required=True)
    description = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Null when the case is restricted for the caller."},
    )
    restricted = restricted_flag()
    location = fields.String(allow_none=True, required=True)
    category = Enum(Category, allow_none=True, required=True)
    product_user = Enum(ProductUser, allow_none=True, required=True)
    external_reference = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Null when the caller may not know who the people are."},
    )
    harm_date = fields.Date(allow_none=True, required=True)
    people_affected = fields.Integer(required=True)
    severity = fields.Integer(allow_none=True, required=True)
    severity_scale = fields.Integer(allow_none=True, required=True)
    severity_scope = fields.Integer(allow_none=True, required=True)
    severity_irremediability = fields.Integer(allow_none=True, required=True)
    urgency_flags = fields.List(
        Enum(UrgencyFlag), required=True, metadata={"description": "Confirmed by a person."}
    )
    suggested_flags = fields.List(
        Enum(UrgencyFlag),
        required=True,
        metadata={"description": "Suggested by the category and words; for a person to confirm."},
    )
    reviewer_id = fields.Integer(
        allow_none=True, required=True, metadata={"description": "The named senior reviewer."}
    )
    reprisal_risk = Enum(
        ReprisalRisk,
        allow_none=True,
        required=True,
        metadata={"description": RISK_FOR_WHOM},
    )
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
    state_actors = fields.List(
        fields.Nested(StateActorOut),
        metadata={
            "description": "State actors involved (the police, a local authority...), parties "
            "without a track: for the mechanism's own staff only, absent for anyone else."
        },
    )


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
