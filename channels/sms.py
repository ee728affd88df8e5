"""The SMS and WhatsApp channel: Twilio webhooks for inbound messages and delivery status.

Both routes accept only requests signed by Twilio (see ``twilio_signature``).
An inbound message is only stored (``remedy.sms.inbox.store``) and answered at
once with an empty TwiML response; a worker runs the conversation
(``remedy.sms.receiving``) and its reply goes through the outbox. This module
only reads Twilio's parameters.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, request
from flask_babel import gettext as _
from twilio.twiml.messaging_response import MessagingResponse
from werkzeug.datastructures import MultiDict

from channels.twilio_signature import twilio_signature_required
from remedy.core.errors import InvalidInput
from remedy.core.extensions import csrf, limiter
from remedy.messaging.delivery import record_delivery_status
from remedy.models.grievance import Channel
from remedy.models.types import MAX_ROW_ID
from remedy.sms.inbound import MAX_MEDIA, InboundText, MediaItem, shared_location
from remedy.sms.inbox import store

bp = Blueprint("sms", __name__, url_prefix="/twilio")


@bp.errorhandler(InvalidInput)
def malformed(error: InvalidInput) -> tuple[str, int]:
    """Input no phone could have sent is the provider's malformed request: 400, as HTTP says
    for a protocol; people never see this answer."""
    return str(error), 400


WHATSAPP_PREFIX = "whatsapp:"
OPT_OUT_TYPES = frozenset({"STOP", "START", "HELP"})
MAX_URL = 2000
EMPTY_TWIML = str(MessagingResponse())


@bp.post("/sms")
@twilio_signature_required
def inbound() -> Response:
    """An SMS or WhatsApp message: stored once (a retried MessageSid stores nothing new);
    the reply will come from the outbox."""
    store(parse_inbound(request.form))
    return Response(EMPTY_TWIML, mimetype="application/xml")


def parse_inbound(form: MultiDict[str, str]) -> InboundText:
    """Twilio's parameters as the conversation takes them; InvalidInput (400) for a request
    no phone could have caused. Parameters Twilio adds later are ignored."""
    sender = form.get("From", "").strip()
    if not sender:
        raise InvalidInput(_("The message has no sender."), "From")
    channel = Channel.SMS
    if sender.lower().startswith(WHATSAPP_PREFIX):
        channel, sender = Channel.WHATSAPP, sender[len(WHATSAPP_PREFIX) :]
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or ""
    opt_out = form.get("OptOutType", "").strip().upper()
    return InboundText(
        message_sid=sid,
        sender=sender,
        channel=channel,
        body=_body(form),
        media=_media(form),
        opt_out=opt_out if opt_out in OPT_OUT_TYPES else None,
    )


def _body(form: MultiDict[str, str]) -> str:
    """The text, or what stands for it on WhatsApp: a button's id (the digit it stands
    for, so a press answers exactly like the digit), a list item's id, or a shared
    location (which answers "where did it happen" like a typed place)."""
    for pressed in ("ButtonPayload", "ListId"):
        payload = form.get(pressed, "").strip()
        if payload:
            return payload
    if form.get("Latitude") or form.get("Longitude"):
        return shared_location(
            form.get("Latitude", ""),
            form.get("Longitude", ""),
            form.get("Label", ""),
            form.get("Address", ""),
        )
    return form.get("Body", "") or form.get("ButtonText", "")


def _media(form: MultiDict[str, str]) -> tuple[MediaItem, ...]:
    raw = form.get("NumMedia", "0").strip() or "0"
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_MEDIA:
        raise InvalidInput(_("The number of files is not valid."), "NumMedia")
    items = []
    for index in range(int(raw)):
        url = form.get(f"MediaUrl{index}", "").strip()
        content_type = form.get(f"MediaContentType{index}", "").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.netloc or len(url) > MAX_URL:
            raise InvalidInput(_("A file of the message has no usable address."), "MediaUrl")
        items.append(MediaItem(url, content_type[:100]))
    return tuple(items)


@bp.post("/status")
@twilio_signature_required
def status() -> tuple[str, int]:
    """Delivery status callback; the outbox id is in our own callback URL."""
    outbox_id = request.args.get("outbox", type=int)
    if "outbox" in request.args and (outbox_id is None or not 1 <= outbox_id <= MAX_ROW_ID):
        abort(400)  # not an id we gave: no row could be named by it (nor fit the column)
    message_sid = request.form.get("MessageSid", "")
    message_status = request.form.get("MessageStatus", "")
    if outbox_id is not None and message_sid and message_status:
        record_delivery_status(
            outbox_id, message_sid, message_status, request.form.get("ErrorCode") or None
        )
    return "", 204


def init_app(app: Flask) -> None:
    # Twilio signs every request (no form, no cookie) and decides its own retry pace; the
    # per-number look-up limit lives in case_access. No CSRF token, no limiter check (the
    # app also spares it the hooks that would check them: channels/browser_hooks.py).
    csrf.exempt(bp)
    limiter.exempt(bp)
    app.register_blueprint(bp)
