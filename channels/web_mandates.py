"""Who speaks for you: the people withdraw an organisation's mandate on their case page.

The case page lists the organisations holding a mandate for the people (in force, or
waiting for their consent); each has a withdraw button, which asks for confirmation
before anything ends. The holder of the PIN speaks for the case: every mandate of that
organisation on the case ends.
"""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from channels import web_forms as forms
from channels.web import bp
from channels.web_case import case_form, case_view
from remedy.cases.representation import Representative, representatives
from remedy.models.grievance import Channel, Grievance
from remedy.proxy.mandates import withdraw_mandate_as_person


def _representative(grievance: Grievance, organisation_id: int) -> Representative:
    for item in representatives(grievance):
        if item.organisation_id == organisation_id:
            return item
    abort(404)


@bp.route("/case/<reference>/mandates/<int:organisation_id>/withdraw", methods=["GET", "POST"])
@case_view
def withdraw_mandate(grievance: Grievance, organisation_id: int) -> Response | tuple[str, int]:
    """Stop an organisation acting for the people, once they confirm."""
    chosen = _representative(grievance, organisation_id)
    return case_form(
        grievance,
        None,
        forms.ConfirmForm,
        lambda _actor, _form: withdraw_mandate_as_person(
            grievance, None, Channel.WEB, chosen.organisation_id
        ),
        _("%(organisation)s no longer acts for you.", organisation=chosen.name),
        None,
        "web/withdraw_mandate.html",
        organisation=chosen,
    )
