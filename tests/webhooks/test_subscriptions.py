"""Subscriptions: https targets (a local http receiver outside production only), a secret
shown once and stored encrypted, rotation, deactivation, and the ``flask webhooks``
commands an operator uses, the delivery log among them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import LargeBinary, select, type_coerce

from remedy.core.actors import OPERATOR
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.messaging.worker import Worker
from remedy.models.audit_event import AuditEvent
from remedy.models.involvement_track import TrackKind
from remedy.models.webhook import WebhookSubscription
from remedy.webhooks import subscriptions
from remedy.webhooks.subscriptions import add_subscription, checked_url
from tests.webhooks.conftest import EVERY_EVENT
from tests.webhooks.receiver import Receiver
from tests.workflows.scenarios import Scenario

# The address rules read the app's settings, and their reasons are translated.
pytestmark = pytest.mark.usefixtures("app")


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.org/remedy",
        "https://hooks.example.org:8443/remedy?source=acme",
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
    ],
)
def test_https_and_a_local_receiver_are_accepted_outside_production(url: str) -> None:
    assert checked_url(f"  {url} ") == url


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.org/remedy",  # plain http elsewhere than this machine
        "ftp://hooks.example.org/",
        "hooks.example.org/remedy",
        "https://user:secret@hooks.example.org/",
        "https://hooks.example.org/#part",
        "https://hooks.example.org:port/",
        "https:///nothing",
        "",
        "https://example.org/" + "a" * 500,
    ],
)
def test_other_targets_are_refused_with_a_clear_reason(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        checked_url(url)
    assert refused.value.field == "url"


def test_in_production_even_a_local_receiver_needs_https(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(subscriptions, "settings", lambda: SimpleNamespace(production=True))
    with pytest.raises(InvalidInput):
        checked_url("http://127.0.0.1:8080/hooks")
    assert checked_url("https://hooks.example.org/") == "https://hooks.example.org/"


def test_unknown_or_no_events_are_refused(scenario: Scenario) -> None:
    for events in ((), ("case.deleted",)):
        with pytest.raises(InvalidInput) as refused:
            add_subscription(OPERATOR, scenario.company, "https://hooks.example.org/", events)
        assert refused.value.field == "events"


def test_the_secret_is_stored_encrypted_and_the_change_audited(scenario: Scenario) -> None:
    issued = add_subscription(OPERATOR, scenario.company, "https://hooks.example.org/", EVERY_EVENT)
    raw = db.session.scalar(
        select(type_coerce(WebhookSubscription.secret, LargeBinary)).where(
            WebhookSubscription.id == issued.subscription.id
        )
    )
    assert issued.secret.startswith("whsec_")
    assert len(issued.secret) > 40
    assert issued.secret.encode() not in raw
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "webhook.add" in actions
    assert issued.secret not in str(
        db.session.scalars(select(AuditEvent.after)).all()
    )  # the audit log never holds it


def test_the_commands_add_list_rotate_and_deactivate(
    runner: FlaskCliRunner, scenario: Scenario
) -> None:
    added = runner.invoke(
        args=[
            "webhooks",
            "add",
            "--org",
            "Acme Mining",
            "--url",
            "https://hooks.example.org/remedy",
            "--event",
            "track.state_changed",
        ]
    )
    assert added.exit_code == 0, added.output
    secret = added.output.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    (subscription,) = subscriptions.list_subscriptions(scenario.company)
    assert subscription.events == "track.state_changed"

    listed = runner.invoke(args=["webhooks", "list"])
    assert "Acme Mining\thttps://hooks.example.org/remedy" in listed.output
    assert secret not in listed.output

    rotated = runner.invoke(args=["webhooks", "rotate", str(subscription.id)])
    assert rotated.exit_code == 0, rotated.output
    new_secret = rotated.output.strip().splitlines()[-1]
    assert new_secret.startswith("whsec_")
    assert new_secret != secret

    off = runner.invoke(args=["webhooks", "deactivate", str(subscription.id)])
    assert off.exit_code == 0
    assert "deactivated" in runner.invoke(args=["webhooks", "list"]).output
    again = runner.invoke(args=["webhooks", "rotate", str(subscription.id)])
    assert again.exit_code != 0


def test_the_commands_refuse_what_they_cannot_do(
    runner: FlaskCliRunner, scenario: Scenario
) -> None:
    plain = ["--url", "http://hooks.example.org/"]
    nobody = runner.invoke(args=["webhooks", "add", "--org", "Nobody", "--url", "https://x.org/"])
    assert nobody.exit_code != 0
    assert "No organisation" in nobody.output
    refused = runner.invoke(args=["webhooks", "add", "--org", "Acme Mining", *plain])
    assert refused.exit_code != 0
    assert "https" in refused.output
    assert runner.invoke(args=["webhooks", "deactivate", "999"]).exit_code != 0


def test_the_delivery_log_shows_each_attempt(
    runner: FlaskCliRunner, scenario: Scenario, receiver: Receiver, worker: Worker
) -> None:
    issued = add_subscription(OPERATOR, scenario.company, receiver.url, EVERY_EVENT)
    receiver.secret = issued.secret
    receiver.answer(500)
    scenario.in_remedy(TrackKind.CAUSE)
    worker.step()

    log = runner.invoke(args=["webhooks", "log", str(issued.subscription.id)])

    assert log.exit_code == 0, log.output
    assert "track.state_changed\tpending" in log.output
    assert "attempt 1" in log.output
    assert "HTTP 500\tretry\tHTTP 500: refused" in log.output
