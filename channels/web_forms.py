"""Forms of the public web pages: one question per filing step, and the case pages.

Flask-WTF gives every form its CSRF token. Shapes are checked here (required,
lengths, a real date, a phone number); the rules of the domain stay in the services.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    Field,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from remedy.cases.intake import MAX_TEXT
from remedy.core.errors import InvalidInput
from remedy.core.numbers import digits_filter
from remedy.filing.grievances import (
    MAX_DESCRIPTION_LENGTH,
    MAX_LOCATION_LENGTH,
    MAX_PEOPLE_AFFECTED,
)
from remedy.identity.people import MAX_NAME_LENGTH, normalise_phone
from remedy.models.grievance import CATEGORY_TITLES, MAX_EXTERNAL_REFERENCE_LENGTH
from remedy.models.types import utcnow

NUMERIC = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
TEL = {"autocomplete": "tel", "inputmode": "tel"}


def printable(form: FlaskForm, field: Field) -> None:
    """No control characters (PostgreSQL cannot even store NUL); line breaks are fine."""
    text = field.data or ""
    if any(not char.isprintable() and char not in "\r\n\t" for char in text):
        raise ValidationError(_l("Please remove the unusual characters."))


class Choice(RadioField):
    """Radio buttons whose refusal of an unknown value speaks the reader's language."""

    def __init__(
        self, label: object, choices: list[tuple[str, Any]], message: object, **kwargs: Any
    ) -> None:
        super().__init__(
            label,
            choices=[SelectChoice(value, title) for value, title in choices],
            validators=[InputRequired(message)],
            validate_choice=False,
            **kwargs,
        )
        self.message = message
        self.values = frozenset(value for value, _title in choices)

    def pre_validate(self, form: FlaskForm) -> None:
        if self.data and self.data not in self.values:
            raise ValidationError(self.message)


def text(
    label: object,
    max_length: int,
    required: object = None,
    *,
    kind: type[StringField] = StringField,
    free: bool = True,
    render_kw: dict[str, Any] | None = None,
) -> Any:
    """A text field of at most max_length characters; required gives the message when empty.

    Free text (what people write) must hold something besides spaces and no unusual
    characters, and may otherwise stay empty; a code or number must only be given, and
    its digits are read in any script (remedy.core.numbers).
    """
    validators: list[Any] = []
    if free:
        validators.append(DataRequired(required) if required is not None else Optional())
    elif required is not None:
        validators.append(InputRequired(required))
    validators.append(Length(max=max_length))
    if free:
        validators.append(printable)
    filters = () if free else (digits_filter,)
    return kind(label, validators=validators, filters=filters, render_kw=render_kw)


def not_in_future(form: FlaskForm, field: Field) -> None:
    if field.data and field.data > utcnow().date():
        raise ValidationError(_l("The date cannot be in the future."))


# Filing, one question per step ---------------------------------------------------------


class WhatForm(FlaskForm):
    description = text(
        _l("What happened?"),
        MAX_DESCRIPTION_LENGTH,
        _l("Tell us what happened."),
        kind=TextAreaField,
    )
    attachment = FileField(_l("A photo or a sound recording (optional)"))
    remove_attachment = BooleanField(_l("Remove the file I added"))


class CategoryForm(FlaskForm):
    category = Choice(
        _l("What is it about?"),
        [(member.value, title) for member, title in CATEGORY_TITLES.items()],
        _l("Choose the one closest to what happened."),
    )


PRODUCT_USER_CHOICES = [
    ("yes", _l("Yes, I use it")),
    ("no", _l("No, it affects me but I do not use it")),
    ("unknown", _l("I do not know")),
]


class TechnologyForm(FlaskForm):
    """Asked only when what happened is about technology (``TECHNOLOGY_CATEGORIES``)."""

    product_user = Choice(
        _l("Do you use the product or service?"),
        PRODUCT_USER_CHOICES,
        _l("Choose whether you use the product or service."),
    )
    external_reference = text(
        _l("An account, post or report number (optional)"), MAX_EXTERNAL_REFERENCE_LENGTH
    )


class WhereForm(FlaskForm):
    location = text(_l("Where did it happen?"), MAX_LOCATION_LENGTH)


class WhenForm(FlaskForm):
    # Text, not DateField: its parse error is in English only. Browsers show a date picker.
    harm_date = StringField(
        _l("When did it happen?"),
        validators=[Optional(), Length(max=20)],
        render_kw={"type": "date"},
    )

    def validate_harm_date(self, field: Field) -> None:
        try:
            field.data = date.fromisoformat(field.data.strip())
        except ValueError as error:
            raise ValidationError(_l("Give a date like 2024-03-31, or leave it empty.")) from error
        not_in_future(self, field)


AFFECTED_CHOICES = [("me", _l("Only me")), ("group", _l("A group of people, me too or not"))]


class WhoForm(FlaskForm):
    affected = Choice(
        _l("Who is affected?"),
        AFFECTED_CHOICES,
        _l("Choose who is affected."),
    )
    people_affected = text(_l("About how many people?"), 12, free=False, render_kw=NUMERIC)

    def validate_people_affected(self, field: Field) -> None:
        text = (field.data or "").strip()
        if self.affected.data != "group":
            field.data = None
            return
        count = int(text) if text.isascii() and text.isdigit() else 0
        if not 2 <= count <= MAX_PEOPLE_AFFECTED:
            raise ValidationError(
                _(
                    "Give about how many people are affected (%(minimum)s or more).",
                    minimum=format_decimal(2),
                )
            )
        field.data = count


IDENTITY_CHOICES = [
    ("share", _l("Yes, the company may know who I am")),
    ("withhold", _l("No, keep my name from the company")),
]


class IdentityForm(FlaskForm):
    identity = Choice(
        _l("May the company know who you are?"),
        IDENTITY_CHOICES,
        _l("Choose whether the company may know who you are."),
    )
    name = text(_l("Your name (optional)"), MAX_NAME_LENGTH, render_kw={"autocomplete": "name"})


CONTACT_CHOICES = [
    ("sms", _l("By SMS")),
    ("whatsapp", _l("By WhatsApp")),
    ("call", _l("By a phone call")),
    ("none", _l("Not at all: I will check here with my PIN")),
]


class ContactForm(FlaskForm):
    contact = Choice(
        _l("How may we contact you?"),
        CONTACT_CHOICES,
        _l("Choose how we may contact you."),
    )
    phone = text(
        _l("Your phone number (needed for SMS, WhatsApp or a call)"), 40, free=False, render_kw=TEL
    )

    def validate_phone(self, field: Field) -> None:
        number = (field.data or "").strip()
        if not number:
            if self.contact.data in ("sms", "whatsapp", "call"):
                raise ValidationError(
                    _l("Give the phone number we may use, with its country code.")
                )
            return
        try:
            field.data = normalise_phone(number)
        except InvalidInput as error:
            raise ValidationError(str(error)) from error


REPRISAL_CHOICES = [
    ("none", _l("No")),
    ("low", _l("A little")),
    ("high", _l("Yes, I am afraid")),
]


class SafetyForm(FlaskForm):
    reprisal = Choice(
        _l("Are you afraid someone will harm you because you complain?"),
        REPRISAL_CHOICES,
        _l("Choose an answer."),
    )


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: filing, withdrawing, closing the case in this browser."""


# Case pages -------------------------------------------------------------------------------


class OpenCaseForm(FlaskForm):
    reference = text(
        _l("Case number"), 20, _l("Give your case number."), free=False, render_kw=NUMERIC
    )
    pin = text(
        _l("PIN"),
        20,
        _l("Give your PIN."),
        kind=PasswordField,
        free=False,
        render_kw=NUMERIC,
    )


class InformationForm(FlaskForm):
    information = text(
        _l("What do you want to add?"),
        MAX_TEXT,
        _l("Write the information you want to add."),
        kind=TextAreaField,
    )
    attachment = FileField(_l("A photo, a PDF or a sound recording (optional)"))


class DeclineForm(FlaskForm):
    reason = text(
        _l("Why do you decline?"),
        MAX_TEXT,
        _l("Tell us why, so that the next proposal can be better."),
        kind=TextAreaField,
    )


ANSWER_CHOICES = [("yes", _l("Yes")), ("partly", _l("Partly")), ("no", _l("No"))]


class CheckInForm(FlaskForm):
    answer = Choice(
        _l("Did you receive it?"),
        ANSWER_CHOICES,
        _l("Choose yes, partly or no."),
    )
    comment = text(
        _l("What is missing, or anything else to tell us (optional)"),
        2000,
        kind=TextAreaField,
    )


FAIRNESS_CHOICES = [
    ("1", _l("1: not at all fair")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _l("5: very fair")),
]


class FairnessForm(FlaskForm):
    score = Choice(
        _l("How fair was the way we handled your complaint?"),
        FAIRNESS_CHOICES,
        _l("Choose a number from 1 (not at all) to 5 (very)."),
    )
    comment = text(
        _l("Anything to tell us about how we handled it (optional)"), 2000, kind=TextAreaField
    )


class ContestForm(FlaskForm):
    reason = text(
        _l("Why do you disagree with how this company is involved?"),
        MAX_TEXT,
        _l("Tell us why you disagree."),
        kind=TextAreaField,
    )


class ExplainForm(FlaskForm):
    question = text(
        _l("What do you want explained? (optional)"),
        MAX_TEXT,
        kind=TextAreaField,
    )


class AppealForm(FlaskForm):
    reason = text(
        _l("Why do you disagree with the decision?"),
        MAX_TEXT,
        _l("Tell us why you appeal."),
        kind=TextAreaField,
    )


class PinResetForm(FlaskForm):
    reference = OpenCaseForm.reference
    phone = text(
        _l("The phone number you gave us"),
        40,
        _l("Give your phone number."),
        free=False,
        render_kw=TEL,
    )


class ResetCodeForm(FlaskForm):
    code = text(
        _l("Code from the SMS"),
        12,
        _l("Give the code from the SMS."),
        free=False,
        render_kw={**NUMERIC, "autocomplete": "one-time-code"},
    )
