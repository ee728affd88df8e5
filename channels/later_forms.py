"""Forms shared by the public case pages and the proxy portal: withdrawing with a reason,
and a file added with later information.

The reason is optional on both: the people owe nobody an explanation. The choices are the
same words the team reads on the timeline (``WITHDRAWAL_REASON_LABELS``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from remedy.cases.withdrawal import MAX_NOTE
from remedy.filing.later_files import Upload
from remedy.models.withdrawal import WITHDRAWAL_REASON_LABELS

REASON_CHOICES = [
    SelectChoice(reason.value, label) for reason, label in WITHDRAWAL_REASON_LABELS.items()
]
REASONS = frozenset(choice.value for choice in REASON_CHOICES)


def _listed(form: FlaskForm, field: Any) -> None:
    if field.data and field.data not in REASONS:
        raise ValidationError(_l("Choose one of the listed options."))


def upload_of(field: Any) -> Upload | None:
    """The file a form's file field carries, or None when none was chosen."""
    upload = field.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return Upload(upload.filename, upload.read())


class WithdrawForm(FlaskForm):
    """The public page: a reason in radio buttons (none chosen is fine), and words."""

    reason = RadioField(
        _l("Why do you withdraw? (optional)"),
        choices=REASON_CHOICES,
        validators=[Optional(), _listed],
        validate_choice=False,
    )
    note = TextAreaField(
        _l("Anything you want to tell us (optional)"),
        validators=[Optional(), Length(max=MAX_NOTE)],
    )


class ProxyWithdrawForm(FlaskForm):
    """The portal: the people's request confirmed, and why they withdraw, if they said."""

    confirm = BooleanField(
        _l("The people asked to withdraw the grievance"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
    reason = SelectField(
        _l("Why they withdraw (optional)"),
        choices=[SelectChoice("", _l("They did not say")), *REASON_CHOICES],
        validators=[Optional(), _listed],
        validate_choice=False,
    )
    note = TextAreaField(
        _l("What they said about it (optional)"),
        validators=[Optional(), Length(max=MAX_NOTE)],
    )
