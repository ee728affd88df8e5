"""When each demo case happened: a year of filings, and days or weeks between its steps.

Seeded all at once, every case would be filed and walked through in the same second, and
the supervisor's time per stage would read "0 seconds" everywhere. Each case is instead
seeded inside :func:`remedy.models.types.time_travel`: filed on its own day of the past
year, then each step the seeder takes (a call to a :func:`paced` service module) comes a
few days after the one before. Everything one step writes (its state change, the tracks
a classification opens, the messages it queues, its audit events) shares that step's
moment, as one unit of work does in life, and every timestamp the services write
(filing, deadlines, audit events) reads like a lived year. The audit chain hashes each
event's time as written, so the back-dated log still verifies; its events are in the
order they were seeded, and each case's own events in the order of their dates.

The spread is fixed (seeded generators), so two demo databases tell the same story.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from remedy.demo.specs import CaseSpec
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.types import time_travel, utcnow

T = TypeVar("T")
# Still in intake: filed in the last weeks, as a queue has them.
RECENT_STATES = frozenset({"screening", "awaiting_complainant", "assessment"})
# Cases still in remedy were filed after the ones already closed, on the whole.
CLOSED_SPAN = (360, 150)  # days ago: oldest, newest
OPEN_SPAN = (250, 75)
RECENT_SPAN = (25, 3)
STEP_DAYS = (2, 12)
# Nothing happens in the future, nor in the last hour.
LATEST = timedelta(hours=1)


def filing_days_ago(cases: tuple[CaseSpec, ...]) -> dict[str, int]:
    """How many days ago each case (by title) was filed: even steps over its span."""
    groups: dict[tuple[int, int], list[CaseSpec]] = {}
    for spec in cases:
        if spec.state in RECENT_STATES:
            span = RECENT_SPAN
        elif spec.state == "in_remedy":
            span = OPEN_SPAN
        else:
            span = CLOSED_SPAN
        groups.setdefault(span, []).append(spec)
    found = {}
    for (oldest, newest), members in groups.items():
        step = (oldest - newest) / max(len(members) - 1, 1)
        for index, spec in enumerate(members):
            found[spec.title] = round(oldest - index * step)
    return found


class CaseClock:
    """One case's time: set at its filing, moved on before each of its steps."""

    def __init__(
        self, title: str, filed: datetime, latest: datetime, move_to: Callable[[datetime], None]
    ) -> None:
        self.now = filed
        self.latest = latest
        self._random = random.Random(title)
        self._move_to = move_to

    def later(self) -> None:
        """A few days pass; near the present, half the time left at most (never beyond
        ``latest``, so no step lands in the future and none shares its moment)."""
        gap = timedelta(days=self._random.randint(*STEP_DAYS), hours=self._random.randint(0, 23))
        self.now += min(gap, (self.latest - self.now) / 2)
        self._move_to(self.now)


_clock: ContextVar[CaseClock | None] = ContextVar("remedy_demo_clock", default=None)


@contextmanager
def backdated(spec: CaseSpec, days_ago: int) -> Iterator[CaseClock]:
    """Seed one case ``days_ago`` days back; each paced step moves its clock on."""
    real_now = utcnow()
    filed = real_now - timedelta(days=days_ago, hours=random.Random(spec.title).randint(8, 17))
    with time_travel(filed) as move_to:
        clock = CaseClock(spec.title, filed, real_now - LATEST, move_to)
        token = _clock.set(clock)
        try:
            yield clock
        finally:
            _clock.reset(token)


class _Paced:
    def __init__(self, module: object) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._module, name)
        if not inspect.isfunction(found):
            return found  # classes (a TrackPlan) and constants as they are

        @wraps(found)
        def later_then(*args: Any, **kwargs: Any) -> Any:
            clock = _clock.get()
            if clock is not None:
                clock.later()
            return found(*args, **kwargs)

        return later_then


def paced(module: T) -> T:
    """``module`` whose functions, called inside :func:`backdated`, each run a few days
    after the call before; outside it they run as they are."""
    return cast(T, _Paced(module))


def let_check_in_window_pass(track: InvolvementTrack) -> None:
    """The two weeks the people have to answer, passed (see :mod:`remedy.demo.seed`)."""
    track.check_in_window_ends_at = utcnow() - timedelta(minutes=1)
