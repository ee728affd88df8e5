"""The outbox worker: handles the inbox, claims due messages, sends them, records what
happened, and runs the periodic jobs. Any number of worker processes may run at once, on
SQLite or PostgreSQL.

Each turn of the loop first handles a few pending inbound messages (the app's inbox
drain, ``remedy.messaging.inbox``; ``inbox_turn`` at most), then claims the outbox, so
a reply queued by the inbox goes out in the same turn, and never waits behind a long
inbox being handled. An idle worker rests until PostgreSQL notifies it of a new
inbound message, or its idle time ends (SQLite: a short poll).

This module is the loop; how a batch is claimed, held and handed back is ``claims``, the
shared send rate is ``rate``, and the periodic jobs' turns are ``periodic``.

Sending. Each message is sent, then its outcome written with an UPDATE that holds only
while this worker still owns the claim (``status='sending' AND claimed_by=me``). A
status callback that settled the message meanwhile, or another worker that took it
after the lease expired, makes that write a no-op. Outcomes of accepted messages are
committed 20 at a time in one transaction (one commit each cost more than the send),
and always before the worker waits and before half the lease is gone; failures are
committed at once. The lease is renewed while a batch takes long (slow provider, rate
limit), and must exceed three send timeouts (checked at start-up), so a claim never
expires under a live worker's feet. On shutdown the message in hand is finished, the
outcomes committed and the rest of the batch handed back. A worker killed after the
provider took a message but before its outcome was committed leaves it ``sending``:
its status callback settles it (``delivery.py``); without one it would be sent again
once the lease expired.

Outcomes. Accepted: ``sent``. 429, 5xx, timeouts and network errors: back to
``pending`` after an exponential backoff with jitter, or ``failed`` after the last
attempt. Any other refusal: ``failed`` at once with the code and fixed words in
``last_error`` (21610: the person opted out). WhatsApp outside its 24-hour window
(63016), or with no approved template for the message: ``failed``, and the same text
queued by SMS where the person allowed it, else kept on the web status page.
"""

from __future__ import annotations

import logging
import os
import random
import secrets
import socket
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update

from remedy.core.extensions import db
from remedy.core.metrics import RETRIES, SENDS
from remedy.core.request_ids import bound
from remedy.core.unit_of_work import atomic
from remedy.messaging import claims, periodic, rate
from remedy.messaging.claims import held_by, outbox
from remedy.messaging.delivery import after_failure, fall_back, rows_changed
from remedy.messaging.heartbeats import Heart
from remedy.messaging.inbox import InboxDrain, Waker, app_inbox_drain
from remedy.messaging.periodic import PeriodicJob
from remedy.messaging.senders import Accepted, Outgoing, Sender, SendFailure
from remedy.messaging.webhook_claims import WebhookDrain, app_webhook_drain
from remedy.messaging.worker_settings import WorkerSettings
from remedy.models.outbox_message import MessageStatus
from remedy.models.types import utcnow

logger = logging.getLogger(__name__)


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    # Outcomes another party wrote first: a status callback, or a worker after our lease.
    superseded: int = 0
    released: int = 0
    # Webhook deliveries attempted (``remedy.webhooks.delivery``; their log says how each went).
    webhooks: int = 0
    # How many times each periodic job ran.
    jobs: Counter[str] = field(default_factory=Counter)


def new_worker_id() -> str:
    """Host and process id (an operator can find the process), plus a random suffix."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    """One worker process's loop; every database step is its own short transaction."""

    def __init__(
        self,
        sender: Sender,
        settings: WorkerSettings,
        *,
        worker_id: str | None = None,
        stop: threading.Event | None = None,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], object] | None = None,
        jobs: Sequence[PeriodicJob] | None = None,
        rng: random.Random | None = None,
        inbox: InboxDrain | None = None,
        waker: Waker | None = None,
        webhooks: WebhookDrain | None = None,
    ) -> None:
        self.sender = sender
        self.settings = settings
        self.id = worker_id or new_worker_id()
        self.stop = stop or threading.Event()
        self.clock = clock
        self.sleep = sleep or self.stop.wait
        self._jobs = jobs
        self._inbox, self._webhooks = inbox, webhooks
        self.waker = waker
        self.rng = rng or random.Random()  # jitter, not secrets
        self.report = Report()
        self.lease_until = clock()
        # Accepted by the provider, outcome not yet committed (see ``flush``).
        self._accepted: list[dict[str, Any]] = []

    @property
    def jobs(self) -> Sequence[PeriodicJob]:
        """The jobs given, or else the app's."""
        return periodic.app_jobs() if self._jobs is None else self._jobs

    @property
    def inbox(self) -> InboxDrain | None:
        """The inbox drain given, or else the app's."""
        return app_inbox_drain() if self._inbox is None else self._inbox

    @property
    def webhooks(self) -> WebhookDrain | None:
        """The webhook drain given, or else the app's (``webhook_claims``)."""
        return app_webhook_drain() if self._webhooks is None else self._webhooks

    # The loops ------------------------------------------------------------------------

    def run(self) -> Report:
        """Until ``stop`` is set: jobs when due, then batches; rest when nothing is due."""
        logger.info("worker %s started (sender %s)", self.id, self.sender.name)
        heart = Heart(self.id, self.clock())
        while not self.stop.is_set():
            try:
                heart.beat(self.clock())  # ``worker status`` and the metrics read it
                self.run_due_jobs()
                if not self.step():
                    self.rest()
            except Exception:
                logger.exception("worker %s: the loop failed; trying again shortly", self.id)
                db.session.rollback()
                self.sleep(max(5.0, self.settings.idle))
        heart.stop()
        logger.info(
            "worker %s stopped: %s sent, %s to retry, %s failed",
            self.id,
            self.report.sent,
            self.report.retrying,
            self.report.failed,
        )
        return self.report

    def drain(self) -> Report:
        """Due jobs, then every due message, then return (``worker --drain``)."""
        self.run_due_jobs()
        while not self.stop.is_set() and self.step():
            pass
        return self.report

    def rest(self) -> None:
        """Nothing to do: wait for a new inbound message, or the idle time."""
        if self.waker is not None:
            self.waker.wait()
        else:
            self.sleep(self.settings.idle)

    def step(self) -> int:
        """Handle a few pending inbound messages and due webhooks, then claim one batch and
        send it (the replies just queued among them); how many of all (0: nothing was due)."""
        inbox, webhooks = self.inbox, self.webhooks
        turn = min(self.settings.batch_size, self.settings.inbox_turn)
        handled = inbox(turn) if inbox is not None else 0
        tried = webhooks(self.id, self.clock(), turn) if webhooks is not None else 0
        self.report.webhooks += tried
        handled += tried
        claimed = self.claim()
        if claimed:
            self.process(claimed)
        return handled + len(claimed)

    # Claims (``claims``) --------------------------------------------------------------

    def claim(self) -> list[int]:
        """Take up to a batch of due messages for this worker, committed before any send."""
        now = self.clock()
        lease_until = now + self.settings.lease
        claimed = claims.claim(
            self.id, now, self.settings.claim_size, lease_until, self.settings.max_attempts
        )
        self.lease_until = lease_until
        return claimed

    def renew(self, ids: Sequence[int]) -> set[int]:
        """Extend the lease on what this worker still holds; the ids it still holds."""
        lease_until = self.clock() + self.settings.lease
        held = claims.renew(self.id, ids, lease_until)
        self.lease_until = lease_until
        lost = len(ids) - len(held)
        if lost:
            logger.warning("worker %s: %s claims expired before they were sent", self.id, lost)
        return held

    def release(self, ids: Sequence[int]) -> None:
        """Hand claimed but unsent messages back at once (the attempt did not happen)."""
        if ids:
            self.report.released += claims.release(self.id, ids)

    def load(self, ids: Sequence[int]) -> list[Outgoing]:
        return claims.load(self.id, ids, self.clock())

    # Sending --------------------------------------------------------------------------

    def schedule(self, messages: Sequence[Outgoing]) -> list[tuple[datetime, Outgoing]]:
        """When each message may go: slots reserved on its sender's shared rate."""
        return rate.schedule(messages, self.sender, self.clock(), self.settings.rate)

    def process(self, ids: Sequence[int]) -> None:
        """Send a claimed batch in slot order, keeping the lease alive, then hand back the rest."""
        pending = dict.fromkeys(ids)
        held = set(ids)
        try:
            for not_before, message in self.schedule(self.load(ids)):
                self._wait_until(not_before, pending, held)
                if self.stop.is_set():
                    break
                self._keep_lease(pending, held)
                if message.id not in held:
                    pending.pop(message.id, None)
                    continue
                self.send_one(message)
                pending.pop(message.id, None)
        finally:
            self.flush()
            self.release(list(pending))

    def _wait_until(self, moment: datetime, pending: dict[int, None], held: set[int]) -> None:
        while not self.stop.is_set():
            left = (moment - self.clock()).total_seconds()
            if left <= 0:
                return
            self.flush()  # nothing waits uncommitted while the worker sleeps
            self.sleep(min(left, self.settings.lease.total_seconds() / 4))
            self._keep_lease(pending, held)

    def _keep_lease(self, pending: dict[int, None], held: set[int]) -> None:
        """Past half the lease: commit what was sent, extend the lease on what is left."""
        if self.lease_until - self.clock() < self.settings.lease / 2:
            self.flush()
            held.intersection_update(self.renew(list(pending)))

    def send_one(self, message: Outgoing) -> None:
        with bound(message.request_id):  # the request that queued it, in these log lines
            self._send_one(message)

    def _send_one(self, message: Outgoing) -> None:
        if not message.address:
            self._record_failure(
                message, SendFailure("no address to send to", retry=False, code="no-address")
            )
            return
        if message.opted_out:
            # Queued before the person sent STOP: never reaches the provider (which would
            # refuse it with 21610 anyway).
            self._record_failure(
                message, SendFailure("recipient opted out", retry=False, code="opted-out")
            )
            return
        try:
            accepted = self.sender.send(message)
        except SendFailure as failure:
            self._record_failure(message, failure)
        except Exception as error:  # a bug must not stop the batch: retry, then give up
            logger.exception("worker %s: sender raised on outbox %s", self.id, message.id)
            self._record_failure(
                message, SendFailure(f"unexpected error: {type(error).__name__}", retry=True)
            )
        else:
            self._record_sent(message, accepted)

    # Outcomes -------------------------------------------------------------------------

    def _record_sent(self, message: Outgoing, accepted: Accepted) -> None:
        SENDS.labels(message.channel.value, "sent").inc()
        logger.info("outbox %s (%s) taken by %s", message.id, message.template, self.sender.name)
        self._accepted.append(
            {
                "b_id": message.id,
                "b_provider_id": accepted.provider_id,
                "b_provider_status": accepted.provider_status,
                "b_sent_at": self.clock(),
            }
        )
        if len(self._accepted) >= self.settings.record_every:
            self.flush()

    def flush(self) -> None:
        """Commit the accepted messages' outcomes, each only if this worker still holds it."""
        if not self._accepted:
            return
        accepted, self._accepted = self._accepted, []
        with atomic():
            written = rows_changed(
                update(outbox)
                .where(
                    outbox.c.id == bindparam("b_id"),
                    outbox.c.status == MessageStatus.SENDING,
                    outbox.c.claimed_by == self.id,
                )
                .values(
                    status=MessageStatus.SENT,
                    provider_id=bindparam("b_provider_id"),
                    provider_status=bindparam("b_provider_status"),
                    sent_at=bindparam("b_sent_at"),
                    claimed_by=None,
                    lease_expires_at=None,
                ),
                accepted,
            )
        self.report.sent += written
        if written < len(accepted):
            self.report.superseded += len(accepted) - written
            logger.info(
                "worker %s: %s messages were settled elsewhere before their outcome was written",
                self.id,
                len(accepted) - written,
            )

    def _record_failure(self, message: Outgoing, failure: SendFailure) -> None:
        now = self.clock()
        final = not failure.retry or message.attempt >= self.settings.max_attempts
        values: dict[str, Any] = {
            "last_error": failure.reason[:200],
            "error_code": (failure.code or "")[:16] or None,
            "claimed_by": None,
            "lease_expires_at": None,
        }
        if final:
            values["status"] = MessageStatus.FAILED
        else:
            values["status"] = MessageStatus.PENDING
            values["available_at"] = now + timedelta(seconds=self.backoff(message.attempt))
        with atomic():
            written = rows_changed(
                update(outbox).where(held_by(self.id, [message.id])).values(values)
            )
            if written and final:
                if failure.fallback_to_sms or failure.keep_for_web:
                    fall_back(message.id, now, by_sms=failure.fallback_to_sms)
                else:
                    after_failure(message.id, message.channel, failure.code, now)
        result = "failed" if final else "retry"
        SENDS.labels(message.channel.value, result).inc()
        if not final:
            RETRIES.labels(message.channel.value).inc()
        if not written:
            self.report.superseded += 1
        elif final:
            self.report.failed += 1
            logger.info("outbox %s failed: %s", message.id, values["last_error"])
        else:
            self.report.retrying += 1

    def backoff(self, attempt: int) -> float:
        """Seconds before retry ``attempt + 1`` (``claims.backoff_seconds``)."""
        return claims.backoff_seconds(
            attempt, self.settings.backoff, self.settings.backoff_max, self.rng
        )

    # Periodic jobs (``periodic``) -----------------------------------------------------

    def run_due_jobs(self) -> None:
        periodic.run_due_jobs(
            self.jobs,
            self.id,
            self.clock,
            self.settings.jobs_interval,
            self.stop,
            self.report.jobs,
        )
