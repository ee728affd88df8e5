"""Real processes for worker tests: ``flask worker`` subprocesses and a live app server."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

from remedy import create_app
from remedy.core.config import PROJECT_ROOT
from remedy.core.extensions import db
from remedy.jobs.registry import PERIODIC_JOBS
from remedy.models.types import utcnow
from remedy.models.worker_timer import WorkerTimer
from tests.fake_twilio import FakeTwilio
from tests.support import SECRET_KEY, TEST_KEY, test_overrides


def worker_environ(
    database_url: str, instance: Path, fake: FakeTwilio, public_url: str, **settings: Any
) -> dict[str, str]:
    """The environment of a ``flask --app wsgi worker`` sending through ``fake``."""
    environ = {
        **os.environ,
        **fake.environ(),
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "REMEDY_ENCRYPTION_KEY": TEST_KEY,
        "REMEDY_INSTANCE_PATH": str(instance),
        "REMEDY_PUBLIC_URL": public_url,
        "PGOPTIONS": "-c synchronous_commit=off",
        "PYTHONUNBUFFERED": "1",
    }
    environ.update({key: str(value) for key, value in settings.items()})
    return environ


def postpone_jobs() -> None:
    """Put the periodic jobs an hour off, so worker processes started now only send."""
    later = utcnow() + timedelta(hours=1)
    db.session.add_all(WorkerTimer(name=f"job:{job.name}", at=later) for job in PERIODIC_JOBS)
    db.session.commit()


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds (a hang, not a
    measure: nothing asserts how long it took)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", "worker", *args]


def start_worker(environ: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        worker_command(*args),
        cwd=PROJECT_ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextmanager
def live_app(database_url: str, instance: Path, fake: FakeTwilio) -> Iterator[str]:
    """The app served over HTTP on 127.0.0.1 (its status callbacks route included); its URL.

    The app is built once the port is known, so its public URL, against which Twilio
    signatures are checked, is the server's own.
    """
    built: dict[str, Flask] = {}

    def dispatch(environ: dict[str, Any], start_response: Any) -> Any:
        return built["app"](environ, start_response)

    server = make_server("127.0.0.1", 0, dispatch, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    built["app"] = create_app(
        {**test_overrides(database_url, instance), **fake.settings(), "REMEDY_PUBLIC_URL": url}
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        with built["app"].app_context():
            db.engine.dispose()
