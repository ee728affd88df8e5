"""The voice channel: Twilio Voice webhooks for calls, their steps and their recordings.

Every request must be signed by Twilio (``twilio_signature``, as for SMS), or it gets
403 before anything is read. The incoming call (``POST /twilio/voice``) and the
``action`` of each prompt (``POST /twilio/voice/step?turn=N``) are answered with the
TwiML of the call's next step (``remedy.voice.calls``), and so is a call the mechanism
placed, once answered (``POST /twilio/voice/outbound?outbox=N``); the recording and call
status callbacks answer 204 (a call-back's status callback carries its outbox id too).
This module only reads Twilio's parameters. Recorded prompts are served to Twilio
from ``instance/voice`` (public audio, no signature: Twilio fetches ``<Play>``
addresses without one).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, request, send_from_directory
from werkzeug.datastructures import MultiDict

from channels.twilio_signature import twilio_signature_required
from remedy.core.extensions import csrf, limiter
from remedy.core.settings import settings
from remedy.messaging.senders import CALL_PATH
from remedy.voice.calls import answer_call, call_ended
from remedy.voice.prompts import PROMPTS
from remedy.voice.recordings import recording_ready
from remedy.voice.speech import PROMPTS_PATH, VOICE_PATH
from remedy.voice.turn import CallRequest

bp = Blueprint("voice", __name__, url_prefix=VOICE_PATH)

MAX_SID = 64
MAX_URL = 2000
MAX_DIGITS = 16


def _sid(form: MultiDict[str, str], name: str, required: bool = True) -> str:
    value = form.get(name, "").strip()
    if (required and not value) or len(value) > MAX_SID or not value.isascii():
        abort(400)  # no call Twilio makes could send this
    return value


def _request(turn: int | None, person: str = "From") -> CallRequest:
    """What Twilio posted; ``person``: the parameter with the person's number (``To`` on
    a call the mechanism placed)."""
    form = request.form
    url = form.get("RecordingUrl", "").strip()
    if len(url) > MAX_URL or (url and not url.startswith(("https://", "http://"))):
        abort(400)
    duration = form.get("RecordingDuration", "").strip()
    digits = form.get("Digits", "").strip()
    if len(digits) > MAX_DIGITS:
        abort(400)
    return CallRequest(
        call_sid=_sid(form, "CallSid"),
        caller=form.get(person, "").strip()[:32] or "anonymous",
        turn=turn,
        digits=digits,
        recording_sid=_sid(form, "RecordingSid", required=False),
        recording_url=url,
        recording_duration=int(duration) if duration.isdigit() else None,
    )


def _twiml(text: str) -> Response:
    return Response(text, mimetype="application/xml")


@bp.post("")
@twilio_signature_required
def incoming() -> Response:
    """A call comes in: the language menu, or the main menu for a known number."""
    return _twiml(answer_call(_request(None)))


@bp.post(CALL_PATH.removeprefix(VOICE_PATH))
@twilio_signature_required
def outbound() -> Response:
    """A call the mechanism placed (a call-back) is answered: its first TwiML."""
    return _twiml(answer_call(_request(None, person="To"), _outbox_id(required=True)))


def _outbox_id(required: bool = False) -> int | None:
    """The outbox message a call the mechanism placed carries (its URLs name it)."""
    outbox_id = request.args.get("outbox", type=int)
    if (outbox_id is None and required) or (outbox_id is not None and outbox_id < 1):
        abort(400)
    return outbox_id


@bp.post("/step")
@twilio_signature_required
def step() -> Response:
    """The key pressed or the recording made at a prompt; the turn names the prompt."""
    turn = request.args.get("turn", type=int)
    if turn is None or not 0 <= turn < 10_000:
        abort(400)
    return _twiml(answer_call(_request(turn)))


@bp.post("/recording")
@twilio_signature_required
def recording() -> tuple[str, int]:
    """Twilio's recording status callback: the file is ready to be fetched."""
    recording_ready(_sid(request.form, "RecordingSid"), request.form.get("RecordingStatus", ""))
    return "", 204


@bp.post("/status")
@twilio_signature_required
def status() -> tuple[str, int]:
    """Twilio's call status callback: a call that is over ends; for a call the mechanism
    placed, its message is heard, tried again or sent by SMS."""
    status = request.form.get("CallStatus", "").strip()[:32]
    call_ended(_sid(request.form, "CallSid"), status, _outbox_id())
    return "", 204


@bp.get(PROMPTS_PATH.removeprefix(VOICE_PATH) + "/<language>/<name>.mp3")
def prompt(language: str, name: str) -> Response:
    """An installed recording of a prompt (only known languages and prompt names)."""
    if language not in settings().languages or name not in PROMPTS:
        abort(404)
    folder = Path(current_app.instance_path) / "voice" / language
    return send_from_directory(folder, f"{name}.mp3", mimetype="audio/mpeg")


def init_app(app: Flask) -> None:
    # Signed by Twilio, no form, no cookie (see channels/sms.py): no CSRF, no limiter.
    csrf.exempt(bp)
    limiter.exempt(bp)
    app.register_blueprint(bp)
