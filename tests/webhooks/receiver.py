"""A system that receives Remedy's webhooks: a real HTTP server on 127.0.0.1 in a thread.

It checks every request's signature exactly as docs/webhooks.md tells receivers to
(HMAC-SHA256 of ``<timestamp>.<raw body>`` with the secret it was given, compared in
constant time), answers 401 when it does not match, and otherwise answers with the next
status the test queued (200 when none is left). It can hold its answer back, to play a
receiver that times out. Only the standard library.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver's check, as documented: a copy of the snippet in docs/webhooks.md."""
    timestamp = headers.get("X-Remedy-Timestamp", "")
    given = headers.get("X-Remedy-Signature", "")
    expected = hmac.new(
        secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(given, f"sha256={expected}")


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: int

    @property
    def json(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.body)
        return document


class Receiver:
    def __init__(self) -> None:
        self.secret = ""
        self.received: list[Received] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name: value for name, value in self.headers.items()}
                verified = verify(receiver.secret, headers, body)
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    status = status if verified else 401
                    receiver.received.append(Received(headers, body, verified, status))
                    delay = receiver.delay
                if delay:
                    time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/remedy"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, *statuses: int) -> None:
        """Answer the next requests with these statuses, in order."""
        self.statuses.extend(statuses)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    found.thread.start()
    try:
        yield found
    finally:
        found.server.shutdown()
        found.server.server_close()
