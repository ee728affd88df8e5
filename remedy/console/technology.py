"""The category and technology harms on a case page: whether the person uses the product,
and the external reference, recorded or corrected by the team.

The rule (who may, what is audited) lives in :mod:`remedy.cases.technology`; this view
reads the form and calls it.
"""

from __future__ import annotations

from typing import TypeVar

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import technology
from remedy.cases.policy import CASE_WORKERS
from remedy.console import case_forms
from remedy.console.case_acting import act
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.models.grievance import Category, Grievance, ProductUser

Chosen = TypeVar("Chosen", Category, ProductUser)


def _chosen(enum_class: type[Chosen], field: str) -> Chosen | None:
    value = request.form.get(field, "")
    return case_forms.choice(enum_class, value, field) if value else None


@bp.post("/grievances/<reference>/technology")
@roles_required(*CASE_WORKERS)
def record_technology(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        case_forms.check_version(grievance, request.form)
        technology.record_details(
            actor,
            grievance,
            _chosen(Category, "category"),
            _chosen(ProductUser, "product_user"),
            request.form.get("external_reference"),
        )
        return _("The category and technology details are saved.")

    return act(reference, "technology", run, "#technology")
