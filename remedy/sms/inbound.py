"""One SMS or WhatsApp message as the channel received it, and what no phone sends.

Also the messages one number sent, with their replies, for the console's simulator.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.filing.grievances import ATTACHMENT_TYPES
from remedy.identity.people import normalise_phone
from remedy.models.grievance import Channel
from remedy.models.inbound_message import InboundMessage
from remedy.models.types import keyring

PHONE_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP})
# Twilio takes at most 1,600 characters in one message: anything longer is not a phone's.
MAX_MESSAGE = 1600
MAX_MEDIA = 10
MAX_SID = 64
# Photos, voice notes and documents; not video, which rarely fits what a phone may send.
MEDIA_TYPES = frozenset(
    kind
    for kind in ATTACHMENT_TYPES
    if kind.startswith(("image/", "audio/")) or kind == "application/pdf"
)


@dataclass(frozen=True)
class MediaItem:
    url: str
    content_type: str

    @property
    def kind(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


@dataclass(frozen=True)
class InboundText:
    """One message as the channel received it."""

    message_sid: str
    sender: str  # the phone number, with or without Twilio's "whatsapp:" prefix
    channel: Channel
    body: str = ""
    media: tuple[MediaItem, ...] = ()
    # Twilio's OptOutType: "STOP", "START" or "HELP" when its opt-out words matched.
    opt_out: str | None = None


def shared_location(latitude: str, longitude: str, label: str = "", address: str = "") -> str:
    """A location shared on WhatsApp as place text: its name and address when WhatsApp
    gave them, and the coordinates; kept encrypted like a typed place."""
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        raise InvalidInput(_("The shared location is not valid."), "Latitude") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(_("The shared location is not valid."), "Latitude")
    words = [clean_text(part)[:150] for part in (label, address)]
    named = ", ".join(word for word in words if word)
    point = f"{lat:.5f}, {lon:.5f}"
    return f"{named} ({point})" if named else point


def clean_text(text: str) -> str:
    """Text safe to keep: broken UTF-16 halves replaced, control characters dropped."""
    kept = []
    for char in text:
        if "\ud800" <= char <= "\udfff":
            kept.append("\ufffd")
        elif char in "\n\t" or unicodedata.category(char) != "Cc":
            kept.append(char)
    return "".join(kept).strip()


def phone_hashes(e164: str) -> list[str]:
    return keyring().lookup_hashes(e164)


def validate(message: InboundText) -> tuple[str, str]:
    """The message's E.164 number and cleaned body; InvalidInput for what no phone sends."""
    sid = message.message_sid.strip()
    if not sid or len(sid) > MAX_SID or not sid.isascii() or not sid.isprintable():
        raise InvalidInput(_("This message has no usable identifier."), "MessageSid")
    if message.channel not in PHONE_CHANNELS:
        raise InvalidInput(_("This channel does not take text messages."), "channel")
    if len(message.media) > MAX_MEDIA:
        raise InvalidInput(_("Too many files in one message."), "NumMedia")
    return normalise_phone(message.sender), clean_text(message.body)


def transcript(e164: str, limit: int = 50) -> Iterator[InboundMessage]:
    """The messages from one number with their replies, oldest first (the simulator)."""
    rows = db.session.scalars(
        select(InboundMessage)
        .where(InboundMessage.phone_hash.in_(phone_hashes(normalise_phone(e164))))
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .limit(limit)
    ).all()
    return reversed(rows)
