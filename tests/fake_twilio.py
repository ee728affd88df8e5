"""A fake Twilio REST API on 127.0.0.1: a real HTTP server in a thread.

It answers ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` as Twilio does
(HTTP basic auth with the account SID and auth token, form-encoded ``To``, ``From`` or
``MessagingServiceSid``, ``Body``, ``StatusCallback``, ``MediaUrl``...; 201 with
Twilio-shaped JSON, ``sid`` "SM" + 32 hex, status ``queued``, or ``accepted`` through a
Messaging Service), records every message it accepts, and posts status callbacks
signed exactly as Twilio signs them (``X-Twilio-Signature``).

It also answers ``POST .../Calls.json`` as Twilio's Calls API does (``To``, ``From``,
``Url``, ``StatusCallback``, ``StatusCallbackEvent``...; 201, ``sid`` "CA" + 32 hex,
status ``queued``), records every call it accepts, and lets a test drive it as Twilio
would: ``post_call_status`` posts the call's signed status callback (``no-answer``,
``busy``, ``failed``, ``completed``).

WhatsApp content: ``ContentSid`` (``HX`` + 32 hex) and ``ContentVariables`` (a JSON
object) are recorded with each message and stand for a body. With
``enforce_whatsapp_window`` set, free text (a body, no ``ContentSid``) to a
``whatsapp:`` address whose 24-hour window is not open (``open_window``) is refused
with 63016, as WhatsApp refuses it.

It can be told to refuse the next N requests, or every request to one number, with an
HTTP status and a Twilio error code; to hold its answer back (the message is accepted
first, as when Twilio is slow to answer); and to post callbacks by itself.

Use the ``fake_twilio`` fixture; point an app at it with ``fake_twilio.settings()``
(or a subprocess with ``fake_twilio.environ()``). Only the standard library, the
``twilio`` package and pytest are imported, so ``bench/`` loads this file by path.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-twilio-auth-token-0123456789"
SMS_FROM = "+15005550006"
WHATSAPP_FROM = "whatsapp:+14155238886"
MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages\.json$")
CALLS_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Calls\.json$")
RECORDING_PATH = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Recordings/(?P<sid>RE[0-9a-f]{32})"
    r"(?P<ext>\.mp3|\.wav|\.json)?$"
)
# The first bytes of an MP3 file (an ID3 tag), then silence: what a recording downloads as.
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64

# Posts one status callback: (url, params, headers) -> HTTP status.
Deliver = Callable[[str, dict[str, str], dict[str, str]], int]


@dataclass
class _Rule:
    status: int = 0
    code: int | None = None
    message: str = ""
    delay: float = 0.0
    remaining: int | None = None  # None: every matching request


def _post_form(url: str, params: dict[str, str], headers: dict[str, str]) -> int:
    data = urlencode(params).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


class FakeTwilio:
    """The fake API. ``messages``: every accepted message, oldest first, as dicts."""

    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.messages: list[dict[str, Any]] = []
        # Every call placed through the Calls API, oldest first, as dicts.
        self.calls: list[dict[str, Any]] = []
        self.requests = 0
        self.callbacks: list[tuple[str, dict[str, str], int]] = []
        # Recordings of calls (sid -> MP3 bytes), as the Recordings API serves them; the
        # sids deleted through it, and how often each was downloaded.
        self.recordings: dict[str, bytes] = {}
        self.deleted_recordings: list[str] = []
        self.downloads: dict[str, int] = {}
        # Statuses posted to each accepted message's StatusCallback, in a background thread.
        self.auto_status: tuple[str, ...] = ()
        self.auto_status_delay = 0.0  # seconds after accepting, before the first of them
        self.deliver: Deliver = _post_form
        # WhatsApp's session rule: free text only to addresses whose window is open.
        self.enforce_whatsapp_window = False
        self.open_windows: set[str] = set()
        self._lock = threading.Lock()
        self._next: list[_Rule] = []
        self._for: dict[str, _Rule] = {}
        self._server: ThreadingHTTPServer | None = None

    # Life cycle -----------------------------------------------------------------------

    def start(self) -> FakeTwilio:
        fake = self

        class Handler(_Handler):
            owner = fake

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(
            target=server.serve_forever, args=(0.05,), daemon=True, name="fake-twilio"
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def settings(
        self, sms_from: str = SMS_FROM, whatsapp_from: str = WHATSAPP_FROM
    ) -> dict[str, Any]:
        """App configuration that sends through this fake."""
        return {
            "REMEDY_SENDER": "twilio",
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_FROM": sms_from,
            "TWILIO_WHATSAPP_FROM": whatsapp_from,
            "TWILIO_API_BASE_URL": self.url,
        }

    def environ(self) -> dict[str, str]:
        """The same, as environment variables for a ``flask`` subprocess."""
        return {key: str(value) for key, value in self.settings().items()}

    # Behaviour ------------------------------------------------------------------------

    def fail_next(
        self, n: int, status: int = 500, code: int | None = None, message: str = ""
    ) -> None:
        """Refuse the next ``n`` message requests with this HTTP status and Twilio code."""
        with self._lock:
            self._next.append(_Rule(status, code, message or f"fake error {code}", remaining=n))

    def fail_for(self, to: str, status: int, code: int | None = None, message: str = "") -> None:
        """Refuse every message to ``to`` (as sent: ``whatsapp:+...`` for WhatsApp)."""
        with self._lock:
            self._for[to] = _Rule(status, code, message or f"fake error {code}")

    def open_window(self, to: str) -> None:
        """The person at ``to`` (``whatsapp:+...``) wrote: free text may reach them."""
        with self._lock:
            self.open_windows.add(to)

    def delay_next(self, n: int, seconds: float) -> None:
        """Accept the next ``n`` messages at once but answer only ``seconds`` later."""
        with self._lock:
            self._next.append(_Rule(delay=seconds, remaining=n))

    def delay_for(self, to: str, seconds: float) -> None:
        with self._lock:
            self._for[to] = _Rule(delay=seconds)

    def reset(self) -> None:
        with self._lock:
            self._next.clear()
            self._for.clear()
            self.messages.clear()
            self.calls.clear()
            self.callbacks.clear()
            self.requests = 0

    def _rule_for(self, to: str) -> _Rule | None:
        with self._lock:
            self.requests += 1
            if to in self._for:
                return self._for[to]
            if not self._next:
                return None
            rule = self._next[0]
            assert rule.remaining is not None
            rule.remaining -= 1
            if rule.remaining <= 0:
                self._next.pop(0)
            return rule

    # Status callbacks -----------------------------------------------------------------

    def signature(self, url: str, params: dict[str, str]) -> str:
        return str(RequestValidator(self.auth_token).compute_signature(url, params))

    def post_status(
        self, message: dict[str, Any] | str, status: str, error_code: str | None = None
    ) -> int:
        """Post a signed status callback for an accepted message (or its sid); the HTTP status."""
        if isinstance(message, str):
            message = next(m for m in self.messages if m["sid"] == message)
        url = message["StatusCallback"]
        assert url, "the message had no StatusCallback"
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "MessageSid": message["sid"],
            "SmsSid": message["sid"],
            "MessageStatus": status,
            "SmsStatus": status,
            "To": message["To"],
            "From": message["From"] or "",
        }
        if message["MessagingServiceSid"]:
            params["MessagingServiceSid"] = message["MessagingServiceSid"]
        if error_code:
            params["ErrorCode"] = error_code
        headers = {
            "X-Twilio-Signature": self.signature(url, params),
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "TwilioProxy/1.1",
        }
        answer = self.deliver(url, params, headers)
        self.callbacks.append((url, params, answer))
        return answer

    def post_call_status(
        self, call: dict[str, Any] | str, status: str, duration: int = 0, token: str | None = None
    ) -> int:
        """Post a call's signed status callback, as Twilio does when it ends; the HTTP status.
        ``token``: sign with another auth token (a forgery)."""
        if isinstance(call, str):
            call = next(c for c in self.calls if c["sid"] == call)
        url = call["StatusCallback"]
        assert url, "the call had no StatusCallback"
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": call["sid"],
            "CallStatus": status,
            "Direction": "outbound-api",
            "To": call["To"],
            "From": call["From"],
            "CallDuration": str(duration),
            "Timestamp": formatdate(usegmt=True),
            "CallbackSource": "call-progress-events",
            "SequenceNumber": "0",
        }
        signed_with = RequestValidator(token) if token is not None else None
        sign = (
            str(signed_with.compute_signature(url, params))
            if signed_with is not None
            else self.signature(url, params)
        )
        headers = {
            "X-Twilio-Signature": sign,
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "TwilioProxy/1.1",
        }
        answer = self.deliver(url, params, headers)
        self.callbacks.append((url, params, answer))
        return answer

    def calls_to(self, to: str) -> list[dict[str, Any]]:
        return [call for call in self.calls if call["To"] == to]

    def _auto_callbacks(self, message: dict[str, Any]) -> None:
        time.sleep(self.auto_status_delay)
        for status in self.auto_status:
            self.post_status(message, status)

    # Recordings -------------------------------------------------------------------------

    def new_recording(self, content: bytes = MP3) -> tuple[str, str]:
        """A recording Twilio made: its sid and its ``RecordingUrl`` (no extension)."""
        sid = "RE" + secrets.token_hex(16)
        self.recordings[sid] = content
        return sid, f"{self.url}/2010-04-01/Accounts/{self.account_sid}/Recordings/{sid}"

    # Queries --------------------------------------------------------------------------

    def sent_to(self, to: str) -> list[dict[str, Any]]:
        return [message for message in self.messages if message["To"] == to]

    def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("the fake Twilio never saw what the test waited for")
            time.sleep(0.01)


class _Handler(BaseHTTPRequestHandler):
    owner: FakeTwilio
    protocol_version = "HTTP/1.1"  # keep-alive, as the Twilio client's session expects
    disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client went away (a killed worker): nothing to answer

    def _error(self, status: int, code: int | None, message: str) -> None:
        self._answer(
            status,
            {
                "code": code,
                "message": message,
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
        )

    def _authorised(self, account: str) -> bool:
        fake = self.owner
        expected = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
        return self.headers.get("Authorization") == f"Basic {expected}" and (
            account == fake.account_sid
        )

    def _recording(self) -> tuple[str, str] | None:
        """The recording this request names, once its account's credentials are checked."""
        match = RECORDING_PATH.match(self.path.split("?")[0])
        if not match:
            self._error(404, 20404, "The requested resource was not found")
            return None
        if not self._authorised(match["account"]):
            self._error(401, 20003, "Authenticate")
            return None
        if match["sid"] not in self.owner.recordings:
            self._error(404, 20404, "The requested resource was not found")
            return None
        return match["sid"], match["ext"] or ""

    def do_GET(self) -> None:
        """A recording's audio (``.mp3``/``.wav``), with the account's credentials."""
        found = self._recording()
        if found is None:
            return
        sid, ext = found
        if ext == ".json":
            self._answer(200, {"sid": sid, "status": "completed"})
            return
        fake = self.owner
        with fake._lock:
            fake.downloads[sid] = fake.downloads.get(sid, 0) + 1
        body = fake.recordings[sid]
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg" if ext != ".wav" else "audio/x-wav")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_DELETE(self) -> None:
        """The Recordings API's delete: 204, and the recording is gone."""
        found = self._recording()
        if found is None:
            return
        sid, _ext = found
        fake = self.owner
        with fake._lock:
            fake.recordings.pop(sid, None)
            fake.deleted_recordings.append(sid)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _place_call(self, form: dict[str, list[str]]) -> None:
        """The Calls API: the call is queued; the test then drives its status callback."""
        fake = self.owner

        def one(name: str) -> str:
            return form.get(name, [""])[0]

        to, sender = one("To"), one("From")
        rule = fake._rule_for(to)
        if rule is not None and rule.status:
            self._error(rule.status, rule.code, rule.message)
            return
        if not to:
            self._error(400, 21201, "No 'To' number is specified")
            return
        if not sender:
            self._error(400, 21213, "No 'From' number is specified")
            return
        if not one("Url") and not one("Twiml"):
            self._error(400, 21205, "Url parameter is required.")
            return
        sid = "CA" + secrets.token_hex(16)
        call = {
            "sid": sid,
            "To": to,
            "From": sender,
            "Url": one("Url"),
            "Method": one("Method") or "POST",
            "StatusCallback": one("StatusCallback") or None,
            "StatusCallbackEvent": form.get("StatusCallbackEvent", []),
            "Timeout": one("Timeout") or None,
            "params": {key: values[0] for key, values in form.items()},
            "received_at": time.time(),
        }
        fake.calls.append(call)
        now = formatdate(usegmt=True)
        self._answer(
            201,
            {
                "account_sid": fake.account_sid,
                "api_version": "2010-04-01",
                "date_created": now,
                "date_updated": now,
                "direction": "outbound-api",
                "from": sender,
                "to": to,
                "sid": sid,
                "status": "queued",
                "uri": f"/2010-04-01/Accounts/{fake.account_sid}/Calls/{sid}.json",
            },
        )

    def _content_variables(self, form: dict[str, list[str]], to: str) -> Any:
        """The message's ContentVariables (None without), or False once refused as Twilio
        refuses: a bad ContentSid or variables, no body, or free text outside WhatsApp's
        window (when the fake enforces it)."""
        fake = self.owner
        content_sid = form.get("ContentSid", [""])[0]
        if content_sid and not re.fullmatch(r"HX[0-9a-f]{32}", content_sid):
            self._error(400, 21655, "The ContentSid is Invalid.")
            return False
        variables = form.get("ContentVariables", [""])[0]
        try:
            parsed = json.loads(variables) if variables else None
        except ValueError:
            self._error(400, 21656, "The ContentVariables Parameter is invalid.")
            return False
        if not form.get("Body", [""])[0] and not form.get("MediaUrl") and not content_sid:
            self._error(400, 21602, "Message body is required.")
            return False
        free_text = to.startswith("whatsapp:") and not content_sid
        if fake.enforce_whatsapp_window and free_text and to not in fake.open_windows:
            self._error(400, 63016, "Failed to send freeform message outside the window")
            return False
        return parsed

    def do_POST(self) -> None:
        fake = self.owner
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
        path = self.path.split("?")[0]
        calls = CALLS_PATH.match(path)
        if calls:
            if not self._authorised(calls["account"]):
                self._error(401, 20003, "Authenticate")
                return
            self._place_call(form)
            return
        match = MESSAGES_PATH.match(path)
        if not match:
            self._error(404, 20404, "The requested resource was not found")
            return
        expected = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
        if self.headers.get("Authorization") != f"Basic {expected}" or (
            match["account"] != fake.account_sid
        ):
            self._error(401, 20003, "Authenticate")
            return

        def one(name: str) -> str:
            return form.get(name, [""])[0]

        to, sender, service = one("To"), one("From"), one("MessagingServiceSid")
        rule = fake._rule_for(to)
        if rule is not None and rule.status:
            self._error(rule.status, rule.code, rule.message)
            return
        if not to:
            self._error(400, 21604, "A 'To' phone number is required.")
            return
        if not sender and not service:
            self._error(400, 21603, "A 'From' phone number is required.")
            return
        content_sid = one("ContentSid")
        content_variables = self._content_variables(form, to)
        if content_variables is False:
            return
        sid = "SM" + secrets.token_hex(16)
        message = {
            "sid": sid,
            "To": to,
            "From": sender or None,
            "MessagingServiceSid": service or None,
            "Body": one("Body"),
            "StatusCallback": one("StatusCallback") or None,
            "MediaUrl": form.get("MediaUrl", []),
            "Attempt": one("Attempt") or None,
            "ContentSid": content_sid or None,
            "ContentVariables": content_variables,
            "params": {key: values[0] for key, values in form.items()},
            "received_at": time.time(),
        }
        fake.messages.append(message)
        if fake.auto_status and message["StatusCallback"]:
            threading.Thread(target=fake._auto_callbacks, args=(message,), daemon=True).start()
        if rule is not None and rule.delay:
            time.sleep(rule.delay)
        now = formatdate(usegmt=True)
        self._answer(
            201,
            {
                "account_sid": fake.account_sid,
                "api_version": "2010-04-01",
                "body": message["Body"],
                "date_created": now,
                "date_updated": now,
                "date_sent": None,
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "from": sender or None,
                "messaging_service_sid": service or None,
                "num_media": str(len(message["MediaUrl"])),
                "num_segments": "1",
                "price": None,
                "price_unit": "USD",
                "sid": sid,
                "status": "accepted" if service else "queued",
                "subresource_uris": {
                    "media": f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{sid}/Media.json"
                },
                "to": to,
                "uri": f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{sid}.json",
            },
        )


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A running fake Twilio API; ``fake_twilio.settings()`` points an app at it."""
    with FakeTwilio() as fake:
        yield fake
