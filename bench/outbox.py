"""Outbox throughput: 20,000 messages, 4 ``flask worker`` processes, a local fake Twilio API.

Run from the project root: ``.venv/bin/python bench/outbox.py`` (``--help`` for options).

For each backend (PostgreSQL, then SQLite; either can be chosen) a database is created and
migrated with the real migrations, and 20,000 SMS are queued in the outbox as the
workflows queue them (encrypted number and text, one row each). Then 4 worker processes
(``python -m flask --app wsgi worker --drain``, exactly what an operator runs) claim,
send and record them through the Twilio sender, against the fake Twilio REST API of
``tests/fake_twilio.py`` served on 127.0.0.1 from this process and reached through
``TWILIO_API_BASE_URL``. ``--drain`` exits when nothing is left to claim.

The fake is loaded from its file rather than imported from the ``tests`` package: the
benchmark then measures against the very fake the tests validate (HTTP basic auth,
Twilio-shaped answers), without ``bench/`` depending on the test suite as a package.

Checks, or the run fails instead of printing numbers: the fake received every queued
text exactly once (none lost, none twice), every row is ``sent`` with the provider's id,
after one attempt each. Status callbacks are not posted (they would measure the web
app, not the worker), and the periodic jobs are put off for the run (they would measure
the jobs); ``tests/messaging/test_worker_processes.py`` shows the same
exactly-once outcome with callbacks and a worker killed mid-batch.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from _support import (  # the benchmarks' shared helpers (bench/ is on sys.path)
    environment,
    load_fake_twilio,
    make_app,
    postgres_admin_url,
    postgres_database,
    server_version,
    sqlite_database,
)
from sqlalchemy import func, insert, select

from remedy.core.config import PROJECT_ROOT
from remedy.core.crypto import generate_key
from remedy.core.extensions import db
from remedy.jobs.registry import PERIODIC_JOBS
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from remedy.models.types import utcnow
from remedy.models.worker_timer import WorkerTimer

SECRET_KEY = uuid.uuid4().hex * 2
ENCRYPTION_KEY = generate_key()


@dataclass
class Result:
    backend: str
    server: str
    messages: int
    workers: int
    batch_size: int
    rate: float
    # From starting the worker processes until the last one exited.
    wall_seconds: float
    # From the first message reaching the provider until the last one did.
    sending_seconds: float
    busiest_second: int

    def summary(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "server": self.server,
            "messages": self.messages,
            "workers": self.workers,
            "batch_size": self.batch_size,
            "rate_limit_per_second": self.rate,
            "wall_seconds": round(self.wall_seconds, 2),
            "sending_seconds": round(self.sending_seconds, 2),
            "messages_per_second_wall": round(self.messages / self.wall_seconds, 1),
            "messages_per_second_sending": round(self.messages / self.sending_seconds, 1),
            "busiest_second_at_the_provider": self.busiest_second,
        }


# The workload ----------------------------------------------------------------------------


def body(number: int) -> str:
    return f"Case 1234-5678: we received your complaint. Bench message {number:06d}."


def queue_messages(count: int) -> None:
    """``count`` SMS in the outbox, written in chunks as the workflows would leave them."""
    now = utcnow()
    outbox = OutboxMessage.__table__
    for start in range(0, count, 1000):
        db.session.execute(
            insert(outbox),
            [
                {
                    "dedupe_key": f"bench:{number}",
                    "channel": MessageChannel.SMS,
                    "address": f"+2547{number:08d}",
                    "language": "en",
                    "template": "acknowledged",
                    "body": body(number),
                    "status": MessageStatus.PENDING,
                    "available_at": now,
                    "attempts": 0,
                    "created_at": now,
                }
                for number in range(start, min(count, start + 1000))
            ],
        )
        db.session.commit()


def postpone_jobs() -> None:
    """The periodic jobs (deadlines, PIN pool...) wait an hour: this measures sending only."""
    later = utcnow() + timedelta(hours=1)
    db.session.add_all(WorkerTimer(name=f"job:{job.name}", at=later) for job in PERIODIC_JOBS)
    db.session.commit()


def worker_environ(
    url: str, instance: Path, fake: Any, batch_size: int, rate: float
) -> dict[str, str]:
    return {
        **os.environ,
        **fake.environ(),
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "REMEDY_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "REMEDY_INSTANCE_PATH": str(instance),
        "REMEDY_PUBLIC_URL": "https://remedy.example.org",
        "REMEDY_OUTBOX_BATCH_SIZE": str(batch_size),
        "REMEDY_SEND_RATE": str(rate),
    }


def run_workers(environ: dict[str, str], workers: int, timeout: float) -> float:
    """Start the worker processes together; seconds until the last one exited."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--drain"]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=PROJECT_ROOT,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(workers)
    ]
    outputs = []
    try:
        for process in processes:
            outputs.append(process.communicate(timeout=timeout)[0])
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
    elapsed = time.perf_counter() - started
    failed = [
        (p.returncode, out[-2000:])
        for p, out in zip(processes, outputs, strict=False)
        if p.returncode
    ]
    assert not failed, failed
    return elapsed


def check(fake: Any, count: int) -> None:
    """None lost, none twice, every row sent after one attempt with the provider's id."""
    received = Counter(message["Body"] for message in fake.messages)
    expected = Counter(body(number) for number in range(count))
    assert received == expected, (
        f"{sum((expected - received).values())} lost, {sum((received - expected).values())} twice"
    )
    outbox = OutboxMessage.__table__
    rows = db.session.execute(
        select(outbox.c.status, outbox.c.attempts, func.count()).group_by(
            outbox.c.status, outbox.c.attempts
        )
    ).all()
    assert [tuple(row) for row in rows] == [(MessageStatus.SENT, 1, count)], rows
    provider_ids = set(db.session.scalars(select(outbox.c.provider_id)))
    assert provider_ids == {message["sid"] for message in fake.messages}


def run_backend(
    backend: str,
    url: str,
    instance: Path,
    count: int,
    workers: int,
    batch_size: int,
    rate: float,
) -> Result:
    app = make_app(url, instance, SECRET_KEY=SECRET_KEY, REMEDY_ENCRYPTION_KEY=ENCRYPTION_KEY)
    fake_class = load_fake_twilio()
    with app.app_context(), fake_class() as fake:
        server = server_version(backend)
        queue_messages(count)
        postpone_jobs()
        db.session.remove()
        wall = run_workers(
            worker_environ(url, instance, fake, batch_size, rate), workers, timeout=1800
        )
        times = sorted(message["received_at"] for message in fake.messages)
        check(fake, count)
        busiest = max(Counter(int(at) for at in times).values())
        db.session.remove()
        db.engine.dispose()
    return Result(
        backend, server, count, workers, batch_size, rate, wall, times[-1] - times[0], busiest
    )


# Reporting -------------------------------------------------------------------------------


def print_report(env: dict[str, str], results: list[Result]) -> None:
    print("\n## Environment\n")
    for key, value in env.items():
        print(f"- {key}: {value}")
    for result in results:
        print(f"- {result.backend}: {result.server}")
    print("\n## Throughput (every message checked: none lost, none twice)\n")
    print(
        "| backend | messages | workers | batch | rate limit | wall s | msg/s (wall) "
        "| sending s | msg/s (sending) | busiest second |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        s = r.summary()
        print(
            f"| {r.backend} | {r.messages} | {r.workers} | {r.batch_size} "
            f"| {r.rate or 'none'} | {s['wall_seconds']} | {s['messages_per_second_wall']} "
            f"| {s['sending_seconds']} | {s['messages_per_second_sending']} "
            f"| {r.busiest_second} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--postgres-url", help="a role allowed to create databases")
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument(
        "--rate", type=float, default=0, help="REMEDY_SEND_RATE for the run (0: no limit)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()

    results = []
    if args.backend in ("postgresql", "both"):
        admin = postgres_admin_url(args.postgres_url)
        if admin is None:
            print("PostgreSQL: no server allowing CREATE DATABASE answered; skipped.")
        else:
            with postgres_database(admin) as (url, instance):
                results.append(
                    run_backend(
                        "postgresql",
                        url,
                        instance,
                        args.messages,
                        args.workers,
                        args.batch_size,
                        args.rate,
                    )
                )
    if args.backend in ("sqlite", "both"):
        with sqlite_database() as (url, instance):
            results.append(
                run_backend(
                    "sqlite",
                    url,
                    instance,
                    args.messages,
                    args.workers,
                    args.batch_size,
                    args.rate,
                )
            )
    env = environment(("flask", "sqlalchemy", "psycopg", "twilio", "requests"))
    print_report(env, results)
    if args.json:
        args.json.write_text(
            json.dumps({"environment": env, "results": [r.summary() for r in results]}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
