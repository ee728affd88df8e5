"""What became of a message, in words the team reads: the console and the API say it alike.

The outbox keeps our status, the provider's own word (``read`` on WhatsApp) and the
provider's error code; the team needs "failed: the phone was unreachable or switched
off", not ``30003``. One table turns the common Twilio codes (and the worker's own
refusals) into translatable words; a code it does not know still says which code it was.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage


class Delivery(enum.StrEnum):
    """Where a message stands, as the team (and the API) names it."""

    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    # A call: the person typed the PIN and heard the words (or, called back after a
    # missed call, answered).
    HEARD = "heard"
    ANSWERED = "answered"
    FAILED = "failed"
    WEB = "web"
    CONSOLE = "console"

    @property
    def label(self) -> str:
        return str(DELIVERY_LABELS[self])


DELIVERY_LABELS: dict[Delivery, LazyString] = {
    Delivery.QUEUED: _l("queued"),
    Delivery.SENT: _l("sent"),
    Delivery.DELIVERED: _l("delivered"),
    Delivery.READ: _l("read"),
    Delivery.HEARD: _l("heard on a call"),
    Delivery.ANSWERED: _l("call answered"),
    Delivery.FAILED: _l("failed"),
    Delivery.WEB: _l("on the status page (web)"),
    Delivery.CONSOLE: _l("shown in the console"),
}

_BY_STATUS = {
    MessageStatus.PENDING: Delivery.QUEUED,
    MessageStatus.SENDING: Delivery.QUEUED,
    MessageStatus.SENT: Delivery.SENT,
    MessageStatus.DELIVERED: Delivery.DELIVERED,
    MessageStatus.FAILED: Delivery.FAILED,
}

# Why a message did not arrive: Twilio's error codes, and the worker's own (it refuses
# to send to a person who opted out, or without an address or a configured sender).
REASONS: dict[str, LazyString] = {
    "20003": _l("our provider account settings are wrong"),
    "20429": _l("the provider was too busy"),
    "21211": _l("not a valid mobile number"),
    "21408": _l("sending to this country is not enabled"),
    "21606": _l("our number cannot send to this number"),
    "21610": _l("the person sent STOP"),
    "21612": _l("no route to this number"),
    "21614": _l("not a valid mobile number"),
    "30003": _l("phone unreachable or switched off"),
    "30004": _l("blocked by the person or their carrier"),
    "30005": _l("unknown number"),
    "30006": _l("a landline, or a carrier that cannot be reached"),
    "30007": _l("filtered as spam by the carrier"),
    "30008": _l("unknown error at the carrier"),
    "63003": _l("this number is not on WhatsApp"),
    "63016": _l("outside WhatsApp's 24-hour window (sent by SMS instead)"),
    "63016-web": _l("outside WhatsApp's 24-hour window: on the status page only"),
    "no-template": _l(
        "outside WhatsApp's 24-hour window, with no approved template (sent by SMS instead)"
    ),
    "no-template-web": _l(
        "outside WhatsApp's 24-hour window, with no approved template: on the status page only"
    ),
    "whatsapp-web": _l("WhatsApp could not carry it: on the status page only"),
    "opted-out": _l("the person sent STOP"),
    "no-address": _l("no phone number"),
    "sms-not-configured": _l("no SMS sender is configured"),
    "whatsapp-not-configured": _l("no WhatsApp sender is configured"),
    "network": _l("the provider could not be reached"),
    # Calls (``remedy.messaging.call_outcomes``).
    "no-answer": _l("nobody answered the call"),
    "busy": _l("the line was busy"),
    "call-failed": _l("the call did not go through"),
    "unheard": _l("the call was answered, but nobody typed the PIN"),
    "by-sms": _l("nobody heard the calls: sent by SMS instead"),
    "not-heard": _l("nobody heard the calls: on the status page only"),
    "voice-not-configured": _l("no number to call from is configured"),
    # Held while contact was on hold after a reprisal incident, then dropped by decision.
    "held": _l("held to protect the people, then not sent"),
}


def reason(code: str | None) -> str | None:
    """The words for a provider's or the worker's error code, in the current language."""
    if not code:
        return None
    words = REASONS.get(code)
    if words is None:
        return _("the provider refused it (code %(code)s)", code=code)
    return str(words)


@dataclass(frozen=True)
class DeliveryView:
    status: Delivery
    reason: str | None

    @property
    def words(self) -> str:
        """ "failed: phone unreachable or switched off", or just "delivered"."""
        if self.reason is None:
            return self.status.label
        return _("%(status)s: %(reason)s", status=self.status.label, reason=self.reason)


def delivery_of(message: OutboxMessage) -> DeliveryView:
    """Where the message stands; the reason for a failure or a retry waiting."""
    if message.channel is MessageChannel.WEB:
        return DeliveryView(Delivery.WEB, None)
    if message.channel is MessageChannel.CONSOLE:
        return DeliveryView(Delivery.CONSOLE, None)
    status = _BY_STATUS.get(message.status, Delivery.QUEUED)
    if status is Delivery.DELIVERED and message.provider_status == "read":
        status = Delivery.READ
    elif status is Delivery.DELIVERED and message.channel is MessageChannel.VOICE:
        status = Delivery.HEARD if message.provider_status == "heard" else Delivery.ANSWERED
    why = None
    if status is Delivery.FAILED:
        why = reason(message.error_code) or _("the provider gave no reason")
    elif status is Delivery.QUEUED and message.error_code:
        why = _("trying again after: %(reason)s", reason=reason(message.error_code))
    return DeliveryView(status, why)
