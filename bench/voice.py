"""Voice webhooks under gunicorn: TwiML steps per second and latency, whole calls.

Run from the project root: ``.venv/bin/python bench/voice.py`` (``--help``).

DESIGN §7 sets no voice target; the SMS webhook's (p99 under 50 ms on 2 cores) is the
yardstick the results are compared with. What runs, as ``bench/sms_webhook.py`` does:

1. A fresh database (SQLite in WAL mode by default; ``--backend postgresql``), migrated
   with the real migrations, production settings (Argon2id t=3, 64 MiB for PINs), and
   a pool of prepared PINs, as the worker keeps between bursts.
2. ``gunicorn --workers 2`` (sync) serving ``wsgi:app``. ``wrk`` posts requests signed
   exactly as Twilio signs them (``X-Twilio-Signature`` over ``REMEDY_PUBLIC_URL`` + the
   path with its ``?turn=N``). Each wrk thread is one caller after another, one request
   waiting for the previous answer (one connection per thread, reconnecting each time
   as Twilio does). A call is the whole filing: the incoming call (the language menu),
   1 English, 1 make a complaint, a recording of what happened and its recording status
   callback, 1 keep it, a recording of where and its callback, three keypad questions
   (the last files the grievance through ``submit_grievance`` and reads the reference and
   PIN back, digit by digit, twice), then 2 to finish (goodbye). Ten TwiML steps and two
   callbacks (204) per call. The turn of each step is known beforehand (it counts the
   steps), so every request is prepared and signed before anything is timed.
3. A warm-up with callers of its own is not counted. The worker does not run (the
   recordings stay pending: fetching them is the worker's, not the webhook's).

Checks: no request failed (non-2xx, timeouts), and every call that got as far as the
read-back filed exactly one grievance. Otherwise the run exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sms_webhook import (  # noqa: E402 - after the path is set
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC_URL,
    Measured,
    cpu_seconds,
    databases,
    free_port,
    gunicorn,
    migrate,
    postgres_admin_url,
    prepare_pins,
    remedy_environment,
    run_wrk,
    versions,
)

VOICE = "/twilio/voice"
STEP = f"{VOICE}/step"
RECORDING = f"{VOICE}/recording"
# (kind, keys, recorded): one call, request by request, after the incoming one.
SCRIPT = (
    ("language", "1", False),
    ("menu", "1", False),
    ("what_happened", "#", True),
    ("keep", "1", False),
    ("where", "#", True),
    ("identity", "2", False),
    ("contact", "2", False),
    ("reprisal", "2", False),  # files, reads the reference and PIN back
    ("finish", "2", False),
)
TWIML_STEPS = 1 + len(SCRIPT)
REQUESTS_PER_CALL = TWIML_STEPS + sum(recorded for _k, _d, recorded in SCRIPT)


def _params(call_sid: str, number: str, **extra: str) -> dict[str, str]:
    return {
        "CallSid": call_sid,
        "AccountSid": ACCOUNT_SID,
        "From": number,
        "To": "+15005550006",
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def call_requests(number: str) -> list[tuple[str, dict[str, str]]]:
    """One whole call: (path, parameters) in the order Twilio posts them."""
    call_sid = "CA" + uuid.uuid4().hex
    found = [(VOICE, _params(call_sid, number, CallStatus="ringing"))]
    for turn, (_kind, keys, recorded) in enumerate(SCRIPT, 1):
        path = f"{STEP}?turn={turn}"
        if not recorded:
            found.append((path, _params(call_sid, number, Digits=keys)))
            continue
        sid = "RE" + uuid.uuid4().hex
        url = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{sid}"
        made = {"RecordingSid": sid, "RecordingUrl": url, "RecordingDuration": "12"}
        found.append((path, _params(call_sid, number, Digits=keys, **made)))
        ready = {"AccountSid": ACCOUNT_SID, "CallSid": call_sid, "RecordingStatus": "completed"}
        found.append((RECORDING, {**ready, **made}))
    return found


def prepare(folder: Path, threads: int, per_thread: int, first: int) -> int:
    """Every request signed beforehand, whole calls per thread; returns the calls made."""
    folder.mkdir(parents=True, exist_ok=True)
    validator = RequestValidator(AUTH_TOKEN)
    phone, calls = first, 0
    for thread in range(threads):
        lines: list[str] = []
        while len(lines) < per_thread:
            for path, params in call_requests(f"+2557{phone:08d}"):
                signature = validator.compute_signature(PUBLIC_URL + path, params)
                lines.append(f"{path}\t{signature}\t{urlencode(params)}\n")
            phone += 1
            calls += 1
        (folder / f"phone-{thread}.txt").write_text("".join(lines))
    return calls


def measure(port: int, args: argparse.Namespace, server: int, folder: Path) -> Measured:
    def per_thread(seconds: float) -> int:  # far more than the server can take
        return int(args.ceiling * seconds / args.concurrency) + REQUESTS_PER_CALL

    warm, timed = folder / "warm", folder / "timed"
    prepare(warm, args.concurrency, per_thread(args.warm_up), 1)
    prepare(timed, args.concurrency, per_thread(args.duration), 1_000_000)
    if args.warm_up:
        run_wrk(port, warm, args.concurrency, args.warm_up)
    cpu_before = cpu_seconds(server)
    summary, client_cpu = run_wrk(port, timed, args.concurrency, args.duration)
    server_cpu = cpu_seconds(server) - cpu_before
    requests = summary["requests"]
    failures = sum(summary[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Measured(
        "voice",
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


def check_calls(database_url: str) -> dict[str, int]:
    """What the run left: calls, how far they got, grievances filed."""
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    queries = {
        "calls": "SELECT count(*) FROM calls",
        "calls_filed": "SELECT count(*) FROM calls WHERE grievance_id IS NOT NULL",
        "calls_read_back": "SELECT count(*) FROM calls WHERE state IN ('filed', 'ended')",
        "grievances": "SELECT count(*) FROM grievances",
        "recordings": "SELECT count(*) FROM call_recordings",
        "prepared_pins_left": "SELECT count(*) FROM prepared_pins",
    }
    with engine.connect() as connection:
        counts = {
            name: int(connection.execute(text(q)).scalar() or 0) for name, q in queries.items()
        }
    engine.dispose()
    return counts


def run(backend: str, args: argparse.Namespace, admin_url: str | None) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-voice-{backend}-"))
    try:
        with databases(backend, folder, admin_url) as (url, _unused):
            env = remedy_environment(url, folder)
            migrate(env)
            prepare_pins(env, args.pins)
            port = free_port()
            with gunicorn("wsgi:app", env, port, folder / "remedy.log") as pid:
                measured = measure(port, args, pid, folder)
            counts = check_calls(url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    steps = measured.requests * TWIML_STEPS / REQUESTS_PER_CALL
    return {
        "backend": backend,
        "requests": measured.summary(),
        "twiml_steps_per_second": round(steps / measured.seconds, 1),
        "calls_per_second": round(measured.requests / REQUESTS_PER_CALL / measured.seconds, 2),
        "database": counts,
        "p99_under_50ms_like_sms": measured.p99_ms < 50,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    parser.add_argument("--warm-up", type=float, default=3.0, help="seconds not counted")
    parser.add_argument("--concurrency", type=int, default=4, help="callers at once")
    parser.add_argument("--pins", type=int, default=400, help="PINs prepared beforehand")
    parser.add_argument("--ceiling", type=int, default=600, help="requests/s prepared for")
    parser.add_argument("--postgres-url", help="an admin URL allowed to create databases")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    admin_url = postgres_admin_url(args.postgres_url) if args.backend == "postgresql" else None
    if args.backend == "postgresql" and admin_url is None:
        print("PostgreSQL: no server answers.")
        return 1
    load_before = os.getloadavg()
    result = run(args.backend, args, admin_url)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "cpus": os.cpu_count(),
        "versions": versions(),
        "settings": vars(args) | {"json": None},
        "result": result,
    }
    numbers, counts = result["requests"], result["database"]
    print(
        f"== voice ({args.backend}) ==\n"
        f"{numbers['requests']} requests in {numbers['seconds']} s: {numbers['rate']} req/s, "
        f"{result['twiml_steps_per_second']} TwiML steps/s, "
        f"{result['calls_per_second']} whole calls/s\n"
        f"latency p50 {numbers['p50_ms']} ms, p95 {numbers['p95_ms']}, "
        f"p99 {numbers['p99_ms']}, max {numbers['max_ms']}; failures {numbers['failures']}\n"
        f"CPU/request: server {numbers['server_cpu_ms_per_request']} ms, "
        f"load generator {numbers['client_cpu_ms_per_request']} ms\n"
        f"database after the run: {counts}\n"
        f"load average before {load_before}, after {report['load_after']}"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str))
    filed_all = counts["calls_read_back"] == counts["calls_filed"] == counts["grievances"]
    return 1 if numbers["failures"] or not filed_all else 0


if __name__ == "__main__":
    sys.exit(main())
