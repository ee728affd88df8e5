"""Administrators manage staff and proxy accounts: list them, deactivate and reactivate,
change a role, unlock, reset a lost second factor. The use cases live in
``remedy.accounts.lifecycle``; every change is a POST with its CSRF token, and the ones
that take something away ask for a confirmation box first."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from remedy.accounts import lifecycle
from remedy.accounts.roster import AccountFilter, is_locked, list_accounts
from remedy.auth.forms import EmptyForm
from remedy.auth.sessions import roles_required
from remedy.console.views import NAV, NavLink, console_navigation
from remedy.core.actors import Actor
from remedy.core.errors import ServiceError
from remedy.core.extensions import db
from remedy.core.roles import ROLE_TITLES
from remedy.models.organisation import Organisation
from remedy.models.user import Role, User

bp = Blueprint("users", __name__, url_prefix="/console/users")
bp.context_processor(console_navigation)
NAV.append(NavLink("users", _l("Accounts"), "users.index", roles=(Role.ADMIN,)))

ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ROLE_TITLES.items()]
ACTIVE_CHOICES = {"": None, "yes": True, "no": False}


class ConfirmForm(FlaskForm):
    confirm = BooleanField(
        _l("Yes, I am sure"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class RoleForm(ConfirmForm):
    role = SelectField(_l("New role"), choices=ROLE_CHOICES)


def _filter_from_query() -> AccountFilter:
    """Unknown values filter nothing rather than fail: the list is only read."""
    role = request.args.get("role", "")
    organisation = request.args.get("organisation", "")
    return AccountFilter(
        role=Role(role) if role in Role._value2member_map_ else None,
        active=ACTIVE_CHOICES.get(request.args.get("active", "")),
        organisation_id=int(organisation) if organisation.isdigit() else None,
    )


@bp.route("/")
@roles_required(Role.ADMIN)
def index() -> str:
    only = _filter_from_query()
    organisation = (
        db.session.get(Organisation, only.organisation_id) if only.organisation_id else None
    )
    return render_template(
        "console/users.html",
        accounts=list_accounts(only),
        only=only,
        organisation=organisation,
        roles=ROLE_TITLES,
        is_locked=is_locked,
    )


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _page(
    user: User,
    status: int = 200,
    role_form: RoleForm | None = None,
    enrolment_link: str | None = None,
) -> tuple[str, int]:
    page = render_template(
        "console/user.html",
        account=user,
        locked=is_locked(user),
        confirm_form=ConfirmForm(),
        role_form=role_form or RoleForm(role=user.role.value),
        button=EmptyForm(),
        enrolment_link=enrolment_link,
        link_hours=int(lifecycle.ENROLMENT_LINK_LIFETIME.total_seconds() // 3600),
    )
    return page, status


@bp.route("/<int:user_id>")
@roles_required(Role.ADMIN)
def show(user_id: int) -> tuple[str, int]:
    return _page(_account(user_id))


def _confirmed() -> bool:
    form = ConfirmForm()
    if form.validate_on_submit():
        return True
    if form.csrf_token.errors:
        abort(400)
    flash(_("Tick the box to confirm."), "error")
    return False


def _done(user: User, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for(".show", user_id=user.id))


def _refused(user: User, problem: ServiceError) -> tuple[str, int]:
    flash(str(problem), "error")
    return _page(user, problem.status)


@bp.post("/<int:user_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate(user_id: int) -> Response | tuple[str, int]:
    user = _account(user_id)
    if not _confirmed():
        return _page(user, 400)
    try:
        lifecycle.deactivate_user(Actor.for_user(current_user), user)
    except ServiceError as problem:
        return _refused(user, problem)
    return _done(
        user,
        _("%(email)s is deactivated: signed out everywhere, API tokens revoked.", email=user.email),
    )


@bp.post("/<int:user_id>/role")
@roles_required(Role.ADMIN)
def set_role(user_id: int) -> Response | tuple[str, int]:
    user = _account(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _page(user, 400, form)
    try:
        lifecycle.set_role(Actor.for_user(current_user), user, Role(form.role.data))
    except ServiceError as problem:
        return _refused(user, problem)
    return _done(user, _("%(email)s is now: %(role)s.", email=user.email, role=user.role.label))


def _without_confirmation(
    user_id: int, change: Callable[[Actor, User], User], done: str
) -> Response:
    """Changes that give back rather than take away: the button is the confirmation."""
    user = _account(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    change(Actor.for_user(current_user), user)
    return _done(user, done % {"email": user.email})


@bp.post("/<int:user_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate(user_id: int) -> Response:
    return _without_confirmation(
        user_id, lifecycle.reactivate_user, _("%(email)s can sign in again.")
    )


@bp.post("/<int:user_id>/unlock")
@roles_required(Role.ADMIN)
def unlock(user_id: int) -> Response:
    return _without_confirmation(user_id, lifecycle.unlock_user, _("%(email)s is unlocked."))


@bp.post("/<int:user_id>/second-factor")
@roles_required(Role.ADMIN)
def reset_second_factor(user_id: int) -> Response | tuple[str, int]:
    user = _account(user_id)
    if not _confirmed():
        return _page(user, 400)
    key = lifecycle.reset_second_factor(Actor.for_user(current_user), user)
    # Shown on this page only, never flashed: a flash would carry the link in a cookie.
    return _page(user, enrolment_link=lifecycle.enrolment_url(key))
