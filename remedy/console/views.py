"""Console pages. Views only read through services and render."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from remedy.auth.forms import EmptyForm
from remedy.auth.sessions import roles_required
from remedy.models.user import Role
from remedy.services.overview import grievances_by_state

bp = Blueprint("console", __name__, url_prefix="/console")
STAFF = tuple(role for role in Role if role.is_staff)


@bp.route("/")
@roles_required(*STAFF)
def home() -> str:
    return render_template(
        "console/home.html", counts=grievances_by_state(), user=current_user, button=EmptyForm()
    )
