"""A trigger's fields described for the caller: name, JSON type, required, and where to
read more (the component schema in the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

JSON_TYPES: tuple[tuple[type[fields.Field[Any]], str], ...] = (
    (fields.Boolean, "boolean"),
    (fields.Integer, "integer"),
    (fields.Number, "number"),
    (fields.DateTime, "string (date-time)"),
    (fields.Date, "string (date)"),
    (fields.Enum, "string"),
    (fields.String, "string"),
    (fields.List, "array"),
    (fields.Nested, "object"),
)


def _json_type(field: fields.Field[Any]) -> str:
    for field_class, name in JSON_TYPES:
        if isinstance(field, field_class):
            return name
    return "string"


def _schema_name(field: fields.Field[Any]) -> str | None:
    if isinstance(field, fields.List):
        return _schema_name(field.inner)
    if isinstance(field, fields.Nested):
        nested = field.nested
        if isinstance(nested, Schema):
            return type(nested).__name__
        if isinstance(nested, type):
            return nested.__name__
    return None


def describe_fields(schema: type[Schema]) -> list[dict[str, Any]]:
    described = []
    for name, field in schema().fields.items():
        entry: dict[str, Any] = {
            "name": field.data_key or name,
            "type": _json_type(field),
            "required": field.required,
            "description": field.metadata.get("description"),
        }
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Enum):
            entry["enum"] = [str(member.value) for member in inner.enum]
        nested = _schema_name(field)
        if nested:
            entry["schema"] = f"#/components/schemas/{nested}"
        described.append(entry)
    return described
