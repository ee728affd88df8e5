"""CPU time per SMS webhook request, per handled message and per status callback, in one process.

``sms_webhook.py`` measures the whole system under gunicorn and wrk, which on a shared
machine swings with whatever else runs. This measures the app's own Python cost, with
``time.process_time()`` (CPU of this process only, so other work on the machine barely
moves it), one request or message after another:

- **webhook**: signed ``POST /twilio/sms`` through Flask's test client (the whole request:
  hooks, signature check, parse, the encrypted INSERT, commit), whole conversations of
  ``sms_webhook.SCRIPT``, one phone after another;
- **handle**: the stored messages handled by ``remedy.sms.inbox.process_one``, the worker's
  own function (the conversation, its reply queued in the outbox, one commit each); also
  per kind of message (the filing answer takes a prepared PIN, as in production);
- **status**: the two signed status callbacks (``sent``, ``delivered``) of each reply,
  after the rows were marked as sent by a provider.

Each phase runs ``--rounds`` times on fresh phones after a warm-up; the best round is
the number to compare (load adds to CPU time only through caches and frequency, never
removes from it), the median is printed too. On PostgreSQL the server's own CPU is not
counted. ``--profile webhook|handle|status`` prints the cProfile top of one round.

    .venv/bin/python bench/sms_cpu.py                       # SQLite
    .venv/bin/python bench/sms_cpu.py --backend postgresql  # a database made for the run
    .venv/bin/python bench/sms_cpu.py --profile handle --conversations 40
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from _support import FAST_HASHING, make_app, postgres_admin_url, postgres_database, sqlite_database
from flask import Flask
from flask.testing import FlaskClient
from sms_webhook import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, SCRIPT
from sqlalchemy import select, update
from twilio.request_validator import RequestValidator

from remedy.access.prepared_pins import fill_pins
from remedy.core.extensions import db
from remedy.models.outbox_message import MessageStatus, OutboxMessage
from remedy.sms.inbox import process_one


def signed(validator: RequestValidator, path: str, params: dict[str, str]) -> dict[str, str]:
    return {"X-Twilio-Signature": validator.compute_signature(PUBLIC_URL + path, params)}


def webhook_requests(first_phone: int, conversations: int) -> list[tuple[dict[str, str], Any]]:
    """Whole conversations, one phone after another, signed before anything is timed."""
    validator = RequestValidator(AUTH_TOKEN)
    prepared = []
    for phone in range(first_phone, first_phone + conversations):
        for _kind, body in SCRIPT:
            params = {
                "MessageSid": "SM" + uuid.uuid4().hex,
                "AccountSid": ACCOUNT_SID,
                "From": f"+2547{phone:08d}",
                "To": "+15005550006",
                "Body": body,
                "NumMedia": "0",
            }
            prepared.append((params, signed(validator, "/twilio/sms", params)))
    return prepared


@contextmanager
def profiled(enabled: bool) -> Iterator[None]:
    profile = cProfile.Profile() if enabled else None
    if profile:
        profile.enable()
    try:
        yield
    finally:
        if profile:
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)


def post_all(client: FlaskClient, prepared: list[tuple[dict[str, str], Any]], path: str) -> float:
    started = time.process_time()
    for params, headers in prepared:
        response = client.post(path, data=params, headers=headers)
        assert response.status_code in (200, 204), response.get_data(as_text=True)[:300]
    return time.process_time() - started


def handle_all(count: int, per_kind: dict[str, list[float]]) -> float:
    total = 0.0
    for index in range(count):
        started = time.process_time()
        assert process_one(), "a stored message was not claimable"
        spent = time.process_time() - started
        total += spent
        per_kind[SCRIPT[index % len(SCRIPT)][0]].append(spent)
    return total


def status_requests() -> list[tuple[dict[str, str], Any]]:
    """Every queued SMS marked as handed to the provider, and its two callbacks, signed."""
    validator = RequestValidator(AUTH_TOKEN)
    rows = db.session.execute(
        select(OutboxMessage.id).where(OutboxMessage.status == MessageStatus.PENDING)
    ).all()
    prepared = []
    for (outbox_id,) in rows:
        sid = "SM" + uuid.uuid4().hex
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id)
            .values(status=MessageStatus.SENT, provider_id=sid, provider_status="queued")
        )
        path = f"/twilio/status?outbox={outbox_id}"
        for status in ("sent", "delivered"):
            params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID}
            prepared.append(((path, params), signed(validator, path, params)))
    db.session.commit()
    return prepared


def post_statuses(client: FlaskClient, prepared: list[tuple[Any, dict[str, str]]]) -> float:
    started = time.process_time()
    for (path, params), headers in prepared:
        response = client.post(path, data=params, headers=headers)
        assert response.status_code == 204
    return time.process_time() - started


def run(app: Flask, args: argparse.Namespace) -> dict[str, list[float]]:
    results: dict[str, list[float]] = defaultdict(list)
    client = app.test_client()
    per_kind: dict[str, list[float]] = defaultdict(list)
    with app.app_context():
        fill_pins((args.rounds + 1) * args.conversations + 10, budget=None)
    phone = 0
    for round_ in range(args.rounds + 1):
        warm = round_ == 0
        count = args.conversations if not warm else max(10, args.conversations // 4)
        prepared = webhook_requests(phone, count)
        phone += count
        # Each request its own app context, as under gunicorn: the session is removed and
        # its connection goes back to the pool (and is checked out again) every time.
        with profiled(args.profile == "webhook" and round_ == 1):
            spent = post_all(client, prepared, "/twilio/sms")
        if not warm:
            results["webhook"].append(spent / len(prepared) * 1000)
        with app.app_context():
            kinds: dict[str, list[float]] = per_kind if not warm else defaultdict(list)
            with profiled(args.profile == "handle" and round_ == 1):
                spent = handle_all(len(prepared), kinds)
            if not warm:
                results["handle"].append(spent / len(prepared) * 1000)
            db.session.remove()
        with app.app_context():
            statuses = status_requests()
            db.session.remove()
        with profiled(args.profile == "status" and round_ == 1):
            spent = post_statuses(client, statuses)
        if not warm:
            results["status"].append(spent / len(statuses) * 1000)
    for kind, values in per_kind.items():
        results[f"handle: {kind}"] = [statistics.median(values) * 1000]
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url")
    parser.add_argument("--conversations", type=int, default=60, help="per round (7 messages)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=("webhook", "handle", "status"))
    args = parser.parse_args()
    config = {
        **FAST_HASHING,
        "REMEDY_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
    }
    if args.backend == "sqlite":
        database = sqlite_database()
    else:
        admin = postgres_admin_url(args.postgres_url)
        if admin is None:
            print("no PostgreSQL server that may create databases", file=sys.stderr)
            return 1
        database = postgres_database(admin, "cpu")
    with database as (url, folder):
        app = make_app(url, folder, **config)
        results = run(app, args)
        with app.app_context():
            db.engine.dispose()
    print(f"{args.backend}: CPU ms of this process ({args.rounds} rounds, best / median)")
    for name, values in results.items():
        if len(values) > 1:
            print(f"  {name:18} {min(values):7.3f} / {statistics.median(values):7.3f}")
        else:
            print(f"  {name:18} {values[0]:7.3f}   (median of every message of its kind)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
