"""The API's schemas for referrals as hand-offs: the referral, the body's news, the people's
consent and the export pack."""

from __future__ import annotations

from marshmallow import fields

from remedy.api.schemas import ApiSchema, Enum, between, text
from remedy.cases.intake import MAX_TEXT
from remedy.models.identity_consent import ConsentVia
from remedy.models.referral import ReferralUpdateKind
from remedy.models.types import MAX_ROW_ID

# Input ---------------------------------------------------------------------------------


class ReferralQuery(ApiSchema):
    after = fields.Integer(
        validate=between(1, MAX_ROW_ID),
        metadata={"description": "Continue after this referral id (the page's next_cursor)."},
    )
    limit = fields.Integer(load_default=50, validate=between(1, 200))


class ReferralUpdateInput(ApiSchema):
    kind = Enum(
        ReferralUpdateKind,
        required=True,
        metadata={"description": "An outcome ends the hand-off and its reminders."},
    )
    text = text(MAX_TEXT, required=True)


class ReferralConsentInput(ApiSchema):
    consent = fields.Boolean(required=True)
    via = Enum(ConsentVia, required=True)
    shared = text(MAX_TEXT, allow_none=True, metadata={"description": "What was shared."})


# Output --------------------------------------------------------------------------------


class ReferralUpdateOut(ApiSchema):
    kind = Enum(ReferralUpdateKind, required=True)
    text = fields.String(required=True)
    at = fields.DateTime(required=True)
    by_partner = fields.Boolean(required=True)


class ReferralOut(ApiSchema):
    id = fields.Integer(required=True)
    reference = fields.String(required=True)
    mechanism_id = fields.Integer(required=True)
    mechanism = fields.String(required=True)
    referred_at = fields.DateTime(required=True)
    consent = fields.Boolean(allow_none=True, required=True)
    consent_via = Enum(ConsentVia, allow_none=True, required=True)
    consent_at = fields.DateTime(allow_none=True, required=True)
    shared = fields.String(allow_none=True, required=True)
    acknowledged_at = fields.DateTime(allow_none=True, required=True)
    updated_at = fields.DateTime(allow_none=True, required=True)
    outcome_at = fields.DateTime(allow_none=True, required=True)
    reminded_at = fields.DateTime(allow_none=True, required=True)
    awaiting = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "acknowledgement, outcome, or null once the outcome is in."},
    )
    updates = fields.List(fields.Nested(ReferralUpdateOut), required=True)


class ReferralPageOut(ApiSchema):
    items = fields.List(fields.Nested(ReferralOut), required=True)
    next_cursor = fields.Integer(allow_none=True, required=True)


class PackPersonOut(ApiSchema):
    pseudonym = fields.String(required=True)
    role = fields.String(required=True)
    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class ReferralPackOut(ApiSchema):
    referral_id = fields.Integer(required=True)
    reference = fields.String(required=True)
    made_at = fields.String(required=True)
    mechanism = fields.Dict(required=True)
    referred_at = fields.String(allow_none=True, required=True)
    consent = fields.Dict(required=True)
    personal_data = fields.Boolean(
        required=True,
        metadata={"description": "False: the people did not agree; pseudonyms only."},
    )
    notice = fields.String(required=True)
    case = fields.Dict(required=True)
    people = fields.List(fields.Nested(PackPersonOut), required=True)
    organisations = fields.List(fields.Dict(), required=True)
    updates = fields.List(fields.Dict(), required=True)
