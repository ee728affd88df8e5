"""What a phone number is being asked right now: the team's question, a proposal, a
check-in, an appeal or a reopening offered, how fair the handling was, or a follow-up
question of the SMS dialogue.

An inbound message answers the newest open ask of its number before it may start or
continue a filing conversation. Each ask expires: at the decision's own deadline where
there is one, else after a setting. ``held_text`` keeps a message until the person says
what it is about (encrypted, like every message).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.grievance import Grievance
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from remedy.models.check_in import CheckIn
    from remedy.models.involvement_track import InvolvementTrack
    from remedy.models.outbox_message import OutboxMessage


class AskKind(enum.StrEnum):
    QUESTION = "question"  # the team's question: any text answers it
    PROPOSAL = "proposal"  # a remedy proposed: 1 accept, 2 decline
    DECLINE_REASON = "decline_reason"  # "Tell us why" after a decline
    CHECK_IN = "check_in"  # was the remedy delivered: 1, 2, 3
    MISSING = "missing"  # "What is missing?" after 2 or 3
    APPEAL = "appeal"  # a decision that can be appealed: the APPEAL keyword
    APPEAL_REASON = "appeal_reason"  # the reason of the appeal
    REOPEN = "reopen"  # closed without confirmation: a no word reopens
    WHICH_CASE = "which_case"  # an unclear message: about the case, or a new complaint?
    CONSENT = "consent"  # may an organisation know who you are: 1 yes, 2 no
    WITHDRAW_MANDATE = "withdraw_mandate"  # which organisation stops acting for the people
    FAIRNESS = "fairness"  # the case ended: how fair was its handling, 1 to 5 and a comment


class Ask(Model):
    __tablename__ = "asks"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AskKind] = mapped_column(enum_column(AskKind, "ask_kind"))
    # The number asked, as its keyed hash (the person's own ``phone_hash``).
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    grievance_id: Mapped[int | None] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("involvement_tracks.id", ondelete="CASCADE")
    )
    check_in_id: Mapped[int | None] = mapped_column(ForeignKey("check_ins.id", ondelete="CASCADE"))
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    # The added information an answer went into: later messages join it.
    added_information_id: Mapped[int | None] = mapped_column(
        ForeignKey("added_information.id", ondelete="SET NULL")
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(32))
    held_text: Mapped[str | None] = mapped_column(EncryptedText("asks.held_text"))
    # A discreet case's ask may be answered from the phone only after STATUS with the PIN,
    # until this time.
    unlocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    grievance: Mapped[Grievance | None] = relationship()
    track: Mapped[InvolvementTrack | None] = relationship()
    check_in: Mapped[CheckIn | None] = relationship()
    outbox_message: Mapped[OutboxMessage | None] = relationship()

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<Ask {self.id} {self.kind}>"
