"""The simulator's voice mode: staff play a caller, by keypad and typed "recordings".

Each press goes through the voice channel's own use case (``remedy.voice.simulated``,
which calls what Twilio's webhook calls), so the page shows the TwiML the call really
answers, as it would be heard: what is said and in which voice, what is played, what the
call waits for. The same people as the SMS simulator (the mechanism's own staff; roles
that only read watch but do not call), the same fictional numbers, forms only.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from remedy.auth.sessions import roles_required
from remedy.console.simulator import bp
from remedy.console.views import NAV, STAFF, NavLink
from remedy.core.actors import Actor
from remedy.identity.visibility import may_change
from remedy.models.call import Call
from remedy.voice import simulated
from remedy.workflows.call import CALL

FICTIONAL_PREFIX = "+447700900"  # Ofcom's drama numbers, as the SMS simulator's
NAV.append(
    NavLink("simulator_voice", _l("Voice simulator"), "simulator.voice_page", mechanism_only=True)
)
KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")


class VoiceStepForm(FlaskForm):
    number = StringField(
        _l("Phone: +44 7700 900 and three digits"),
        validators=[DataRequired(), Regexp(r"^[0-9]{3}$", message=_l("Three digits, please."))],
        default="001",
        render_kw={"inputmode": "numeric", "maxlength": "3", "autocomplete": "off"},
    )
    call = HiddenField(validators=[Optional(), Regexp(r"^CASIM[0-9a-f]{28}$")])
    digits = StringField(
        _l("Several keys at once (a case number, a PIN)"),
        validators=[Optional(), Regexp(r"^[0-9*#]{1,16}$", message=_l("Keys 0-9, * and #."))],
        render_kw={"inputmode": "numeric", "maxlength": "16", "autocomplete": "off"},
    )
    said = TextAreaField(
        _l("What the recording would say"),
        validators=[Length(max=simulated.MAX_SAID)],
        render_kw={"rows": "3", "maxlength": str(simulated.MAX_SAID)},
    )


def _page(form: VoiceStepForm, call: Call | None, status: int = 200) -> tuple[str, int]:
    twiml = call.last_twiml if call is not None else None
    return (
        render_template(
            "console/simulator_voice.html",
            form=form,
            call=call,
            state=CALL.state(call.state).label if call is not None else None,
            heard=simulated.heard(twiml) if twiml else [],
            twiml=twiml,
            keypad=KEYPAD,
            may_call=may_change(Actor.for_user(current_user)),
        ),
        status,
    )


@bp.get("/voice")
@roles_required(*STAFF)
def voice_page() -> tuple[str, int]:
    form = VoiceStepForm(formdata=None)
    number = request.args.get("number", "")
    if len(number) == 3 and number.isascii() and number.isdigit():
        form.number.data = number
    call = simulated.simulated_call(request.args.get("call", ""))
    if call is not None:
        form.call.data = call.call_sid
    return _page(form, call)


@bp.post("/voice")
@roles_required(*STAFF)
def voice_step() -> Response | tuple[str, int]:
    """Ring, press a key (or type several keys, or say something), or hang up: a new call
    rings when there is none going on."""
    if not may_change(Actor.for_user(current_user)):
        abort(403)  # read-only roles file nothing, not even here
    form = VoiceStepForm()
    if not form.validate():
        return _page(form, simulated.simulated_call(form.call.data or ""), 400)
    call_sid = form.call.data or ""
    action = request.form.get("action", "")
    call = simulated.simulated_call(call_sid)
    if action == "hang_up" and call is not None:
        simulated.hang_up(call_sid)
    elif action == "ring" or call is None or call.ended_at is not None:
        if call is not None and call.ended_at is None:
            simulated.hang_up(call_sid)  # one call at a time on this phone
        call_sid = simulated.new_call_sid()
        simulated.place_step(call_sid, FICTIONAL_PREFIX + form.number.data)
    else:
        key = request.form.get("key", "")
        digits = key if key in KEYPAD else form.digits.data or ""
        simulated.place_step(
            call_sid, FICTIONAL_PREFIX + form.number.data, digits, form.said.data or ""
        )
    return redirect(
        url_for("simulator.voice_page", number=form.number.data, call=call_sid, _anchor="heard")
    )
