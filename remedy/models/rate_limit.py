"""Rate-limit counters shared by every process of the app (``remedy-db://`` storage).

One row per limit and source for the current fixed window: gunicorn's workers count in
the same row, so a limit of 20 an hour means 20 for the whole deployment, not per
worker. Rows are only counters: a periodic job deletes the expired ones.
"""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model

# Limiter keys are short (limit, scope and a source); longer ones are stored hashed.
KEY_LENGTH = 255


class RateLimitCounter(Model):
    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    # Seconds since the epoch, as the `limits` library counts (its storages' expiry).
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    count: Mapped[int] = mapped_column(default=0)
