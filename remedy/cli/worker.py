"""``flask worker``: deliver the outbox and run the periodic jobs.

``flask --app wsgi worker`` runs until SIGTERM or SIGINT (Ctrl-C), then finishes the
message in hand, commits what it sent, hands the rest of its batch back and exits 0; a
second signal exits at once (the leases bring back anything it held). ``--drain`` runs
the due jobs, sends everything due and exits 0, for cron or tests. Run as many workers as
you like, on any machines that reach the database. ``worker status`` lists the workers by
their heartbeats, and how much waits in the inbox and the outbox.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext

from remedy.messaging import backlog
from remedy.messaging.heartbeats import beats
from remedy.messaging.inbox import Waker
from remedy.messaging.senders import build_sender
from remedy.messaging.worker import Report, Worker
from remedy.messaging.worker_settings import WorkerSettings
from remedy.models.types import utcnow


def _summary(report: Report) -> str:
    parts = [
        f"sent {report.sent}",
        f"to retry later {report.retrying}",
        f"failed {report.failed}",
    ]
    if report.webhooks:
        parts.append(f"webhook attempts {report.webhooks}")
    if report.superseded:
        parts.append(f"settled elsewhere {report.superseded}")
    if report.jobs:
        parts.append("jobs run: " + ", ".join(sorted(report.jobs)))
    return "Outbox: " + "; ".join(parts) + "."


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM or SIGINT sets ``stop``; a second one exits at once. Restored afterwards."""

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            sys.exit(1)  # asked twice: leave now; leases hand the claims to another worker
        logging.getLogger(__name__).info("stopping after the message in hand")
        stop.set()

    # A worker started in the background by a shell ignores Ctrl-C: so does this one, and
    # the shell stops it with one SIGTERM (see ``make run``).
    numbers = [signal.SIGTERM]
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        numbers.append(signal.SIGINT)
    previous = {number: signal.signal(number, handle) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@click.group("worker", invoke_without_command=True)
@click.option("--drain", is_flag=True, help="Send everything due now, then exit.")
@click.pass_context
@with_appcontext
def worker(context: click.Context, drain: bool) -> None:
    """Send the outbox's due SMS and WhatsApp messages and run the periodic jobs."""
    if context.invoked_subcommand is not None:
        return
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    # The Twilio client logs every request at INFO, and transitions each state entered and
    # left (three or four lines a message, 8 µs each): keep the worker's own log readable.
    # State changes are in the audit log.
    for chatty in ("twilio", "transitions"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    stop = threading.Event()
    settings = WorkerSettings.from_config(current_app.config)
    waker = Waker(settings.idle, current_app.config["REMEDY_INBOX_POLL_SECONDS"], stop)
    runner = Worker(build_sender(current_app.config), settings, stop=stop, waker=waker)
    with _stop_on_signals(stop):
        if not drain:
            waker.listen()
        try:
            report = runner.drain() if drain else runner.run()
        finally:
            waker.close()
    click.echo(_summary(report))


@worker.command("status")
@with_appcontext
def status() -> None:
    """List the workers (live or stale, by heartbeat) and the inbox's and outbox's backlog."""
    now = utcnow()
    found = beats()
    click.echo(f"Workers: {sum(beat.live(now) for beat in found)} live, {len(found)} known.")
    for beat in found:
        state = "live " if beat.live(now) else "STALE"
        click.echo(
            f"  {state} {beat.worker_id}  host {beat.host}  pid {beat.pid}  "
            f"started {beat.started_at:%Y-%m-%d %H:%M:%S} UTC  "
            f"last beat {beat.age(now):.0f} s ago"
        )
    for name, waiting in (("Inbox", backlog.inbox()), ("Outbox", backlog.outbox())):
        click.echo(f"{name}: {waiting.depth} waiting, the oldest for {waiting.age(now):.0f} s.")
