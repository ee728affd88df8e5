"""Gauges read from the database once per scrape: the inbox's and the outbox's depth and
oldest age, overdue deadlines by stage, and the workers' heartbeats.

They describe the deployment, not a process, so no process counts them: whichever process
answers the scrape reads them (one query each), and gunicorn's processes never disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import Flask
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.messaging import backlog, heartbeats
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.types import utcnow

logger = logging.getLogger(__name__)


def overdue_by_stage() -> dict[str, int]:
    """Open deadlines passed, by the stage they wait in: the intake's state, or a track's
    (``track:<state>``). Ended work has no deadline, so it never counts."""
    now = utcnow()
    counts: dict[str, int] = {}
    for model, prefix in ((Grievance, ""), (InvolvementTrack, "track:")):
        rows = db.session.execute(
            select(model.state, func.count())
            .where(model.due_at.is_not(None), model.due_at < now)
            .group_by(model.state)
        )
        for state, count in rows:
            counts[f"{prefix}{state}"] = int(count)
    return counts


class DatabaseCollector(Collector):
    """Reads the gauges inside ``app``'s context, whichever thread scrapes."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        with self.app.app_context():
            try:
                metrics = list(self._collect())
            except Exception:
                # The counted metrics still answer; this gauge says the rest is missing.
                logger.warning("metrics: the database gauges could not be read", exc_info=True)
                db.session.rollback()
                metrics = []
        read = GaugeMetricFamily(
            "remedy_database_gauges_up", "1 when the database gauges below could be read."
        )
        read.add_metric([], 1 if metrics else 0)
        yield read
        yield from metrics

    def _collect(self) -> Iterator[Metric]:
        now = utcnow()
        for name, waiting in (("inbox", backlog.inbox()), ("outbox", backlog.outbox())):
            depth = GaugeMetricFamily(f"remedy_{name}_depth", f"Messages waiting in the {name}.")
            depth.add_metric([], waiting.depth)
            age = GaugeMetricFamily(
                f"remedy_{name}_oldest_age_seconds",
                f"How long the oldest message waiting in the {name} has waited.",
            )
            age.add_metric([], waiting.age(now))
            yield depth
            yield age
        overdue = GaugeMetricFamily(
            "remedy_overdue_deadlines", "Open deadlines passed, by stage.", labels=["stage"]
        )
        for stage, count in sorted(overdue_by_stage().items()):
            overdue.add_metric([stage], count)
        yield overdue
        beats = heartbeats.beats()
        age = GaugeMetricFamily(
            "remedy_worker_heartbeat_age_seconds",
            "Seconds since each worker's last heartbeat.",
            labels=["worker"],
        )
        for beat in beats:
            age.add_metric([beat.worker_id], beat.age(now))
        yield age
        live = GaugeMetricFamily("remedy_workers_live", "Workers whose heartbeat is recent.")
        live.add_metric([], sum(beat.live(now) for beat in beats))
        yield live
