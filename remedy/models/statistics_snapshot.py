"""The counts behind the public statistics, kept with when they were computed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime


class StatisticsSnapshot(Model):
    """One row per period: every process of a deployment reads the same figures, and only
    one computes them again once they are older than ``REMEDY_STATISTICS_MAX_AGE``.

    ``counts`` holds aggregates only (counts, medians in seconds, organisations that
    agreed to be named): never a reference, a place, free text or a person.
    """

    __tablename__ = "statistics_snapshots"

    period: Mapped[str] = mapped_column(String(64), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
