"""Administrators manage webhooks in the console: add one and see its secret once,
rotate it, deactivate it, read the delivery log; nobody else reaches these pages."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from remedy.core.actors import OPERATOR
from remedy.messaging.worker import Worker
from remedy.models import Role, TrackKind
from remedy.webhooks.subscriptions import add_subscription, get_subscription, list_subscriptions
from tests.support import Account, make_account, sign_in, submit_form
from tests.webhooks.conftest import EVERY_EVENT
from tests.webhooks.receiver import Receiver
from tests.workflows.scenarios import Scenario

PAGE = "/console/webhooks/"
SECRET = re.compile(r"whsec_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def admin_client(app: Flask, client: FlaskClient) -> FlaskClient:
    admin: Account = make_account("admin@example.org", Role.ADMIN)
    sign_in(client, admin)
    return client


def test_the_admin_adds_a_webhook_and_sees_its_secret_once(
    admin_client: FlaskClient, scenario: Scenario
) -> None:
    response = submit_form(
        admin_client,
        PAGE,
        {
            "organisation": str(scenario.partner.id),
            "url": "https://hooks.rift.example/remedy",
            "events": "track.state_changed",
        },
    )

    assert response.status_code == 201
    shown = SECRET.findall(response.get_data(as_text=True))
    assert len(set(shown)) == 1
    (subscription,) = list_subscriptions(scenario.partner)
    assert subscription.secret == shown[0]
    assert subscription.events == "track.state_changed"
    assert response.headers["Cache-Control"] == "no-store"
    again = admin_client.get(PAGE).get_data(as_text=True)
    assert "hooks.rift.example" in again
    assert not SECRET.search(again)


def test_a_plain_http_address_is_refused_with_the_reason(
    admin_client: FlaskClient, scenario: Scenario
) -> None:
    response = submit_form(
        admin_client,
        PAGE,
        {
            "organisation": str(scenario.company.id),
            "url": "http://hooks.acme.example/",
            "events": "grievance.state_changed",
        },
    )

    assert response.status_code == 400
    assert "Webhooks are sent only over https." in response.get_data(as_text=True)
    assert list_subscriptions(scenario.company) == []


def test_the_admin_rotates_the_secret_and_deactivates_the_webhook(
    admin_client: FlaskClient, scenario: Scenario
) -> None:
    issued = add_subscription(OPERATOR, scenario.company, "https://h.acme.example/", EVERY_EVENT)
    number = issued.subscription.id

    rotated = submit_form(admin_client, PAGE, {}, f"{PAGE}{number}/rotate")
    assert rotated.status_code == 200
    (new_secret,) = set(SECRET.findall(rotated.get_data(as_text=True)))
    assert new_secret != issued.secret
    assert get_subscription(number).secret == new_secret

    off = submit_form(admin_client, PAGE, {}, f"{PAGE}{number}/deactivate")
    assert off.status_code == 302
    assert not get_subscription(number).is_active
    assert "Rotate the secret" not in admin_client.get(PAGE).get_data(as_text=True)


def test_the_delivery_log_shows_each_attempt(
    admin_client: FlaskClient,
    scenario: Scenario,
    receiver: Receiver,
    worker: Worker,
) -> None:
    issued = add_subscription(OPERATOR, scenario.company, receiver.url, EVERY_EVENT)
    receiver.secret = issued.secret
    receiver.answer(503)
    scenario.in_remedy(TrackKind.CAUSE)
    worker.step()

    page = admin_client.get(f"{PAGE}{issued.subscription.id}/log")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "track.state_changed" in html
    assert "HTTP 503: refused" in html
    assert "<td>503</td>" in html
    assert issued.secret not in html


@pytest.mark.parametrize("role", [Role.HANDLER, Role.SUPERVISOR, Role.AUDITOR])
def test_only_administrators_reach_the_webhook_pages(
    app: Flask, client: FlaskClient, scenario: Scenario, role: Role
) -> None:
    sign_in(client, make_account(f"{role.value}-x@example.org", role))
    issued = add_subscription(OPERATOR, scenario.company, "https://h.acme.example/", EVERY_EVENT)

    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}{issued.subscription.id}/log").status_code == 403
    assert client.post(f"{PAGE}{issued.subscription.id}/rotate").status_code in (400, 403)
    assert get_subscription(issued.subscription.id).secret == issued.secret


def test_an_unknown_webhook_is_a_404(admin_client: FlaskClient) -> None:
    assert admin_client.get(f"{PAGE}999/log").status_code == 404
