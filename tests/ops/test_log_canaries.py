"""No personal data reaches the logs (issue 17; DESIGN.md §6).

Grievances are filed on every channel (web pages, SMS, a phone call, the API) with
canary values that exist nowhere else: names, phone numbers, descriptions, places; the
PINs they are given are typed back in to open the cases (web, SMS). A worker then sends
everything queued. Every log record of the whole run, at DEBUG on every logger (SQL
included), is written in both formats an operator may choose (JSON and plain), and the
paths gunicorn's access log records (``%(U)s``: the path without its query string) are
kept: no canary may appear in any of them.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, request, request_started
from flask.testing import FlaskClient

from remedy.core.extensions import db
from remedy.core.logs import RequestIdFilter, formatter
from tests.api.conftest import Api, token_for
from tests.fake_twilio import FakeTwilio
from tests.sms.conftest import PUBLIC_URL, Phone, deliver_outbox, file_by_phone
from tests.support import make_account
from tests.voice.conftest import Caller
from tests.voice.test_filing import complain, numbers_read
from tests.web.conftest import ANSWERS, STEPS, WebVisitor, shown

# A database of its own: SQLAlchemy decides whether to log SQL when a connection opens,
# so the shared connection of rolled-back tests would not log it.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]


@pytest.fixture
def app_overrides(fake_twilio: FakeTwilio) -> dict[str, Any]:
    return {
        **fake_twilio.settings(),
        "REMEDY_PUBLIC_URL": PUBLIC_URL,
        "REMEDY_SEND_RATE": 0,
        "REMEDY_SEND_TIMEOUT_SECONDS": 2.0,
        "REMEDY_API_RATE_LIMIT": "100000 per minute",
    }


def _digits(count: int) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(count))


@dataclass
class Canaries:
    """Unique values per channel; ``pins`` are added as the channels hand them out."""

    tag: str
    web_phone: str
    sms_phone: str
    voice_phone: str
    api_phone: str
    pins: list[str]

    @classmethod
    def fresh(cls) -> Canaries:
        return cls(
            tag=secrets.token_hex(5),
            web_phone=f"+25471{_digits(7)}",
            sms_phone=f"+25472{_digits(7)}",
            voice_phone=f"+25571{_digits(7)}",
            api_phone=f"+25479{_digits(7)}",
            pins=[],
        )

    def text(self, what: str) -> str:
        return f"canary {what} {self.tag}"

    def needles(self) -> dict[str, str]:
        found = {
            "tag (names, descriptions, places)": self.tag,
            **{f"PIN {pin}": pin for pin in self.pins},
        }
        for label, number in (
            ("web phone", self.web_phone),
            ("SMS phone", self.sms_phone),
            ("voice phone", self.voice_phone),
            ("API phone", self.api_phone),
        ):
            found[f"{label} (E.164)"] = number
            found[f"{label} (national digits)"] = number[4:]
        return found


@dataclass
class Captured:
    json: io.StringIO
    plain: io.StringIO
    paths: list[str]

    def text(self) -> str:
        return "\n".join([self.json.getvalue(), self.plain.getvalue(), *self.paths])


@pytest.fixture
def captured(app: Flask) -> Iterator[Captured]:
    """Every record from every logger at DEBUG, in JSON and plain text, and each request's
    path as gunicorn's access log would record it."""
    root = logging.getLogger()
    found = Captured(io.StringIO(), io.StringIO(), [])
    handlers = []
    for stream, style in ((found.json, "json"), (found.plain, "plain")):
        handler = logging.StreamHandler(stream)
        handler.setLevel(logging.DEBUG)
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(formatter(style))
        handlers.append(handler)
        root.addHandler(handler)
    levels = {name: logging.getLogger(name).level for name in ("", "sqlalchemy.engine")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)

    def path(sender: Flask, **extra: Any) -> None:
        found.paths.append(request.path)

    request_started.connect(path, app)
    try:
        yield found
    finally:
        request_started.disconnect(path, app)
        for handler in handlers:
            root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def file_on_the_web(client: FlaskClient, canaries: Canaries) -> None:
    visitor = WebVisitor(client)
    answers = {
        **ANSWERS,
        "what": {"description": canaries.text("web description")},
        "where": {"location": canaries.text("web place")},
        "identity": {"identity": "share", "name": f"Canaryweb {canaries.tag}"},
        "contact": {"contact": "sms", "phone": canaries.web_phone},
    }
    for step in STEPS:
        assert visitor.answer(step, answers[step]).status_code == 302, step
    assert visitor.post("/file/review").status_code == 302
    done = visitor.get("/file/done").get_data(as_text=True)
    reference, pin = shown(done, "reference"), shown(done, "pin")
    canaries.pins.append(pin)
    opened = WebVisitor(client).open_case(reference, pin)
    assert opened.status_code == 302, "the PIN opened the case"


def file_by_sms(client: FlaskClient, fake_twilio: FakeTwilio, canaries: Canaries) -> None:
    phone = Phone(client, canaries.sms_phone, twilio=fake_twilio)
    filed = file_by_phone(
        phone,
        story=(canaries.text("sms description"),),
        place=canaries.text("sms place"),
    )
    canaries.pins.append(filed.pin)
    status = phone.send(f"STATUS {filed.reference} {filed.pin}")
    assert f"{filed.reference[:4]} {filed.reference[4:]}" in status, "the PIN opened the case"


def file_by_call(client: FlaskClient, fake_twilio: FakeTwilio, canaries: Canaries) -> None:
    caller = Caller(client, canaries.voice_phone, fake_twilio)
    caller.call()
    caller.press("1")  # English
    complain(caller)
    read_back = numbers_read(caller)
    canaries.pins.append(read_back[-6:])
    caller.hang_up()


def file_through_the_api(client: FlaskClient, canaries: Canaries) -> None:
    from remedy.core.actors import Actor

    handler = Actor.for_user(make_account("canary.handler@example.org").user)
    response = Api(client, token_for(handler)).post(
        "/grievances",
        {
            "description": canaries.text("api description"),
            "language": "en",
            "location": canaries.text("api place"),
            "category": "land",
            "complainant": {"name": f"Canaryapi {canaries.tag}", "phone": canaries.api_phone},
        },
    )
    assert response.status_code == 201, response.get_json()
    canaries.pins.append(response.get_json()["pin"])


def found(label: str, needle: str, text: str) -> bool:
    """``needle`` in ``text``; a PIN only on its own, not inside a longer hex or decimal
    run, so a six-digit PIN is not "found" inside a random message SID."""
    if not label.startswith("PIN"):
        return needle in text
    return re.search(rf"(?<![0-9a-fA-F]){needle}(?![0-9a-fA-F])", text) is not None


def test_no_canary_reaches_the_logs_from_any_channel(
    app: Flask, client: FlaskClient, fake_twilio: FakeTwilio, captured: Captured
) -> None:
    canaries = Canaries.fresh()

    file_on_the_web(client, canaries)
    file_by_sms(client, fake_twilio, canaries)
    file_by_call(client, fake_twilio, canaries)
    file_through_the_api(client, canaries)
    deliver_outbox()
    db.session.commit()

    logged = captured.text()
    needles = canaries.needles()
    leaked = {label: needle for label, needle in needles.items() if found(label, needle, logged)}
    assert leaked == {}, [
        line
        for line in logged.splitlines()
        if any(found(label, needle, line) for label, needle in leaked.items())
    ][:20]
    # The search looked at real output: SQL, the worker's sends, every request's path.
    assert "INSERT INTO grievances" in logged
    assert "taken by twilio" in logged
    assert "/file/review" in captured.paths
    assert "/twilio/sms" in captured.paths
    assert any(path.startswith("/twilio/voice") for path in captured.paths)
    assert "/api/v1/grievances" in captured.paths
    assert len(canaries.pins) == 4
    assert len(fake_twilio.messages) >= 3, "the worker sent the filings' messages"
