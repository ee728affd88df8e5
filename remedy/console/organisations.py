"""Administrators list, create and vet organisations. An NGO's members file and act for
others only once it is vetted here (DESIGN §5: credible proxies)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from remedy.accounts.organisations import (
    create_organisation,
    set_publish_statistics,
    set_served,
    vet_organisation,
)
from remedy.auth.forms import EmptyForm, show_refusal
from remedy.auth.sessions import roles_required
from remedy.console.views import NAV, NavLink, console_navigation
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.models.organisation import ORGANISATION_KIND_TITLES, Organisation, OrganisationKind
from remedy.models.user import Role, User

bp = Blueprint("organisations", __name__, url_prefix="/console/organisations")
bp.context_processor(console_navigation)
NAV.append(
    NavLink("organisations", _l("Organisations"), "organisations.index", roles=(Role.ADMIN,))
)


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice(kind.value, label) for kind, label in ORGANISATION_KIND_TITLES.items()
        ],
    )
    country = StringField(
        _l("Country (two-letter code, optional)"),
        validators=[Optional(), Length(min=2, max=2)],
        render_kw={"autocomplete": "off"},
    )
    served = SelectField(
        _l("Does the mechanism serve it?"),
        choices=[
            SelectChoice("", _l("As its kind says: a company is served, others are not")),
            SelectChoice("yes", _l("Yes: the identity question at filing is about it")),
            SelectChoice("no", _l("No: its staff see pseudonyms until the people agree")),
        ],
        default="",
    )


SERVED_CHOICES = {"": None, "yes": True, "no": False}


def _listing(
    form: OrganisationForm,
    status: int = 200,
    vet_failed: int | None = None,
    vet_error: str = "",
) -> tuple[str, int]:
    members = dict(
        db.session.execute(
            select(User.organisation_id, func.count(User.id))
            .where(User.organisation_id.is_not(None))
            .group_by(User.organisation_id)
        ).all()
    )
    organisations = db.session.scalars(
        select(Organisation).order_by(func.lower(Organisation.name))
    ).all()
    page = render_template(
        "console/organisations.html",
        organisations=organisations,
        members=members,
        form=form,
        button=EmptyForm(),
        vet_failed=vet_failed,
        vet_error=vet_error,
    )
    return page, status


@bp.route("/")
@roles_required(Role.ADMIN)
def index() -> tuple[str, int]:
    return _listing(OrganisationForm())


@bp.post("/")
@roles_required(Role.ADMIN)
def create() -> Response | tuple[str, int]:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = create_organisation(
                Actor.for_user(current_user),
                form.name.data,
                OrganisationKind(form.kind.data),
                form.country.data or None,
                SERVED_CHOICES.get(form.served.data),
            )
        except InvalidInput as problem:
            show_refusal(form, problem)
        else:
            flash(_("%(name)s is added.", name=organisation.name), "success")
            return redirect(url_for(".index"))
    return _listing(form, 400)


def _posted_for(organisation_id: int) -> Organisation:
    """The organisation a change was posted for: 404 if there is none, 400 without the
    form's token."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return organisation


@bp.post("/<int:organisation_id>/vet")
@roles_required(Role.ADMIN)
def vet(organisation_id: int) -> Response | tuple[str, int]:
    organisation = _posted_for(organisation_id)
    try:
        vet_organisation(Actor.for_user(current_user), organisation, request.form.get("note", ""))
    except InvalidInput as problem:
        if problem.field != "note":
            flash(str(problem), "error")
        return _listing(OrganisationForm(), problem.status, organisation.id, str(problem))
    flash(
        _(
            "%(name)s is vetted: its members can now file and act for others.",
            name=organisation.name,
        ),
        "success",
    )
    return redirect(url_for(".index"))


@bp.post("/<int:organisation_id>/served")
@roles_required(Role.ADMIN)
def served(organisation_id: int) -> Response | tuple[str, int]:
    """Mark it served or not: who sees the people's names follows at once."""
    organisation = _posted_for(organisation_id)
    now_served = request.form.get("served") == "yes"
    set_served(Actor.for_user(current_user), organisation, now_served)
    if now_served:
        message = _("The mechanism serves %(name)s.", name=organisation.name)
    else:
        message = _(
            "%(name)s is not served: its staff see pseudonyms until the people agree.",
            name=organisation.name,
        )
    flash(message, "success")
    return redirect(url_for(".index"))


@bp.post("/<int:organisation_id>/statistics")
@roles_required(Role.ADMIN)
def publish_statistics(organisation_id: int) -> Response:
    """Name it in the public statistics, or stop: only once it agreed."""
    organisation = _posted_for(organisation_id)
    publish = request.form.get("publish") == "yes"
    set_publish_statistics(Actor.for_user(current_user), organisation, publish)
    if publish:
        message = _("%(name)s is named in the public statistics.", name=organisation.name)
    else:
        message = _("%(name)s is not named in the public statistics.", name=organisation.name)
    flash(message, "success")
    return redirect(url_for(".index"))
