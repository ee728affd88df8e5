"""Each worker process's last sign of life, so operators see which workers run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime


class WorkerHeartbeat(Model):
    """One row per worker process, its ``beat_at`` moved on every turn of its loop.

    A worker that stopped cleanly deletes its row; one that was killed leaves it, and its
    beat grows old: ``worker status`` and the metrics call it stale.
    """

    __tablename__ = "worker_heartbeats"

    worker_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(64))
    pid: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
