"""API tokens: how another system acts as one staff or proxy account on the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from remedy.models.user import User


class ApiToken(Model):
    """Only the SHA-256 of the token is kept: the token is 256 random bits, so a fast hash is
    as good as a slow one and keeps every request cheap. ``prefix`` is its first characters,
    public, to tell tokens apart in listings and logs."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        expired = self.expires_at is not None and self.expires_at <= now
        return self.revoked_at is None and not expired

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}>"
