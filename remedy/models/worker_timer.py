"""Times shared by every worker process: periodic jobs' next run, senders' next free slot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime


class WorkerTimer(Model):
    """A named time shared by every worker process, moved with one conditional UPDATE.

    ``job:<name>``: when a periodic job is next due, so one worker runs it per interval.
    ``rate:<sender>``: the next free send slot of a sender, so the send rate holds across
    all workers together.
    """

    __tablename__ = "worker_timers"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
