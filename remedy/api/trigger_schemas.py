"""The API's trigger schemas: the steps a caller may take now on a grievance or a track,
each with the fields it needs (``trigger_fields`` describes them)."""

from __future__ import annotations

from marshmallow import fields

from remedy.api.schemas import ApiSchema


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
