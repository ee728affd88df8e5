"""Administrators subscribe organisations to webhooks, see each secret once, rotate it,
deactivate a subscription and read its delivery log (docs/webhooks.md)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from remedy.auth.forms import EmptyForm, show_refusal
from remedy.auth.sessions import roles_required
from remedy.console.views import NAV, NavLink, console_navigation
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotFound
from remedy.core.extensions import db
from remedy.models.organisation import Organisation
from remedy.models.user import Role
from remedy.models.webhook import WebhookEvent, WebhookSubscription
from remedy.webhooks import subscriptions as service
from remedy.webhooks.log import delivery_log

bp = Blueprint("webhooks", __name__, url_prefix="/console/webhooks")
bp.context_processor(console_navigation)
NAV.append(NavLink("webhooks", _l("Webhooks"), "webhooks.index", roles=(Role.ADMIN,)))

EVENT_LABELS = {
    WebhookEvent.GRIEVANCE_STATE_CHANGED: _l("A grievance changes state"),
    WebhookEvent.TRACK_STATE_CHANGED: _l("An organisation's track changes state"),
}


class WebhookForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=int)
    url = StringField(
        _l("Address to post to (https)"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "off", "inputmode": "url"},
    )
    events = SelectMultipleField(
        _l("Events to send"),
        choices=[SelectChoice(event.value, label) for event, label in EVENT_LABELS.items()],
        default=[event.value for event in WebhookEvent],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one event from the list."))],
    )


def _form() -> WebhookForm:
    form = WebhookForm()
    organisations = db.session.scalars(
        select(Organisation).order_by(func.lower(Organisation.name))
    ).all()
    form.organisation.choices = [SelectChoice(item.id, item.name) for item in organisations]
    return form


def _page(
    form: WebhookForm, status: int = 200, issued: service.IssuedSecret | None = None
) -> tuple[str, int]:
    page = render_template(
        "console/webhooks.html",
        subscriptions=service.list_subscriptions(),
        form=form,
        button=EmptyForm(),
        issued=issued,
        event_labels=EVENT_LABELS,
    )
    return page, status


@bp.route("/")
@roles_required(Role.ADMIN)
def index() -> tuple[str, int]:
    return _page(_form())


@bp.post("/")
@roles_required(Role.ADMIN)
def create() -> tuple[str, int]:
    """The secret is on this page and nowhere else: no redirect, nothing kept in the session."""
    form = _form()
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation.data)
        if organisation is None:
            abort(400)
        try:
            actor = Actor.for_user(current_user)
            events = form.events.data or []
            issued = service.add_subscription(actor, organisation, form.url.data or "", events)
        except InvalidInput as problem:
            show_refusal(form, problem)
        else:
            return _page(_form(), 201, issued)
    return _page(form, 400)


def _subscription(subscription_id: int) -> WebhookSubscription:
    try:
        return service.get_subscription(subscription_id)
    except NotFound:
        abort(404)


@bp.post("/<int:subscription_id>/rotate")
@roles_required(Role.ADMIN)
def rotate(subscription_id: int) -> tuple[str, int]:
    _subscription(subscription_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        issued = service.rotate_secret(Actor.for_user(current_user), subscription_id)
    except InvalidInput as problem:
        flash(str(problem), "error")
        return _page(_form(), 409)
    return _page(_form(), 200, issued)


@bp.post("/<int:subscription_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate(subscription_id: int) -> Response:
    _subscription(subscription_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.deactivate(Actor.for_user(current_user), subscription_id)
    flash(_("The webhook is deactivated: nothing more is sent to it."), "success")
    return redirect(url_for(".index"))


@bp.route("/<int:subscription_id>/log")
@roles_required(Role.ADMIN)
def log(subscription_id: int) -> str:
    subscription = _subscription(subscription_id)
    return render_template(
        "console/webhook_log.html",
        subscription=subscription,
        entries=delivery_log(subscription, 100),
    )
