"""Reply latency of the SMS conversation, and a worker killed mid-batch: part of
``bench/sms_webhook.py`` (run that; ``--replies-only`` runs just this part).

Target (issue 11): webhook in → reply handed to the provider, p95 ≤ 2 s at 50 messages/s
sustained for 60 s, with 2 workers on PostgreSQL; none lost or handled twice when a
worker is killed with SIGKILL in the middle of the run.

The parts are all real and on this machine:

- ``gunicorn --workers 2`` serving ``wsgi:app`` (the webhook stores the message and
  answers at once); two ``flask worker`` processes that run the conversations from the
  inbox and send the replies through the outbox; the fake Twilio API of
  ``tests/fake_twilio.py`` (a real HTTP server on 127.0.0.1, loaded by path) that takes
  the replies and posts signed ``sent`` and ``delivered`` callbacks back to the app.
- Phones. Each phone holds one conversation and waits for each reply before it sends
  its next message, as a person does: the seven messages of ``SCRIPT`` (a filing every
  7 messages). A pacer hands out 50 sending slots a second to the phones that are ready
  (their last reply arrived); a slot with no phone ready is counted as missed, so a
  system that falls behind shows it. A phone that has filed is replaced by a new one.
- Latency: from just before the webhook request is sent to the moment the fake API
  accepted the reply (both clocks of this process).
- The kill: halfway through, one worker gets SIGKILL and a new one is started at once,
  as a supervisor (systemd, a container runtime) restarts it. Afterwards every phone must
  have exactly one reply per message (none lost, none twice), every inbound message must
  be handled, and every finished conversation must have filed exactly one grievance.
"""

from __future__ import annotations

import http.client
import os
import queue
import signal
import subprocess
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from twilio.request_validator import RequestValidator

from bench._support import load_fake_twilio

ROOT = Path(__file__).resolve().parent.parent
# The case's acknowledgement (template ``acknowledged`` in English, or ``DISCREET`` for a
# person who withheld their identity, as the script's phones do): it is queued with the
# reply that files, so a filing phone receives two messages.
ACKNOWLEDGEMENTS = ("We received your complaint.", "There is news about your case.")


@dataclass
class Phone:
    number: str
    script: tuple[tuple[str, str], ...]
    position: int = 0
    # When the message now waiting for its reply was sent (time.time()), else None.
    waiting_since: float | None = None
    replies: int = 0
    sent: int = 0
    # Acknowledgements of the filed case: a notification, not a reply (one per filing).
    acknowledgements: int = 0

    @property
    def finished(self) -> bool:
        return self.position >= len(self.script) and self.waiting_since is None


@dataclass
class Run:
    """What one run saw, for the report."""

    latencies: list[float] = field(default_factory=list)
    # The same, by the kind of message answered (``SCRIPT``'s first column).
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    webhook_ms: list[float] = field(default_factory=list)
    sent: int = 0
    missed_slots: int = 0
    failures: int = 0
    finished_phones: int = 0
    phones: dict[str, Phone] = field(default_factory=dict)
    killed_at: float | None = None


class Load:
    """Phones, the pacer that gives them sending slots, and the matcher that sees replies."""

    def __init__(
        self,
        port: int,
        public_url: str,
        auth_token: str,
        account_sid: str,
        fake: Any,
        script: tuple[tuple[str, str], ...],
        phones: int,
        first_phone: int,
    ) -> None:
        self.port = port
        self.public_url = public_url
        self.validator = RequestValidator(auth_token)
        self.account_sid = account_sid
        self.fake = fake
        self.script = script
        self.next_number = first_phone
        self.run = Run()
        self.lock = threading.Lock()
        self.ready: deque[Phone] = deque()
        self.slots: queue.Queue[Phone | None] = queue.Queue()
        self.seen = 0  # replies of the fake API looked at so far
        for _ in range(phones):
            self.ready.append(self._new_phone())

    def _new_phone(self) -> Phone:
        number = f"+2547{self.next_number:08d}"
        self.next_number += 1
        phone = Phone(number, self.script)
        self.run.phones[number] = phone
        return phone

    # Sending ----------------------------------------------------------------------------

    def post(self, phone: Phone) -> None:
        _kind, body = self.script[phone.position]
        params = {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "AccountSid": self.account_sid,
            "From": phone.number,
            "To": "+15005550006",
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        signature = self.validator.compute_signature(self.public_url + "/twilio/sms", params)
        payload = urlencode(params)
        with self.lock:
            phone.position += 1
            phone.sent += 1
            phone.waiting_since = time.time()
            self.run.sent += 1
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(
                "POST",
                "/twilio/sms",
                body=payload,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Twilio-Signature": signature,
                },
            )
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except OSError:
            ok = False
        finally:
            connection.close()
        with self.lock:
            self.run.webhook_ms.append(1000 * (time.perf_counter() - started))
            if not ok:
                self.run.failures += 1

    def sender(self) -> None:
        while True:
            phone = self.slots.get()
            if phone is None:
                return
            self.post(phone)

    def pace(self, rate: float, seconds: float, on_half: Any) -> None:
        """``rate`` slots a second for ``seconds``; ``on_half`` is called once halfway."""
        start = time.monotonic()
        count = int(rate * seconds)
        halfway = count // 2
        for slot in range(count):
            due = start + slot / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if slot == halfway:
                on_half()
            self.match()
            with self.lock:
                phone = self.ready.popleft() if self.ready else None
            if phone is None:
                self.run.missed_slots += 1
                continue
            self.slots.put(phone)

    # Replies ----------------------------------------------------------------------------

    def match(self) -> None:
        """Each reply the fake API took since last time ends its phone's wait."""
        messages = self.fake.messages
        while self.seen < len(messages):
            message = messages[self.seen]
            self.seen += 1
            with self.lock:
                phone = self.run.phones.get(message["To"])
                if phone is None:
                    continue
                if message["Body"].startswith(ACKNOWLEDGEMENTS):
                    phone.acknowledgements += 1
                    continue
                phone.replies += 1
                if phone.waiting_since is None:
                    continue  # a reply with no message waiting: counted as a duplicate below
                latency = message["received_at"] - phone.waiting_since
                self.run.latencies.append(latency)
                kind = phone.script[phone.position - 1][0]
                self.run.by_kind.setdefault(kind, []).append(latency)
                phone.waiting_since = None
                if phone.position < len(phone.script):
                    self.ready.append(phone)
                else:
                    self.run.finished_phones += 1
                    self.ready.append(self._new_phone())

    def settle(self, timeout: float) -> None:
        """Wait for the replies still owed, up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.match()
            with self.lock:
                waiting = any(p.waiting_since is not None for p in self.run.phones.values())
            if not waiting:
                time.sleep(1.0)  # late duplicates, if any, arrive too
                self.match()
                return
            time.sleep(0.05)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    output = log.open("ab")
    return subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "worker"],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def database_counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    queries = {
        "inbound": "SELECT count(*) FROM inbound_messages",
        "inbound_unhandled": "SELECT count(*) FROM inbound_messages WHERE processed_at IS NULL",
        "grievances": "SELECT count(*) FROM grievances",
        "filed": "SELECT count(*) FROM conversations WHERE state = 'filed'",
        "replies_queued": "SELECT count(*) FROM outbox_messages WHERE channel = 'sms'",
    }
    with engine.connect() as connection:
        found = {
            name: int(connection.execute(text(sql)).scalar() or 0) for name, sql in queries.items()
        }
    engine.dispose()
    return found


def measure_replies(
    *,
    env: dict[str, str],
    database_url: str,
    gunicorn: Any,
    free_port: Any,
    folder: Path,
    script: tuple[tuple[str, str], ...],
    rate: float,
    seconds: float,
    phones: int,
    kill: bool,
) -> dict[str, Any]:
    """One run at ``rate`` messages a second for ``seconds``, with 2 workers; the report."""
    fake = load_fake_twilio()(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"]).start()
    fake.auto_status = ("sent", "delivered")
    port = free_port()
    public_url = f"http://127.0.0.1:{port}"
    env = {
        **env,
        **fake.environ(),
        "TWILIO_ACCOUNT_SID": env["TWILIO_ACCOUNT_SID"],
        "TWILIO_AUTH_TOKEN": env["TWILIO_AUTH_TOKEN"],
        "REMEDY_SENDER": "twilio",
        "REMEDY_PUBLIC_URL": public_url,
        # A messaging service or short code takes 100 a second; one long code takes 1.
        "REMEDY_SEND_RATE": "200",
    }
    load = Load(
        port,
        public_url,
        env["TWILIO_AUTH_TOKEN"],
        env["TWILIO_ACCOUNT_SID"],
        fake,
        script,
        phones,
        first_phone=9_000_000,
    )
    workers: list[subprocess.Popen[bytes]] = []
    senders = [threading.Thread(target=load.sender, daemon=True) for _ in range(8)]
    log = folder / "workers.log"
    try:
        with gunicorn("wsgi:app", env, port, folder / "replies-web.log"):
            workers = [start_worker(env, log) for _ in range(2)]
            time.sleep(3.0)  # both workers started and listening
            for thread in senders:
                thread.start()

            def kill_one() -> None:
                if kill:
                    os.kill(workers[0].pid, signal.SIGKILL)
                    workers[0].wait()
                    load.run.killed_at = time.time()
                    workers.append(start_worker(env, log))

            load.pace(rate, seconds, kill_one)
            for _ in senders:
                load.slots.put(None)
            for thread in senders:
                thread.join()
            load.settle(timeout=90.0)
            for worker in workers[1:]:
                worker.send_signal(signal.SIGTERM)
            for worker in workers[1:]:
                worker.wait(timeout=60)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
        fake.stop()
    run = load.run
    lost = sum(1 for p in run.phones.values() if p.waiting_since is not None)
    doubled = sum(max(0, p.replies - p.sent) for p in run.phones.values())
    filed = [p for p in run.phones.values() if p.finished]
    acknowledged_twice = sum(max(0, p.acknowledgements - 1) for p in filed)
    unacknowledged = sum(1 for p in filed if not p.acknowledgements)
    counts = database_counts(database_url)
    latencies_ms = [1000 * value for value in run.latencies]
    result = {
        "rate": rate,
        "seconds": seconds,
        "messages_sent": run.sent,
        "achieved_rate": round(run.sent / seconds, 1),
        "missed_slots": run.missed_slots,
        "webhook_failures": run.failures,
        "conversations_finished": run.finished_phones,
        "reply_p50_ms": round(percentile(latencies_ms, 0.50), 1),
        "reply_p95_ms": round(percentile(latencies_ms, 0.95), 1),
        "reply_p99_ms": round(percentile(latencies_ms, 0.99), 1),
        "reply_max_ms": round(max(latencies_ms, default=float("nan")), 1),
        "reply_p95_ms_by_kind": {
            kind: round(1000 * percentile(values, 0.95), 1) for kind, values in run.by_kind.items()
        },
        "webhook_p99_ms": round(percentile(run.webhook_ms, 0.99), 1),
        "worker_killed": kill,
        "lost": lost,
        "handled_twice": doubled,
        "acknowledgements_missing": unacknowledged,
        "acknowledged_twice": acknowledged_twice,
        "database": counts,
    }
    result["targets"] = {
        "p95_within_2s": result["reply_p95_ms"] <= 2000,
        "rate_sustained": run.missed_slots == 0 and run.failures == 0,
        "none_lost": lost == 0 and counts["inbound_unhandled"] == 0,
        "none_twice": doubled == 0 and acknowledged_twice == 0,
        "one_grievance_per_filing": counts["grievances"] == counts["filed"],
    }
    return result
