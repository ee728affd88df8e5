"""The proxy portal: members of vetted NGOs file for the people who gave them a mandate,
follow those cases, and answer for them while the mandate is in force.

Views parse forms, call one service and render. Every action goes through the same
services (and the workflow's mandate guard) as the people's own channels; when the guard
refuses, the page says why in words the member can act on, and nothing changes. Members
sign in with password and second factor through the shared sign-in pages.

This module is the blueprint, its guard (members of vetted organisations only) and
the dashboard; the pages are ``proxy_filing`` (filing for people), ``proxy_case``
(one case and the actions on it) and ``proxy_mandates``; the forms ``proxy_forms``.
"""

from __future__ import annotations

import importlib

from flask import Blueprint, Flask, abort, flash, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import login_manager
from remedy.core.references import display
from remedy.models.user import Role
from remedy.proxy.dashboard import organisation_cases
from remedy.proxy.mandates import MANDATE_STATUS_LABELS
from remedy.proxy.membership import is_vetted

bp = Blueprint("proxy", __name__, url_prefix="/proxy", template_folder="templates")
# The page groups: each registers its routes on ``bp`` when imported.
PAGES = ("channels.proxy_filing", "channels.proxy_case", "channels.proxy_mandates")


def current_member() -> Actor:
    return Actor.for_user(current_user)


def field_error(form: FlaskForm, problem: InvalidInput, aliases: dict[str, str]) -> None:
    """Show a service's refusal beside the field it names, or at the top of the page."""
    name = aliases.get(problem.field or "", problem.field or "")
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(problem)]
    else:
        flash(str(problem), "error")


@bp.before_request
def _members_of_vetted_organisations() -> Response | tuple[str, int] | None:
    if not current_user.is_authenticated:
        response: Response = login_manager.unauthorized()
        return response
    if current_user.role is not Role.PROXY_MEMBER:
        abort(403)
    if not is_vetted(current_member()):
        return render_template("proxy/not_vetted.html"), 403
    return None


@bp.route("/")
def dashboard() -> str:
    page = request.args.get("page", 1, type=int) or 1
    cases = organisation_cases(current_member(), page)
    return render_template(
        "proxy/dashboard.html",
        cases=cases,
        display=display,
        status_labels=MANDATE_STATUS_LABELS,
    )


def init_app(app: Flask) -> None:
    for module in PAGES:
        importlib.import_module(module)
    app.register_blueprint(bp)
