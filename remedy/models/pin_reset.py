"""One-time codes that let a complainant who lost their PIN set a new one.

The code goes by SMS to a phone number on file, through the outbox; only its hash is
kept. A code works for a short time and a few tries, then a new one must be asked for.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime, utcnow


class PinReset(Model):
    """Kept apart from the grievance row, like the PIN lockout: asking for a code never
    bumps the grievance's version under the team's feet."""

    __tablename__ = "pin_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    # Set when the code was used, or replaced by a newer one: it never works again.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def is_usable(self, now: datetime, max_attempts: int) -> bool:
        return self.closed_at is None and self.expires_at > now and self.attempts < max_attempts
