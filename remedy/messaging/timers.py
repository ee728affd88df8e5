"""Shared moments in ``worker_timers``: one row per name, read and moved forward by every
worker process with conditional UPDATEs (a sender's next free send slot in ``rate``, a
periodic job's next turn in ``periodic``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite

from remedy.core.extensions import db
from remedy.models.worker_timer import WorkerTimer

timers = WorkerTimer.__table__


def create_timer(name: str, at: datetime) -> bool:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: whether this call created the timer."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(timers)
        .values(name=name, at=at)
        .on_conflict_do_nothing()
        .returning(timers.c.name)
    )
    return db.session.execute(statement).first() is not None
