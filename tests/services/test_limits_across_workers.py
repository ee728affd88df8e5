"""Rate limits hold for the whole deployment, not per worker process.

``make run`` starts two gunicorn workers, each with its own app and its own limiter.
Here two apps on one database play them, each counting in the storage its own
create_app() gave it, as it would in its own process, with the default settings. With
counters in each process (``memory://``) 40 wrong look-ups passed before the first 429.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from remedy.core.extensions import db
from tests import support
from tests.conftest import backend_overrides, build_app, use_limiter_of
from tests.support import IsolatedClient, submit_form

pytestmark = [pytest.mark.commits, pytest.mark.postgres]

UNKNOWN_REFERENCE = "12345674"
Request = Callable[[FlaskClient], TestResponse]


@dataclass
class Worker:
    """One worker process: its app, and its own limiter storage."""

    app: Flask
    client: FlaskClient

    def ask(self, request: Request) -> int:
        use_limiter_of(self.app)
        with self.app.app_context():
            return request(self.client).status_code


@pytest.fixture
def workers(database_url: str, tmp_path: Path) -> Iterator[tuple[Worker, Worker]]:
    """Two workers on one database, with the default limits and their default storage."""
    settings = {**support.test_overrides(database_url, tmp_path), **backend_overrides(database_url)}
    del settings["RATELIMIT_STORAGE_URI"]  # what a deployment gets without choosing
    settings["REMEDY_API_RATE_LIMIT"] = "10 per minute"  # 300 by default: fewer requests
    built = []
    for _ in range(2):
        application = build_app(settings)
        application.test_client_class = IsolatedClient
        built.append(Worker(application, application.test_client()))
    yield built[0], built[1]
    for worker in built:
        with worker.app.app_context():
            db.engine.dispose()


def take_turns(workers: tuple[Worker, Worker], times: int, request: Request) -> list[int]:
    """``times`` requests from one address, the workers taking turns as gunicorn's do."""
    return [workers[index % 2].ask(request) for index in range(times)]


def wrong_look_up(client: FlaskClient) -> TestResponse:
    return submit_form(client, "/case", {"reference": UNKNOWN_REFERENCE, "pin": "123456"})


def wrong_sign_in(client: FlaskClient) -> TestResponse:
    return submit_form(client, "/sign-in", {"email": "nobody@example.org", "password": "x" * 12})


def api_call_without_token(client: FlaskClient) -> TestResponse:
    return client.get("/api/v1/grievances")


@pytest.mark.parametrize(
    ("request_", "allowed", "answer"),
    [
        pytest.param(wrong_look_up, 20, 400, id="case look-ups: 20 an hour"),
        pytest.param(wrong_sign_in, 10, 200, id="sign-ins: 10 a minute"),
        pytest.param(api_call_without_token, 10, 401, id="API: as configured, 10 a minute"),
    ],
)
def test_a_limit_counts_the_requests_every_worker_served(
    workers: tuple[Worker, Worker], request_: Request, allowed: int, answer: int
) -> None:
    answers = take_turns(workers, allowed, request_)

    assert answers == [answer] * allowed
    assert [worker.ask(request_) for worker in workers] == [429, 429]
