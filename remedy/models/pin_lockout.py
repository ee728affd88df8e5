"""Wrong-PIN counts per reference: one lockout shared by every channel (SMS, voice, web)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime


class PinLockout(Model):
    """Kept apart from the grievance row so a guessing attack never bumps its version and
    never turns into a conflict for the team working on the case."""

    __tablename__ = "pin_lockouts"

    reference: Mapped[str] = mapped_column(String(8), primary_key=True)
    # Tries in the window, counted before the PIN is checked; a right one before the lock
    # deletes the row.
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The end of the latest lock, kept after it ended: a lock soon after it is a repeat.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Locks in a row (each within a day of the one before): each lasts twice the last.
    lock_count: Mapped[int] = mapped_column(default=0, server_default="0")
