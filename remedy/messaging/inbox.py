"""The inbox as the worker sees it: the app's function that handles pending inbound
messages, and how an idle worker learns that new ones arrived.

Messaging sits below the SMS conversation and must not import it, so the worker finds
the inbox's drain in the app (``app.extensions[INBOX_DRAIN_KEY]``, filled by
``remedy.jobs.registry``), as it finds its periodic jobs.

Waking. The webhook calls :func:`notify` in the transaction that stores a message;
PostgreSQL delivers ``NOTIFY remedy_inbox`` at commit to every worker that ``LISTEN``s on
its own autocommit connection (:class:`Waker`), so an idle worker starts at once instead
of sleeping its idle time out. SQLite has nothing of the kind: an idle worker looks
again after a short poll (``REMEDY_INBOX_POLL_SECONDS``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import text

from remedy.core.extensions import db

logger = logging.getLogger(__name__)

INBOX_DRAIN_KEY = "remedy.inbox_drain"
CHANNEL = "remedy_inbox"

# Handles up to ``limit`` pending inbound messages; how many it handled.
InboxDrain = Callable[[int], int]


def app_inbox_drain() -> InboxDrain | None:
    """The app's inbox drain, if it has one."""
    drain: InboxDrain | None = current_app.extensions.get(INBOX_DRAIN_KEY)
    return drain


def notify() -> None:
    """Wake the listening workers when the current transaction commits (PostgreSQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"NOTIFY {CHANNEL}"))


class Waker:
    """An idle worker's wait: until a NOTIFY arrives (PostgreSQL) or a short poll ends.

    ``woken`` counts the waits a notification ended (the tests read it).
    """

    def __init__(self, idle: float, poll: float, stop: threading.Event) -> None:
        self.idle = idle
        self.poll = poll
        self.stop = stop
        self.woken = 0
        self._connection: Any = None

    def listen(self) -> Waker:
        """Start listening (PostgreSQL; elsewhere nothing to do). Before the first look,
        so no message stored meanwhile goes unnoticed."""
        if db.engine.dialect.name != "postgresql" or self._connection is not None:
            return self
        pooled = db.engine.raw_connection()
        connection = pooled.driver_connection
        assert connection is not None
        pooled.detach()  # its own connection for good: never handed back to the pool
        connection.autocommit = True
        connection.execute(f"LISTEN {CHANNEL}")
        self._connection = connection
        return self

    def wait(self) -> bool:
        """Rest until woken or the idle time is over; True when a notification woke it."""
        if self._connection is None:
            self.stop.wait(min(self.idle, self.poll))
            return False
        try:
            # Notifications that came while the worker was busy: look again at once.
            woken = any(True for _ in self._connection.notifies(timeout=0))
            if not woken:
                woken = any(
                    True for _ in self._connection.notifies(timeout=self.idle, stop_after=1)
                )
        except Exception:
            logger.exception("inbox: listening failed; polling instead")
            self.close()
            return False
        self.woken += woken
        return woken

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None
