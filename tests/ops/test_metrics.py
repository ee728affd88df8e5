"""/metrics: Prometheus's text format, for a scraper bearing the metrics token (issue 17).

Counted as things happen: requests by route template and status, sends by result,
retries, webhook signature refusals, PIN lockouts. Read from the database at scrape
time: the inbox's and the outbox's depth and oldest age, overdue deadlines by stage, the
workers' heartbeats. Under gunicorn every process writes its values to one directory and
a scrape sums them.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from remedy.access.case_access import MAX_FAILURES, open_case
from remedy.core.errors import ServiceError
from remedy.core.extensions import db
from remedy.core.metrics import exposition
from remedy.messaging.heartbeats import STALE_AFTER, Heart
from remedy.models.types import utcnow
from tests.fake_twilio import FakeTwilio
from tests.messaging.conftest import Clock, MakeWorker, queue
from tests.ops.conftest import value
from tests.support import file_grievance

ROOT = Path(__file__).resolve().parents[2]


def scrape(client: FlaskClient, token: str) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain; version=")
    return response.get_data(as_text=True)


def test_metrics_are_not_served_without_a_configured_token(client: FlaskClient) -> None:
    response = client.get("/metrics", headers={"Authorization": "Bearer anything"})

    assert response.status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token-of-the-right-length-xx", "Basic bWV0cmljczp4", "Bearer "],
)
def test_a_missing_or_wrong_token_is_401(
    client: FlaskClient, metrics_token: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get("/metrics", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"remedy_" not in response.data


def test_requests_are_counted_by_route_template_and_status(
    client: FlaskClient, metrics_token: str
) -> None:
    labels = {"route": "/case/<reference>", "method": "GET"}
    before = scrape(client, metrics_token)

    answered = client.get("/case/12345678").status_code
    after = scrape(client, metrics_token)

    counted = value(after, "remedy_http_requests_total", **labels, status=str(answered))
    was = value(before, "remedy_http_requests_total", **labels, status=str(answered)) or 0
    assert counted == was + 1
    assert "12345678" not in after  # the path a person asked for is never a label
    timed = value(
        after, "remedy_http_request_duration_seconds_count", **labels, status=str(answered)
    )
    assert timed is not None
    assert timed >= 1


def test_an_unknown_path_is_counted_as_unmatched(client: FlaskClient, metrics_token: str) -> None:
    client.get("/no-such-page/+254700000001")

    after = scrape(client, metrics_token)

    assert value(after, "remedy_http_requests_total", route="unmatched", method="GET", status="404")
    assert "+254700000001" not in after


def test_sends_and_retries_are_counted_by_result(
    client: FlaskClient, metrics_token: str, make_worker: MakeWorker, fake_twilio: FakeTwilio
) -> None:
    before = scrape(client, metrics_token)
    queue()
    queue()
    fake_twilio.fail_next(1, status=503)

    make_worker().drain()
    after = scrape(client, metrics_token)

    def grew(name: str, **labels: str) -> float:
        return (value(after, name, **labels) or 0) - (value(before, name, **labels) or 0)

    assert grew("remedy_outbox_sends_total", channel="sms", result="sent") == 1
    assert grew("remedy_outbox_sends_total", channel="sms", result="retry") == 1
    assert grew("remedy_outbox_retries_total", channel="sms") == 1


def test_webhook_signature_refusals_are_counted(client: FlaskClient, metrics_token: str) -> None:
    name = "remedy_webhook_signature_refusals_total"
    before = value(scrape(client, metrics_token), name, webhook="sms")

    response = client.post("/twilio/sms", data={"From": "+254700000009", "Body": "hi"})
    after = value(scrape(client, metrics_token), name, webhook="sms")

    assert response.status_code == 403
    assert after == (before or 0) + 1


def test_a_pin_lockout_is_counted_once(client: FlaskClient, metrics_token: str) -> None:
    grievance = file_grievance().grievance
    before = value(scrape(client, metrics_token), "remedy_pin_lockouts_total") or 0

    for attempt in range(MAX_FAILURES + 2):
        with pytest.raises(ServiceError):
            open_case(grievance.reference, "000000", f"web:198.51.100.{attempt}")

    assert value(scrape(client, metrics_token), "remedy_pin_lockouts_total") == before + 1


def test_queue_depths_and_ages_are_read_at_scrape_time(
    client: FlaskClient, metrics_token: str, clock: Clock
) -> None:
    queue()
    queue()

    after = scrape(client, metrics_token)

    assert value(after, "remedy_outbox_depth") == 2
    assert value(after, "remedy_inbox_depth") == 0
    assert value(after, "remedy_inbox_oldest_age_seconds") == 0
    assert (value(after, "remedy_outbox_oldest_age_seconds") or 0) >= 0
    assert value(after, "remedy_database_gauges_up") == 1


def test_overdue_deadlines_are_counted_by_stage(client: FlaskClient, metrics_token: str) -> None:
    grievance = file_grievance().grievance
    grievance.due_at = utcnow() - timedelta(days=1)
    db.session.commit()

    after = scrape(client, metrics_token)

    assert value(after, "remedy_overdue_deadlines", stage=grievance.state) == 1


def test_worker_heartbeats_are_exported_live_and_stale(
    app: Flask, client: FlaskClient, metrics_token: str
) -> None:
    now = utcnow()
    Heart("host-a:101:aaaaaa", now).beat(now)
    Heart("host-b:202:bbbbbb", now).beat(now - STALE_AFTER - timedelta(seconds=30))

    after = scrape(client, metrics_token)

    assert value(after, "remedy_workers_live") == 1
    age = value(after, "remedy_worker_heartbeat_age_seconds", worker="host-b:202:bbbbbb")
    assert age is not None
    assert age > STALE_AFTER.total_seconds()


COUNT = """
import sys
from remedy.core.metrics import SENDS
SENDS.labels("sms", "sent").inc(int(sys.argv[1]))
"""


def test_two_processes_counting_into_one_directory_are_summed_by_one_scrape(
    app: Flask,
    client: FlaskClient,
    metrics_token: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What gunicorn's workers do: each process writes its own file, a scrape reads all."""
    directory = tmp_path / "metrics"
    directory.mkdir()
    environment = {"PROMETHEUS_MULTIPROC_DIR": str(directory), "PYTHONPATH": str(ROOT)}
    for count in ("3", "4"):
        subprocess.run([sys.executable, "-c", COUNT, count], env=environment, check=True, cwd=ROOT)
    monkeypatch.setitem(app.config, "PROMETHEUS_MULTIPROC_DIR", str(directory))

    scraped = scrape(client, metrics_token)

    assert len(list(directory.glob("counter_*.db"))) == 2
    assert value(scraped, "remedy_outbox_sends_total", channel="sms", result="sent") == 7
    # The database gauges are read once, by the process that answers.
    assert value(scraped, "remedy_database_gauges_up") == 1


def test_a_missing_multiprocess_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="is not a directory"):
        exposition(str(tmp_path / "missing"))


def test_metrics_show_prints_one_scrape_without_a_token(runner: FlaskCliRunner) -> None:
    queue()

    result = runner.invoke(args=["metrics", "show"])

    assert result.exit_code == 0, result.output
    assert value(result.output, "remedy_outbox_depth") == 1
    assert value(result.output, "remedy_database_gauges_up") == 1
