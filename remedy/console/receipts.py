"""Checking a paper receipt someone brings: is it a real filing, and from which day.

The console's form of ``flask receipts verify``, for the mechanism's own team only: an
organisation's staff would learn that a case exists and when it was filed. Nothing is
changed, so nothing is audited, and the form is a GET (auditors read, they do not post);
the case page link shows only to those who may open it.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from remedy.auth.sessions import roles_required
from remedy.console.views import NAV, STAFF, NavLink, bp, current_actor
from remedy.core.references import display
from remedy.filing.receipts import verify_receipt
from remedy.identity.visibility import may_see_grievance

NAV.append(NavLink("receipts", _l("Check a receipt"), "console.receipts", mechanism_only=True))


class ReceiptForm(FlaskForm):
    class Meta:
        csrf = False  # a question asked with GET changes nothing

    reference = StringField(
        _l("Case number"),
        validators=[InputRequired(_l("Type the case number printed on the receipt."))],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    code = StringField(
        _l("Verification code"),
        validators=[InputRequired(_l("Type the verification code printed on the receipt."))],
        render_kw={"autocomplete": "off", "autocapitalize": "characters"},
    )


@bp.get("/receipts")
@roles_required(*STAFF)
def receipts() -> str:
    if current_user.organisation_id is not None:
        abort(403)
    form = ReceiptForm(request.args)
    checked = "reference" in request.args and form.validate()
    grievance = verify_receipt(form.reference.data or "", form.code.data or "") if checked else None
    return render_template(
        "console/receipts.html",
        form=form,
        checked=checked,
        grievance=grievance,
        reference=display(grievance.reference) if grievance else None,
        may_open=grievance is not None and may_see_grievance(current_actor(), grievance),
    )
