"""Sign-in and set-up forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from remedy.core.errors import InvalidInput


def printable_email(form: FlaskForm, field: Field) -> None:
    """No control characters: PostgreSQL cannot even compare a text holding NUL."""
    if field.data and not field.data.isprintable():
        raise ValidationError(_l("Enter a valid email address."))


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254), printable_email])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class CodeForm(FlaskForm):
    code = StringField(
        _l("6-digit code from your authenticator app"),
        validators=[DataRequired(), Length(min=6, max=8)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class FirstAdminForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254), printable_email])
    password = PasswordField(
        _l("Password (at least 12 characters)"), validators=[DataRequired(), Length(max=256)]
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(
        _l("New password (at least 12 characters)"), validators=[DataRequired(), Length(max=256)]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class EmptyForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def show_refusal(form: FlaskForm, problem: InvalidInput) -> None:
    """A service's refusal beside the field it names, or at the top of the page."""
    field = getattr(form, problem.field or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(problem)]
    else:
        flash(str(problem), "error")
