"""Inbound SMS webhook under gunicorn: Remedy against a webhook that only stores the
message; then reply latency with workers (``sms_replies``).

Run from the project root: ``.venv/bin/python bench/sms_webhook.py`` (``--help``).

Targets (issue 11). Remedy's webhook checks the signature, stores the message and
answers an empty TwiML (the conversation runs in the worker): on 2 cores under
gunicorn, at least 0.8 times the request rate of the Flask yardstick that only stores
(same server, same run), p99 under 50 ms. Reply latency (webhook in to the reply handed
to the provider) p95 at most 2 s at 50 messages/s for 60 s with 2 workers on
PostgreSQL, none lost or handled twice with a worker killed halfway
(``bench/sms_replies.py``, run on PostgreSQL after the webhook rates).

For each backend (SQLite in WAL mode; PostgreSQL when a server answers), in one run:

1. A fresh database, migrated with the real migrations. Remedy's own settings, with the
   production Argon2id cost (t=3, 64 MiB) for PINs.
2. ``gunicorn --workers 2`` (sync) serving ``wsgi:app``; the load generator posts
   messages signed exactly as Twilio signs them (``X-Twilio-Signature`` over
   ``REMEDY_PUBLIC_URL`` + path) to ``/twilio/sms``. Each virtual phone holds one
   conversation at a time and sends its messages one after another (the webhook's
   answer is empty; no worker runs in this part, so the messages are only stored): a
   greeting, the story, ``0``, the place, the identity answer, the reprisal answer and
   the contact answer (seven messages, one filing). Different phones' messages interleave.
3. The same load, the same requests, against ``bench/minimal_webhook.py`` under the same
   gunicorn settings and database kind.

The load generator is ``wrk`` (Debian package ``wrk``), so that it takes as little of
the 2 cores as possible: every request of a run (signature included) is prepared before
anything is timed, and wrk's Lua script only hands out the next prepared request. One
connection per wrk thread (``--concurrency`` threads), so each thread's messages go out
strictly in order (a thread is one phone after another, each message waiting for the
previous reply); gunicorn's sync workers close every connection, so wrk reconnects for
each request, as Twilio would. A warm-up, with phones of its own, is not counted; CPU
times are taken over the measured run only. The run fails (exit 1) when any request
fails, or when the number of grievances does not match the conversations that filed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.minimal_webhook import create_schema  # noqa: E402 - after the path is set
from bench.sms_replies import measure_replies  # noqa: E402

PUBLIC_URL = "https://bench.remedy.example"
PATH = "/twilio/sms"
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"  # noqa: S105 - a made-up one
ACCOUNT_SID = "AC" + "0" * 32
SCRIPT = (
    ("new", "HELLO"),
    ("story", "The company trucks broke the water pipe. We walk two hours to the river."),
    ("done", "0"),
    ("place", "Mwangea, near the primary school"),
    ("identity", "2"),
    ("reprisal", "2"),
    ("filing", "1"),
)


LUA = r"""
-- One connection per thread, so each thread's requests go out strictly in order: a
-- thread is one phone after another, each waiting for its reply before the next message.
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  prepared = {}
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Connection"] = "close",
  }
  for line in io.lines(args[1] .. "/phone-" .. id .. ".txt") do
    local path, signature, body = line:match("^(%S+)\t(%S+)\t(.*)$")
    headers["X-Twilio-Signature"] = signature
    prepared[#prepared + 1] = wrk.format("POST", path, headers, body)
  end
  position = 0
end
function request()
  position = position + 1
  return prepared[position]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT {\"requests\": %d, \"duration_us\": %d, \"p50\": %d, \"p95\": %d, " ..
    "\"p99\": %d, \"max\": %d, \"connect\": %d, \"read\": %d, \"write\": %d, " ..
    "\"status\": %d, \"timeout\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class Measured:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    failures: int = 0
    server_cpu_ms: float = 0.0
    client_cpu_ms: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "rate": round(self.rate, 1),
            "p50_ms": round(self.p50_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
            "p99_ms": round(self.p99_ms, 1),
            "max_ms": round(self.max_ms, 1),
            "failures": self.failures,
            "server_cpu_ms_per_request": round(self.server_cpu_ms, 2),
            "client_cpu_ms_per_request": round(self.client_cpu_ms, 2),
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def message(number: str, body: str) -> dict[str, str]:
    return {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": ACCOUNT_SID,
        "From": number,
        "To": "+15005550006",
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }


def prepare_requests(
    folder: Path,
    threads: int,
    per_thread: int,
    first_phone: int,
    script: tuple[tuple[str, str], ...],
) -> None:
    """Every request of a run, signed as Twilio signs them, before anything is timed:
    ``phone-<thread>.txt`` holds whole conversations, one phone after another, a request
    a line (path, signature, body; the form ``LUA`` reads, also for ``bench/voice.py``)."""
    folder.mkdir(parents=True, exist_ok=True)
    validator = RequestValidator(AUTH_TOKEN)
    phone = first_phone
    for thread in range(threads):
        lines: list[str] = []
        while len(lines) < per_thread:
            number = f"+2547{phone:08d}"
            phone += 1
            for _kind, body in script:
                params = message(number, body)
                signature = validator.compute_signature(PUBLIC_URL + PATH, params)
                lines.append(f"{PATH}\t{signature}\t{urlencode(params)}\n")
        (folder / f"phone-{thread}.txt").write_text("".join(lines))


def run_wrk(port: int, folder: Path, threads: int, seconds: float) -> tuple[dict[str, int], float]:
    """wrk's summary and its CPU seconds (user and system)."""
    lua = folder / "phones.lua"
    lua.write_text(LUA)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    finished = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk") or "wrk",
            f"-t{threads}",
            f"-c{threads}",
            f"-d{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            str(lua),
            f"http://127.0.0.1:{port}",
            "--",
            str(folder),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    line = next(x for x in finished.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT ")), cpu


def script(args: argparse.Namespace) -> tuple[tuple[str, str], ...]:
    """The whole conversation, or (``--no-filing``) all of it but the answer that files."""
    return SCRIPT[:-1] if args.no_filing else SCRIPT


def measure(
    name: str, port: int, args: argparse.Namespace, first_phone: int, server: int, folder: Path
) -> Measured:
    """A warm-up with phones of its own, then the measured run; CPU over the measured run."""

    # Enough for 4,000 requests/s, far beyond either server: wrk must never run out.
    def per_thread(seconds: float) -> int:
        return int(4000 * seconds / args.concurrency) + 20

    warm, timed = folder / f"{name}-warm", folder / f"{name}-timed"
    prepare_requests(warm, args.concurrency, per_thread(args.warm_up), first_phone, script(args))
    second = first_phone + 1_000_000
    prepare_requests(timed, args.concurrency, per_thread(args.duration), second, script(args))
    if args.warm_up:
        run_wrk(port, warm, args.concurrency, args.warm_up)
    cpu_before = cpu_seconds(server)
    summary, client_cpu = run_wrk(port, timed, args.concurrency, args.duration)
    server_cpu = cpu_seconds(server) - cpu_before
    requests = summary["requests"]
    failures = sum(summary[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Measured(
        name,
        requests,
        summary["duration_us"] / 1e6,
        summary["p50"] / 1000,
        summary["p95"] / 1000,
        summary["p99"] / 1000,
        summary["max"] / 1000,
        failures,
        server_cpu_ms=1000 * server_cpu / max(1, requests),
        client_cpu_ms=1000 * client_cpu / max(1, requests),
    )


def cpu_seconds(parent: int) -> float:
    """User and system CPU time of ``parent`` and its children (gunicorn's workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if parent in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextmanager
def gunicorn(app: str, env: dict[str, str], port: int, log: Path) -> Iterator[int]:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        app,
    ]
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"gunicorn did not start: see {log}") from None
                    time.sleep(0.1)
            time.sleep(1.0)  # both workers booted
            yield process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def postgres_admin_url(given: str | None) -> str | None:
    candidates = [given, os.environ.get("BENCH_DATABASE_URL"), os.environ.get("TEST_DATABASE_URL")]
    candidates += ["postgresql+psycopg:///postgres"]
    for url in filter(None, candidates):
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        try:
            engine = create_engine(url, isolation_level="AUTOCOMMIT")
            with engine.connect():
                pass
            engine.dispose()
            return url
        except Exception:  # noqa: S112 - any failure means "not available"
            continue
    return None


@contextmanager
def databases(backend: str, folder: Path, admin_url: str | None) -> Iterator[tuple[str, str]]:
    """(Remedy's database URL, the minimal webhook's), dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'remedy.db'}", f"sqlite:///{folder / 'minimal.db'}"
        return
    assert admin_url is not None
    suffix = uuid.uuid4().hex[:8]
    names = [f"bench_sms_{suffix}", f"bench_minimal_{suffix}"]
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        urls = [
            make_url(admin_url).set(database=name).render_as_string(hide_password=False)
            for name in names
        ]
        yield urls[0], urls[1]
    finally:
        with engine.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def remedy_environment(database_url: str, folder: Path) -> dict[str, str]:
    from remedy.core.crypto import generate_key

    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("REMEDY_", "TWILIO_"))},
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "REMEDY_ENCRYPTION_KEY": generate_key(),
        "REMEDY_INSTANCE_PATH": str(folder / "instance"),
        "REMEDY_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "REMEDY_SENDER": "log",
        # One source asks for no case here; production limits otherwise.
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _prepare(env: dict[str, str], count: int) -> int:
    os.environ.update(env)
    from remedy import create_app
    from remedy.core.extensions import db
    from remedy.core.passwords import hash_secret
    from remedy.core.references import new_pin
    from remedy.models import PreparedPin

    app = create_app()
    with app.app_context():
        for _ in range(count // 10 + 1):
            batch = [new_pin() for _ in range(min(10, count))]
            db.session.add_all(PreparedPin(pin=pin, pin_hash=hash_secret(pin)) for pin in batch)
            db.session.commit()
            count -= len(batch)
            if count <= 0:
                break
        db.engine.dispose()
    return count


def prepare_pins(env: dict[str, str], count: int) -> None:
    """What the worker's prepared_pins job does between bursts, on both cores at once."""
    halves = [count // 2, count - count // 2]
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        list(pool.map(_prepare, [env, env], halves))


def migrate(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def check_filed(database_url: str) -> dict[str, int]:
    """Count what the run left: every finished conversation filed exactly one grievance."""
    url = database_url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = {
            table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)  # noqa: S608
            for table in (
                "inbound_messages",
                "conversations",
                "grievances",
                "outbox_messages",
                "prepared_pins",
            )
        }
        counts["filed"] = int(
            connection.execute(
                text("SELECT count(*) FROM conversations WHERE state = 'filed'")
            ).scalar()
            or 0
        )
    engine.dispose()
    return counts


def run_backend(backend: str, args: argparse.Namespace, admin_url: str | None) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-sms-{backend}-"))
    try:
        with databases(backend, folder, admin_url) as (remedy_url, minimal_url):
            env = remedy_environment(remedy_url, folder)
            migrate(env)
            port = free_port()
            with gunicorn("wsgi:app", env, port, folder / "remedy.log") as pid:
                remedy = measure("remedy", port, args, 1, pid, folder)
            counts = check_filed(remedy_url)
            minimal_env = {**env, "MINIMAL_DATABASE_URL": minimal_url}
            create_schema(minimal_url)
            port = free_port()
            log = folder / "minimal.log"
            with gunicorn("bench.minimal_webhook:app", minimal_env, port, log) as pid:
                minimal = measure("minimal", port, args, 5_000_000, pid, folder)
            port = free_port()
            log = folder / "minimal_flask.log"
            with gunicorn("bench.minimal_webhook:flask_app()", minimal_env, port, log) as pid:
                flask = measure("minimal_flask", port, args, 7_000_000, pid, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    verdict = {
        "at_least_0_8_of_minimal_flask": remedy.rate >= 0.8 * flask.rate,
        "p99_under_50ms": remedy.p99_ms < 50,
    }
    replies = None
    if backend in args.replies_on:
        replies = run_replies(backend, args, admin_url)
    return {
        "backend": backend,
        "remedy": remedy.summary(),
        "minimal": minimal.summary(),
        "minimal_flask": flask.summary(),
        "ratio": round(remedy.rate / minimal.rate, 3) if minimal.rate else None,
        "ratio_flask": round(remedy.rate / flask.rate, 3) if flask.rate else None,
        "database": counts,
        "targets": verdict,
        "replies": replies,
    }


def run_replies(backend: str, args: argparse.Namespace, admin_url: str | None) -> dict[str, Any]:
    """Reply latency at a sustained rate, with a worker killed halfway (``sms_replies``)."""
    folder = Path(tempfile.mkdtemp(prefix=f"bench-replies-{backend}-"))
    try:
        with databases(backend, folder, admin_url) as (remedy_url, _minimal_url):
            env = remedy_environment(remedy_url, folder)
            migrate(env)
            filings = int(args.rate * args.replies_seconds / len(SCRIPT)) + args.replies_phones
            prepare_pins(env, filings + 50)
            return measure_replies(
                env=env,
                database_url=remedy_url,
                gunicorn=gunicorn,
                free_port=free_port,
                folder=folder,
                script=SCRIPT,
                rate=args.rate,
                seconds=args.replies_seconds,
                phones=args.replies_phones,
                kill=not args.no_kill,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def versions() -> dict[str, str]:
    names = ["flask", "sqlalchemy", "gunicorn", "twilio", "argon2-cffi", "psycopg"]
    found = {name: metadata.version(name) for name in names}
    found["python"] = platform.python_version()
    return found


def print_replies(backend: str, replies: dict[str, Any]) -> None:
    print(
        f"replies ({backend}): {replies['messages_sent']} messages at {replies['achieved_rate']}/s "
        f"(missed slots {replies['missed_slots']}), conversations finished "
        f"{replies['conversations_finished']}; reply p50 {replies['reply_p50_ms']} ms, "
        f"p95 {replies['reply_p95_ms']}, p99 {replies['reply_p99_ms']}, "
        f"max {replies['reply_max_ms']}; webhook p99 {replies['webhook_p99_ms']} ms; "
        f"worker killed: {replies['worker_killed']}; lost {replies['lost']}, "
        f"handled twice {replies['handled_twice']}"
    )
    print(f"replies targets {replies['targets']}; database {replies['database']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    parser.add_argument("--warm-up", type=float, default=3.0, help="seconds not counted")
    parser.add_argument("--concurrency", type=int, default=4, help="phones writing at once")
    parser.add_argument(
        "--no-filing",
        action="store_true",
        help="leave out the last answer: measures the conversation without filing",
    )
    parser.add_argument("--postgres-url", help="an admin URL allowed to create databases")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--replies-on",
        nargs="*",
        default=["postgresql"],
        choices=["sqlite", "postgresql"],
        help="backends on which reply latency is measured (none: leave it out)",
    )
    parser.add_argument("--rate", type=float, default=50.0, help="messages/s for replies")
    parser.add_argument("--replies-seconds", type=float, default=60.0)
    parser.add_argument("--replies-phones", type=int, default=120, help="phones at once")
    parser.add_argument("--no-kill", action="store_true", help="no worker killed halfway")
    parser.add_argument(
        "--replies-only", action="store_true", help="only reply latency (no webhook rates)"
    )
    args = parser.parse_args()

    admin_url = postgres_admin_url(args.postgres_url)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    if "postgresql" in backends and admin_url is None:
        print("PostgreSQL: no server answers; skipped.")
        backends.remove("postgresql")
    report: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_before": os.getloadavg(),
            "platform": platform.platform(),
        },
        "versions": versions(),
        "settings": {
            "no_filing": args.no_filing,
            "duration": args.duration,
            "warm_up": args.warm_up,
            "concurrency": args.concurrency,
        },
        "results": [],
    }
    failed = False
    if args.replies_only:
        for backend in [b for b in backends if b in args.replies_on]:
            replies = run_replies(backend, args, admin_url)
            report["results"].append({"backend": backend, "replies": replies})
            print_replies(backend, replies)
            failed = failed or not all(replies["targets"].values())
        if args.json:
            args.json.write_text(json.dumps(report, indent=2))
        return 1 if failed else 0
    for backend in backends:
        result = run_backend(backend, args, admin_url)
        report["results"].append(result)
        remedy, minimal = result["remedy"], result["minimal"]
        print(f"\n== {backend} ==")
        for name, numbers in (
            ("remedy", remedy),
            ("minimal", minimal),
            ("flask", result["minimal_flask"]),
        ):
            print(
                f"{name:8} {numbers['rate']:7.1f} req/s  p50 {numbers['p50_ms']:6.1f} ms  "
                f"p95 {numbers['p95_ms']:6.1f}  p99 {numbers['p99_ms']:6.1f}  "
                f"max {numbers['max_ms']:6.1f}  failures {numbers['failures']}  "
                f"CPU/request: server {numbers['server_cpu_ms_per_request']} ms, "
                f"load generator {numbers['client_cpu_ms_per_request']} ms"
            )
        print(f"ratio {result['ratio']} (Flask yardstick {result['ratio_flask']})")
        print(f"targets {result['targets']}")
        print(f"database after the run: {result['database']}")
        if remedy["failures"] or minimal["failures"]:
            failed = True
        if result["replies"] is not None:
            print_replies(backend, result["replies"])
            replies_targets = result["replies"]["targets"]
            failed = failed or not (replies_targets["none_lost"] and replies_targets["none_twice"])
        database = result["database"]
        if database["grievances"] != database["filed"]:
            failed = True
    report["machine"]["load_after"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    print(f"\nload average before {report['machine']['load_before']}, after {os.getloadavg()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
