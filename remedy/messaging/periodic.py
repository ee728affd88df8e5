"""Periodic jobs, taken in turns by the workers.

The jobs (``remedy.jobs.registry``, put in the app by its factory: deadlines, which also
open due follow-up check-ins, and the SMS channel's) run in the worker's loop, between
batches, so a long job delays this worker's sending (not the other workers'). A
``worker_timers`` row per job, moved forward with one conditional UPDATE, lets exactly one
worker run each job per ``REMEDY_JOBS_INTERVAL_SECONDS``; the jobs are idempotent besides.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.messaging.delivery import rows_changed
from remedy.messaging.timers import create_timer, timers

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], object]
    # How often it runs, when not every REMEDY_JOBS_INTERVAL_SECONDS (retention: daily).
    every: timedelta | None = None


# Where the app factory puts the periodic jobs this deployment runs (``remedy.jobs``).
PERIODIC_JOBS_KEY = "remedy.periodic_jobs"


def app_jobs() -> Sequence[PeriodicJob]:
    """The app's jobs (remedy/jobs fills them: messaging knows no feature itself)."""
    jobs: Sequence[PeriodicJob] = current_app.extensions.get(PERIODIC_JOBS_KEY, ())
    return jobs


def take_turn(name: str, now: datetime, interval: timedelta) -> bool:
    """Whether this worker runs ``name`` now: one worker per interval, across all."""
    following = now + interval
    with atomic():
        taken = rows_changed(
            update(timers).where(timers.c.name == name, timers.c.at <= now).values(at=following)
        )
        if taken:
            return True
        return create_timer(name, following)


def run_due_jobs(
    jobs: Sequence[PeriodicJob],
    worker_id: str,
    clock: Callable[[], datetime],
    interval: timedelta,
    stop: threading.Event,
    ran: Counter[str],
) -> None:
    """Run each job whose turn this worker takes; a failing job is logged, not raised.
    ``ran`` counts the jobs run."""
    for job in jobs:
        if stop.is_set() or not take_turn(f"job:{job.name}", clock(), job.every or interval):
            continue
        started = time.monotonic()
        try:
            job.run()
        except Exception:
            logger.exception("worker %s: periodic job %s failed", worker_id, job.name)
            db.session.rollback()
        else:
            ran[job.name] += 1
            logger.info(
                "worker %s ran %s in %.1f s", worker_id, job.name, time.monotonic() - started
            )
