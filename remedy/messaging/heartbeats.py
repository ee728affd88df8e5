"""Worker heartbeats: each worker process says it is alive, once a turn at most every
few seconds, in a row of its own (``worker_heartbeats``).

Operators read them with ``flask --app wsgi worker status`` and Prometheus with
``remedy_worker_heartbeat_age_seconds``: a worker whose last beat is older than
``STALE_AFTER`` is stale (killed, hung, or cut off from the database). A worker that
stops cleanly removes its row.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.models.worker_heartbeat import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A beat costs a commit: a busy loop beats at most this often.
BEAT_EVERY = timedelta(seconds=5)
# Longer than a beat, an idle rest and a slow batch together.
STALE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class Beat:
    worker_id: str
    host: str
    pid: int
    started_at: datetime
    beat_at: datetime

    def age(self, now: datetime) -> float:
        return max(0.0, (now - self.beat_at).total_seconds())

    def live(self, now: datetime) -> bool:
        return now - self.beat_at <= STALE_AFTER


class Heart:
    """One worker's heartbeat: ``beat`` each turn writes only when ``BEAT_EVERY`` passed."""

    def __init__(self, worker_id: str, started_at: datetime) -> None:
        self.worker_id = worker_id
        self.started_at = started_at
        self.last: datetime | None = None

    def beat(self, now: datetime) -> None:
        if self.last is not None and now - self.last < BEAT_EVERY:
            return
        with atomic():
            moved = db.session.execute(
                update(WorkerHeartbeat)
                .where(WorkerHeartbeat.worker_id == self.worker_id)
                .values(beat_at=now)
            )
            if not getattr(moved, "rowcount", 0):
                db.session.add(
                    WorkerHeartbeat(
                        worker_id=self.worker_id,
                        host=socket.gethostname()[:64],
                        pid=os.getpid(),
                        started_at=self.started_at,
                        beat_at=now,
                    )
                )
        self.last = now

    def stop(self) -> None:
        """The worker leaves cleanly: its row goes (if the database cannot be reached, the
        row stays and turns stale, as a killed worker's would)."""
        try:
            with atomic():
                db.session.execute(
                    delete(WorkerHeartbeat).where(WorkerHeartbeat.worker_id == self.worker_id)
                )
        except Exception:
            logger.warning("worker %s: its heartbeat could not be removed", self.worker_id)
            db.session.rollback()


def beats() -> list[Beat]:
    """Every worker's last beat, the most recent first."""
    rows = db.session.scalars(select(WorkerHeartbeat).order_by(WorkerHeartbeat.beat_at.desc()))
    return [Beat(row.worker_id, row.host, row.pid, row.started_at, row.beat_at) for row in rows]
