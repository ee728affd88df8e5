"""Learning from grievances (UNGP 31), blueprint ``learning`` under ``/console``: the
root-cause taxonomy administrators keep (here), lessons learned (``lessons``) and the
trends (``trends``). Views read forms and call the services in ``remedy.cases``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from remedy.auth.forms import EmptyForm
from remedy.auth.sessions import roles_required
from remedy.cases import root_causes as taxonomy
from remedy.cases.lessons import READERS as LESSON_READERS
from remedy.console.views import NAV, NavLink, console_navigation
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotFound
from remedy.core.i18n import current_language
from remedy.core.settings import settings
from remedy.models.types import MAX_ROW_ID
from remedy.models.user import Role
from remedy.queue.trends import READERS as TREND_READERS

bp = Blueprint("learning", __name__, url_prefix="/console")
bp.context_processor(console_navigation)
NAV.extend(
    [
        NavLink(
            "lessons",
            _l("Lessons learned"),
            "learning.lessons_index",
            roles=tuple(LESSON_READERS),
            mechanism_only=True,
        ),
        NavLink(
            "trends",
            _l("Trends"),
            "learning.trends",
            roles=tuple(TREND_READERS),
            mechanism_only=True,
        ),
        NavLink("root_causes", _l("Root causes"), "learning.root_causes", roles=(Role.ADMIN,)),
    ]
)
ROW_ID = f"int(max={MAX_ROW_ID})"


def actor_now() -> Actor:
    return Actor.for_user(current_user)


def check_form() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)


def _translations() -> dict[str, str]:
    """The label per language other than the default, as typed."""
    default = settings().default_language
    return {
        language: request.form.get(f"label-{language}", "")
        for language in settings().languages
        if language != default
    }


def _taxonomy(status: int = 200, failed: str | None = None, error: str = "") -> tuple[str, int]:
    language = current_language()
    default = settings().default_language
    page = render_template(
        "console/root_causes.html",
        causes=[(cause, cause.label_in(language)) for cause in taxonomy.all_causes()],
        other_languages=[
            (code, name) for code, name in settings().languages.items() if code != default
        ],
        default_language=settings().languages[default],
        failed=failed,
        error=error,
        values=request.form if failed else {},
    )
    return page, status


@bp.route("/root-causes")
@roles_required(Role.ADMIN)
def root_causes() -> tuple[str, int]:
    return _taxonomy()


@bp.post("/root-causes")
@roles_required(Role.ADMIN)
def add_root_cause() -> Response | tuple[str, int]:
    check_form()
    try:
        cause = taxonomy.create_root_cause(
            actor_now(), request.form.get("label", ""), _translations()
        )
    except InvalidInput as problem:
        return _taxonomy(problem.status, "new", str(problem))
    flash(_("%(label)s is added.", label=cause.label_in(current_language())), "success")
    return redirect(url_for(".root_causes"))


def _cause(cause_id: int) -> Any:
    try:
        return taxonomy.get_cause(cause_id)
    except NotFound:
        abort(404)


@bp.post(f"/root-causes/<{ROW_ID}:cause_id>")
@roles_required(Role.ADMIN)
def rename_root_cause(cause_id: int) -> Response | tuple[str, int]:
    cause = _cause(cause_id)
    check_form()
    try:
        taxonomy.rename_root_cause(
            actor_now(), cause, request.form.get("label", ""), _translations()
        )
    except InvalidInput as problem:
        return _taxonomy(problem.status, str(cause.id), str(problem))
    flash(_("The root cause is renamed."), "success")
    return redirect(url_for(".root_causes"))


@bp.post(f"/root-causes/<{ROW_ID}:cause_id>/retire")
@roles_required(Role.ADMIN)
def retire_root_cause(cause_id: int) -> Response:
    cause = _cause(cause_id)
    check_form()
    answer = request.form.get("retire")
    if answer not in ("yes", "no"):
        abort(400)
    retire = answer == "yes"
    taxonomy.retire_root_cause(actor_now(), cause, retire)
    if retire:
        flash(_("The root cause is retired: the cases that carry it keep it."), "success")
    else:
        flash(_("The root cause is offered again."), "success")
    return redirect(url_for(".root_causes"))
