"""Worker heartbeats and ``flask --app wsgi worker status`` (issue 17): each worker
process records its id, host, pid, start and last beat; the status lists live and stale
workers and how much waits in the inbox and the outbox, and for how long."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

import pytest
from flask.testing import FlaskCliRunner

from remedy.messaging.heartbeats import BEAT_EVERY, STALE_AFTER, Heart, beats
from remedy.models.types import utcnow
from tests.messaging.conftest import MakeWorker, queue

# The heartbeat's update-or-insert, on both dialects.
pytestmark = pytest.mark.postgres


def test_a_running_worker_beats_and_its_row_goes_when_it_stops(make_worker: MakeWorker) -> None:
    worker = make_worker(worker_id="host-a:4242:c0ffee")
    seen = []

    def rest(seconds: float) -> None:
        seen.extend(beats())
        worker.stop.set()

    worker.sleep = rest
    worker.run()

    (beat,) = seen
    assert beat.worker_id == "host-a:4242:c0ffee"
    assert (beat.host, beat.pid) == (socket.gethostname(), os.getpid())
    assert beats() == []


@pytest.mark.usefixtures("app")
def test_a_beat_is_written_at_most_every_few_seconds() -> None:
    start = utcnow()
    heart = Heart("host-a:1:aaaaaa", start)

    heart.beat(start)
    heart.beat(start + BEAT_EVERY / 2)
    (first,) = beats()
    heart.beat(start + BEAT_EVERY)
    (second,) = beats()

    assert first.beat_at == start
    assert second.beat_at == start + BEAT_EVERY
    assert second.started_at == start


def test_status_lists_live_and_stale_workers_and_the_backlog(runner: FlaskCliRunner) -> None:
    now = utcnow()
    Heart("host-a:101:aaaaaa", now - timedelta(minutes=5)).beat(now)
    Heart("host-b:202:bbbbbb", now - timedelta(hours=1)).beat(now - STALE_AFTER * 2)
    queue()

    result = runner.invoke(args=["worker", "status"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Workers: 1 live, 2 known."
    assert lines[1].split()[:2] == ["live", "host-a:101:aaaaaa"]
    assert lines[2].split()[:2] == ["STALE", "host-b:202:bbbbbb"]
    assert "last beat 120 s ago" in lines[2]
    assert lines[3] == "Inbox: 0 waiting, the oldest for 0 s."
    assert lines[4].startswith("Outbox: 1 waiting, the oldest for ")


def test_status_with_no_worker_says_so(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["worker", "status"])

    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "Workers: 0 live, 0 known."
