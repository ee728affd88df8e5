"""Signed-in sessions kept on the server, so signing out kills every copy of the cookie.

The cookie (signed by Flask) holds a random token; the row is found by the token's
SHA-256, so a copy of the database alone cannot be turned into a working cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime, utcnow


def new_session_secret() -> str:
    return secrets.token_urlsafe(32)


def session_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class StaffSession(Model):
    """One sign-in of one account (staff or proxy member), until it is signed out or expires."""

    __tablename__ = "staff_sessions"

    # The SHA-256 of the cookie's token, hex.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<StaffSession user {self.user_id}{' revoked' if self.revoked_at else ''}>"
