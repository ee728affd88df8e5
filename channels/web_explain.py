"""Why was this decided? The people ask for an explanation of an automated decision on
their case page.

Offered beside an organisation's involvement while its track may be asked
(``remedy.workflows.explaining``: only on a grievance about an automated decision). What
they want explained is optional; the team's explanation reaches them as a message, which
the case page lists with the others.
"""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.wrappers import Response

from channels import web_forms as forms
from channels.web import bp, offered_track
from channels.web_case import case_form, case_view
from remedy.cases import complainant_view, explanations, involvement
from remedy.models.grievance import Grievance


@bp.route("/case/<reference>/explain/<int:track_id>", methods=["GET", "POST"])
@case_view
def explain(grievance: Grievance, track_id: int) -> Response | tuple[str, int]:
    actor = complainant_view.complainant_of(grievance)
    track = offered_track(complainant_view.explainable(grievance, actor), track_id)
    return case_form(
        grievance,
        None,
        forms.ExplainForm,
        lambda actor, form: explanations.request_explanation(actor, track, form.question.data),
        _("We received your request. The team will explain the decision to you."),
        "question",
        "web/explain.html",
        involvement=involvement.sentence(track),
    )
