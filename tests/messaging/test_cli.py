"""``flask worker``: ``--drain`` sends what is due and exits 0; the long-running worker stops
cleanly on SIGTERM after the message in hand."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from remedy.core.config import PROJECT_ROOT
from remedy.models.outbox_message import MessageStatus
from tests.fake_twilio import FakeTwilio
from tests.messaging.conftest import PUBLIC_URL, queue_many, row
from tests.messaging.processes import postpone_jobs, start_worker, worker_command, worker_environ

# The worker runs as a subprocess on its own connection.
pytestmark = pytest.mark.commits


def test_drain_sends_what_is_due_and_exits_0(
    runner: FlaskCliRunner, fake_twilio: FakeTwilio
) -> None:
    ids = queue_many(3)
    fake_twilio.fail_next(1, 400, 21211)

    result = runner.invoke(args=["worker", "--drain"])

    assert result.exit_code == 0, result.output
    assert "Outbox: sent 2; to retry later 0; failed 1" in result.output
    assert sorted(row(i).status for i in ids) == [
        MessageStatus.FAILED,
        MessageStatus.SENT,
        MessageStatus.SENT,
    ]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handlers given back


def test_the_worker_runs_until_sigterm_then_exits_0(
    app: Flask, backend: str, database_url: str, tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    if backend != "sqlite":
        pytest.skip("signal handling is the same on every database; one run is enough")
    (outbox_id,) = queue_many(1)
    postpone_jobs()
    environ = worker_environ(
        database_url, tmp_path, fake_twilio, PUBLIC_URL, REMEDY_WORKER_IDLE_SECONDS=0.05
    )
    worker = start_worker(environ)
    try:
        fake_twilio.wait_for(lambda: len(fake_twilio.messages) == 1, timeout=60)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert "Outbox: sent 1;" in output
    assert row(outbox_id).status is MessageStatus.SENT


def test_a_bad_setting_stops_the_worker_with_the_reason(
    tmp_path: Path, fake_twilio: FakeTwilio
) -> None:
    environ = worker_environ(
        f"sqlite:///{tmp_path / 'unused.db'}",
        tmp_path,
        fake_twilio,
        PUBLIC_URL,
        REMEDY_OUTBOX_LEASE_SECONDS="5",
    )

    finished = subprocess.run(
        worker_command("--drain"),
        env=environ,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert finished.returncode != 0
    assert "REMEDY_OUTBOX_LEASE_SECONDS" in finished.stdout + finished.stderr
