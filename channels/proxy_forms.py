"""The proxy portal's forms: a mandate's terms, filing for people, and the actions on a
case a member takes for them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from remedy.core.config import LANGUAGES
from remedy.core.numbers import digits_filter
from remedy.filing.grievances import MAX_DESCRIPTION_LENGTH, MAX_LOCATION_LENGTH
from remedy.models.check_in import Answer
from remedy.models.grievance import (
    CATEGORY_TITLES,
    MAX_EXTERNAL_REFERENCE_LENGTH,
    PRODUCT_USER_LABELS,
    ReprisalRisk,
)
from remedy.models.group_consultation import CONSULTATION_METHOD_LABELS
from remedy.models.mandate import CONSENT_METHOD_LABELS, ConsentMethod
from remedy.proxy import mandates
from remedy.proxy.filing import RECIPIENT_LABELS
from remedy.proxy.mandates import SCOPE_LABELS, MandateTerms
from remedy.workflows.definition import MandateScope


class Count(IntegerField):
    """A whole number typed as text: a number input refuses the digits an Arabic phone
    types (٣٠), which ``int`` reads as 30 like any other digits."""

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(*args, **kwargs)


YES_NO = [
    SelectChoice("no", _l("No, keep their names from the company")),
    SelectChoice("yes", _l("Yes")),
]
REPRISAL_CHOICES = [
    SelectChoice(ReprisalRisk.NONE.value, _l("No")),
    SelectChoice(ReprisalRisk.LOW.value, _l("Perhaps, a little")),
    SelectChoice(ReprisalRisk.HIGH.value, _l("Yes, they are afraid")),
]
ANSWER_CHOICES = [
    SelectChoice(Answer.YES.value, _l("Yes, it was delivered")),
    SelectChoice(Answer.PARTLY.value, _l("Partly")),
    SelectChoice(Answer.NO.value, _l("No, it was not delivered")),
]
MAX_REASON = 5000


def _choices(labels: dict[Any, Any]) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _evidence(form: FlaskForm) -> mandates.Evidence | None:
    upload = form.evidence.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return mandates.Evidence(upload.filename, upload.read())


class MandateFields(FlaskForm):
    """What the people agreed to; shared by filing and recording a further mandate."""

    scopes = SelectMultipleField(
        _l("What may your organisation do for them?"),
        choices=_choices(SCOPE_LABELS),
        validators=[DataRequired(message=_l("Choose what the mandate allows."))],
    )
    consent_method = RadioField(
        _l("How did they give their consent?"),
        choices=_choices(CONSENT_METHOD_LABELS),
        validators=[InputRequired(message=_l("Choose how consent was given."))],
    )
    valid_until = DateField(
        _l("The mandate is valid until"),
        validators=[InputRequired(message=_l("Give the last day of the mandate."))],
    )
    consent_note = StringField(
        _l("Witness or other details (optional)"), validators=[Optional(), Length(max=1000)]
    )
    evidence = FileField(_l("Consent evidence (optional)"))
    # The evidence kept from a refused submit: ticked, it is not used (channels.proxy_filing).
    remove_evidence = BooleanField(_l("Remove it"))


class FileForm(MandateFields):
    for_whom = RadioField(
        _l("Who are you filing for?"),
        choices=[
            SelectChoice("person", _l("One person")),
            SelectChoice("group", _l("A group of people")),
        ],
        validators=[InputRequired(message=_l("Choose one person or a group."))],
    )
    name = StringField(_l("Their name (optional)"), validators=[Optional(), Length(max=200)])
    phone = StringField(
        _l("Their phone number (optional)"),
        validators=[Optional(), Length(max=40)],
        filters=[digits_filter],
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    people = TextAreaField(
        _l("The people in the group (optional)"), validators=[Optional(), Length(max=50_000)]
    )
    people_affected = Count(_l("How many people are affected?"), validators=[Optional()])
    language = SelectField(
        _l("Their language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
    )
    description = TextAreaField(
        _l("What happened?"),
        validators=[
            DataRequired(message=_l("Tell us what happened.")),
            Length(max=MAX_DESCRIPTION_LENGTH),
        ],
    )
    category = SelectField(
        _l("What is it about? (optional)"),
        choices=[SelectChoice("", _l("Choose if you know")), *_choices(CATEGORY_TITLES)],
        validators=[Optional()],
    )
    product_user = SelectField(
        _l("Do they use the product or service? (technology harms)"),
        choices=[SelectChoice("", _l("Not asked")), *_choices(PRODUCT_USER_LABELS)],
        validators=[Optional()],
    )
    external_reference = StringField(
        _l("An account, content or flag id (optional)"),
        validators=[Optional(), Length(max=MAX_EXTERNAL_REFERENCE_LENGTH)],
    )
    location = StringField(
        _l("Where did it happen? (optional)"),
        validators=[Optional(), Length(max=MAX_LOCATION_LENGTH)],
    )
    harm_date = DateField(_l("When did it happen? (optional)"), validators=[Optional()])
    identity = RadioField(
        _l("May the company know who they are?"),
        choices=YES_NO,
        validators=[InputRequired(message=_l("Choose whether the company may know them."))],
    )
    reprisal_risk = RadioField(
        _l("Are they afraid of reprisals?"),
        choices=REPRISAL_CHOICES,
        validators=[InputRequired(message=_l("Choose whether they fear reprisals."))],
    )
    recipients = RadioField(
        _l("Who receives the messages about the case?"),
        choices=_choices(RECIPIENT_LABELS),
        validators=[InputRequired(message=_l("Choose who receives the messages."))],
    )


class NewMandateForm(MandateFields):
    person = SelectField(_l("For whom?"))
    receive_messages = BooleanField(_l("Our organisation receives the messages about the case"))


class RequiredReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Why?"),
        validators=[DataRequired(message=_l("Give the reason.")), Length(max=MAX_REASON)],
    )


class ExplainRequestForm(FlaskForm):
    question = TextAreaField(
        _l("What do the people want explained? (optional)"),
        validators=[Optional(), Length(max=MAX_REASON)],
    )


class ConsentCodeForm(FlaskForm):
    code = StringField(
        _l("The code the people received"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=20)],
        filters=[digits_filter],
    )


class InformationForm(FlaskForm):
    information = TextAreaField(
        _l("Information to add"),
        validators=[
            DataRequired(message=_l("Write the information you want to add.")),
            Length(max=MAX_REASON),
        ],
    )
    attachment = FileField(_l("A photo, a PDF or a sound recording (optional)"))


class ConsultationFields(FlaskForm):
    """How a proxy deciding for a group consulted the people (``remedy.cases.consultations``).
    Optional here: the service says when it is required."""

    consulted_how = RadioField(
        _l("How were the people consulted?"),
        choices=_choices(CONSULTATION_METHOD_LABELS),
        validators=[Optional()],
    )
    consulted_on = DateField(_l("When?"), validators=[Optional()])
    participants = Count(
        _l("How many of them took part?"), validators=[Optional(), NumberRange(min=1)]
    )
    consultation_notes = TextAreaField(
        _l("What they said (optional)"), validators=[Optional(), Length(max=2000)]
    )


class AcceptForm(ConsultationFields):
    pass


class DeclineForm(RequiredReasonForm, ConsultationFields):
    pass


class IdentityAnswerForm(ConsultationFields):
    pass


class CheckInForm(ConsultationFields):
    answer = RadioField(
        _l("Was the remedy delivered?"),
        choices=ANSWER_CHOICES,
        validators=[InputRequired(message=_l("Choose an answer."))],
    )
    comment = TextAreaField(
        _l("What is missing, or anything to add (optional)"),
        validators=[Optional(), Length(max=2000)],
    )


FAIRNESS_CHOICES = [
    SelectChoice("1", _l("1: not at all fair")),
    *(SelectChoice(str(score), str(score)) for score in (2, 3, 4)),
    SelectChoice("5", _l("5: very fair")),
]


class FairnessForm(FlaskForm):
    """How fair the handling of the ended case was, as the person told the organisation."""

    score = RadioField(
        _l("How fair was the way we handled your complaint?"),
        choices=FAIRNESS_CHOICES,
        validators=[InputRequired(message=_l("Choose a number from 1 (not at all) to 5 (very)."))],
        validate_choice=False,
    )
    comment = TextAreaField(
        _l("Anything to tell us about how we handled it (optional)"),
        validators=[Optional(), Length(max=2000)],
    )


class ButtonForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def _scopes(form: MandateFields) -> frozenset[MandateScope]:
    return frozenset(MandateScope(value) for value in form.scopes.data or [])


def mandate_terms(form: MandateFields) -> MandateTerms:
    return MandateTerms(
        scopes=_scopes(form),
        consent_method=ConsentMethod(form.consent_method.data),
        valid_until=form.valid_until.data,
        consent_note=form.consent_note.data or None,
        evidence=_evidence(form),
    )
