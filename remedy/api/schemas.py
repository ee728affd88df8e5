"""Marshmallow schemas: what the API reads and writes. The OpenAPI document is generated
from these same classes, so the contract and the code cannot drift apart. This module is
what every schema shares (the base class, field helpers, lists, problems); the schemas
themselves are ``grievance_schemas``, ``record_schemas`` and ``trigger_schemas``.

Field error messages are replaced by translated ones without placeholders (marshmallow's
own are English, and some carry the rejected input back, which may be personal data).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from remedy.core.config import LANGUAGES

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
    "cursor": _l("This page link is not valid any more. Start again."),
}
SCHEMA_MESSAGES = {
    "unknown": _l("This field is not part of this request."),
    "type": _l("Send a JSON object."),
}


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
# The same rules as regular expressions for the OpenAPI document, in the syntax JSON Schema
# (ECMA-262) and Python read alike. CONTROL_CLASS is CONTROL_CHARACTERS; SPACE_CLASS the
# other characters str.strip() removes (a test compares both with Python's own).
CONTROL_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f"
SPACE_CLASS = r"\t\n\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def text_pattern(forbidden: str, required: bool) -> str:
    """Text without the ``forbidden`` characters; when required, one that is not blank."""
    if required:
        return rf"^[^{forbidden}]*[^{forbidden}{SPACE_CLASS}][^{forbidden}]*$"
    return rf"^[^{forbidden}]*$"


TEXT_PATTERN = text_pattern(CONTROL_CLASS, required=False)
FILLED_PATTERN = text_pattern(CONTROL_CLASS, required=True)


class Text(fields.String):
    """Free text, trimmed; a required text may not be blank. Control characters (NUL and the
    like) are refused: no person types them, and PostgreSQL cannot store NUL in text.
    ``forbidden`` refuses more (line breaks in an id on one line), with ``refusal``.

    The document states the rules as a ``pattern`` (and ``minLength``), and the limit
    counts the text as sent, spaces included, as ``maxLength`` does: a request the
    document accepts is one the server accepts, and the other way round."""

    def __init__(
        self, *, forbidden: str = CONTROL_CLASS, refusal: Any = None, **kwargs: Any
    ) -> None:
        metadata = dict(kwargs.pop("metadata", None) or {})
        required = bool(kwargs.get("required"))
        metadata.setdefault("pattern", text_pattern(forbidden, required))
        if required:
            metadata.setdefault("minLength", 1)
        super().__init__(metadata=metadata, **kwargs)
        self.forbidden = re.compile(f"[{forbidden}]")
        self.refusal = refusal or MESSAGES["control"]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        sent = super()._deserialize(value, attr, data, **kwargs)
        if self.forbidden.search(sent):
            raise ValidationError(str(self.refusal))
        for validator in self.validators:
            if isinstance(validator, validate.Length):
                validator(sent)
        text = sent.strip()
        if self.required and not text:
            raise ValidationError(str(MESSAGES["blank"]))
        return text


def text(maximum: int, **kwargs: Any) -> Text:
    return Text(validate=length(maximum), **kwargs)


def texts_by_language(name: str, field: Callable[[], fields.Field[Any]]) -> type[Schema]:
    """An object with one optional text per language the mechanism speaks: the document
    names each language, so a client cannot send a code the server refuses."""
    return type(name, (ApiSchema,), {code: field() for code in LANGUAGES})


# The people's texts as written again per language (remedy.cases.people_texts), in answers.
PeopleTextsOut = texts_by_language("PeopleTextsOut", fields.String)


def list_of(item: type[Schema], name: str) -> type[Schema]:
    """``{"items": [...]}``: room to add paging later without breaking clients."""
    return type(name, (ApiSchema,), {"items": fields.List(fields.Nested(item), required=True)})


class ProblemOut(ApiSchema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        metadata={"description": "422 only: each failing field with its messages."}
    )
