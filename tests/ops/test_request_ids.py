"""The request id (issue 17): taken from a well-formed ``X-Request-ID`` or made, answered
in the response, on every log line of the request, kept on the outbox rows the request
queued, and logged again by the worker when it sends them."""

from __future__ import annotations

import json
import logging

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.logs import (
    JsonFormatter,
    PathWithoutQuery,
    RequestIdFilter,
    formatter,
    stamp_records,
)
from remedy.core.request_ids import bound
from remedy.models.outbox_message import OutboxMessage, reply_key
from tests.messaging.conftest import MakeWorker, queue, row
from tests.sms.conftest import Phone, a_number, handle_inbox
from tests.web.conftest import ANSWERS, STEPS, WebVisitor

INCOMING = "req-7f3a9c2e-5b1d-4e8f"


def test_a_request_without_an_id_gets_a_fresh_one(client: FlaskClient) -> None:
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_a_well_formed_incoming_id_is_kept(client: FlaskClient) -> None:
    response = client.get("/", headers={"X-Request-ID": INCOMING})

    assert response.headers["X-Request-ID"] == INCOMING


@pytest.mark.parametrize(
    "incoming",
    ["short", "x" * 65, "two words here", "tab\tseparated-123456", "<script>alert(1)</script>"],
)
def test_a_malformed_incoming_id_is_replaced(client: FlaskClient, incoming: str) -> None:
    answered = client.get("/healthz", headers={"X-Request-ID": incoming}).headers["X-Request-ID"]

    assert answered != incoming
    assert len(answered) == 32


def test_error_pages_carry_the_id_too(client: FlaskClient) -> None:
    response = client.get("/no-such-page", headers={"X-Request-ID": INCOMING})

    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == INCOMING


def test_log_lines_written_in_a_request_carry_its_id(
    client: FlaskClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database is down")

    monkeypatch.setattr(db.session, "execute", refuse)  # /readyz logs a warning
    caplog.set_level(logging.DEBUG, logger="remedy")

    client.get("/readyz", headers={"X-Request-ID": INCOMING})

    logged = [r for r in caplog.records if r.name.startswith("remedy.")]
    assert logged
    assert {getattr(r, "request_id", None) for r in logged} == {INCOMING}


def test_the_outbox_rows_a_request_queued_keep_its_id(client: FlaskClient) -> None:
    visitor = WebVisitor(client)
    for step in STEPS:
        visitor.answer(step, ANSWERS[step])

    visitor.post("/file/review", headers={"X-Request-ID": INCOMING})

    queued = db.session.scalars(select(OutboxMessage)).all()
    assert queued
    assert {message.request_id for message in queued} == {INCOMING}


def test_the_worker_logs_the_id_when_it_sends(
    make_worker: MakeWorker, caplog: pytest.LogCaptureFixture
) -> None:
    with bound(INCOMING):
        outbox_id = queue()
    caplog.set_level(logging.INFO, logger="remedy.messaging.worker")

    make_worker().drain()

    assert row(outbox_id).request_id == INCOMING
    (sent,) = [r for r in caplog.records if r.getMessage().startswith(f"outbox {outbox_id} ")]
    assert sent.getMessage() == f"outbox {outbox_id} (acknowledged) taken by twilio"
    assert sent.request_id == INCOMING  # type: ignore[attr-defined]


@pytest.mark.usefixtures("app")
def test_rows_queued_outside_a_request_have_no_id() -> None:
    assert row(queue()).request_id is None


def record(message: str, *args: object, name: str = "remedy.test") -> logging.LogRecord:
    """A record as a logger makes it (with the app's record factory)."""
    stamp_records()
    return logging.getLogRecordFactory()(name, logging.INFO, __file__, 1, message, args, None)


def test_a_json_line_is_one_object_with_the_request_id() -> None:
    with bound(INCOMING):
        line = record("outbox %s sent", 12)
    RequestIdFilter().filter(line)

    parsed = json.loads(JsonFormatter().format(line))

    assert parsed["message"] == "outbox 12 sent"
    assert parsed["request_id"] == INCOMING
    assert parsed["level"] == "INFO"
    assert parsed["logger"] == "remedy.test"


def test_a_plain_line_names_the_request_id() -> None:
    with bound(INCOMING):
        line = record("hello")
    RequestIdFilter().filter(line)

    assert f"[{INCOMING}] hello" in formatter("plain").format(line)


def test_gunicorn_access_lines_take_the_id_from_the_response_header() -> None:
    line = record("%(h)s %({x-request-id}o)s", name="gunicorn.access")
    line.args = {"h": "127.0.0.1", "{x-request-id}o": INCOMING}

    assert json.loads(JsonFormatter().format(line))["request_id"] == INCOMING


def test_the_development_server_logs_paths_without_their_query() -> None:
    line = record('"%s" %s %s', "GET /console/queue?q=Amina+Wanjiru HTTP/1.1", "200", "12")

    PathWithoutQuery().filter(line)

    assert line.getMessage() == '"GET /console/queue HTTP/1.1" 200 12'


def test_an_sms_reply_carries_the_id_of_the_webhook_request(client: FlaskClient) -> None:
    phone = Phone(client, a_number())
    params = phone.params("HELLO")

    assert phone.post(params, **{"X-Request-ID": INCOMING}).status_code == 200
    handle_inbox(phone.hashes)

    (inbound,) = phone.inbound()
    reply = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == reply_key(inbound.id))
    ).one()
    assert (inbound.request_id, reply.request_id) == (INCOMING, INCOMING)
