"""A grievance being filed on the web, step by step, kept on the server between steps.

The browser holds only a random token in its session cookie; the answers (free text,
a phone number) and an optional photo or recording stay here, encrypted, and the
draft is deleted when the grievance is filed or when it grows stale.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedBytes, EncryptedText, UTCDateTime, utcnow


class WebDraft(Model):
    __tablename__ = "web_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the token in the cookie: a database reader cannot take over a draft.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The answers so far, as JSON.
    answers: Mapped[str] = mapped_column(EncryptedText("web_drafts.answers"))
    attachment_name: Mapped[str | None] = mapped_column(EncryptedText("web_drafts.attachment_name"))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment_size: Mapped[int | None] = mapped_column()
    attachment: Mapped[bytes | None] = deferred(
        mapped_column(EncryptedBytes("web_drafts.attachment"))
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
