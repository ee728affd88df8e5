"""An SMS or WhatsApp conversation that files a grievance, one message at a time.

One row per conversation, found again by the keyed hash of the phone number. The
draft (what happened, where, the consents, the fear of reprisal) is kept encrypted as it
grows; when the conversation ends without filing (24 hours of silence, or STOP) the row stays,
so the team can still read what the person began to tell. ``open_key`` holds the
phone hash while the conversation is open and nothing once it has ended: its
unique constraint allows one open conversation per number, also when two first
messages from one phone arrive at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.grievance import Channel
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class Conversation(Model):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    open_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    phone: Mapped[str] = mapped_column(EncryptedText("conversations.phone"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "conversation_channel"))
    # A state of remedy.workflows.conversation.
    state: Mapped[str] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    # Where to go back to once a language is chosen again (LANG in the middle), or, for an
    # expired draft, the step to go on from.
    resume_state: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(EncryptedText("conversations.description"))
    location: Mapped[str | None] = mapped_column(EncryptedText("conversations.location"))
    # What the person wrote while asked whether to go on with this draft: it joins the
    # draft they choose (this one, or the new one).
    waiting_text: Mapped[str | None] = mapped_column(EncryptedText("conversations.waiting_text"))
    identity_withheld: Mapped[bool | None] = mapped_column()
    # Whether the person fears harm for complaining: the grievance is filed with a high
    # reprisal risk, so its messages are discreet.
    reprisal_feared: Mapped[bool | None] = mapped_column()
    contact_consent: Mapped[bool | None] = mapped_column()
    grievance_id: Mapped[int | None] = mapped_column(
        ForeignKey("grievances.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the worker last reminded the person of this unfinished draft (once a silence).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def __repr__(self) -> str:
        return f"<Conversation {self.id} {self.state}>"
