"""Affected people: complainants and the people a grievance is about."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, utcnow

# No 0/O or 1/I: pseudonyms are read aloud and typed.
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_pseudonym() -> str:
    return "P-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))


class Person(Model):
    """Name and phone are encrypted; the phone is found through ``phone_hash``."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True, default=new_pseudonym)
    name: Mapped[str | None] = mapped_column(EncryptedText("people.name"))
    phone: Mapped[str | None] = mapped_column(EncryptedText("people.phone"))
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    # Set when the person sent STOP (or Twilio reported an opt-out), cleared by START: no SMS
    # or WhatsApp message goes to them meanwhile; their messages wait on the web status page.
    phone_opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The subject key sealing name and phone (``remedy.models.data_key``); destroyed at erasure.
    data_key_id: Mapped[str | None] = mapped_column(String(32))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.pseudonym}>"
