"""How fair was the way we handled your complaint? Once the case is over, its page asks
the people (``remedy.cases.mechanism_feedback``): five labelled radio buttons and an
optional comment, a plain form that needs no script; a wrong answer is said on it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.wrappers import Response

from channels import web_forms as forms
from channels.web import bp
from channels.web_case import case_form, case_view
from remedy.cases import mechanism_feedback
from remedy.models.grievance import Grievance
from remedy.models.mechanism_feedback import FeedbackVia


@bp.route("/case/<reference>/fairness", methods=["GET", "POST"])
@case_view
def fairness(grievance: Grievance) -> Response | tuple[str, int]:
    """Offered while the question waits for the one who filed (the case page lists it)."""
    return case_form(
        grievance,
        "fairness",
        forms.FairnessForm,
        lambda actor, form: mechanism_feedback.answer_fairness(
            actor, grievance, form.score.data, form.comment.data, FeedbackVia.WEB
        ),
        _("Thank you. Your answer helps us do better."),
        "score",
        "web/fairness.html",
    )
