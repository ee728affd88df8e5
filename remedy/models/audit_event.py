"""The audit log: append-only, each event chained to the one before by its hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime

GENESIS_HASH = "0" * 64


class AuditEvent(Model):
    """``seq`` is gapless and ``hash`` covers every other column and the previous hash."""

    __tablename__ = "audit_events"
    # A case page reads the events of one grievance and its tracks.
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AuditChainHead(Model):
    """One row; appending locks it, so concurrent writers cannot fork the chain."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
