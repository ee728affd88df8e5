"""Signed webhooks delivered by the worker to a real receiving server: the signature as
documented, retries with backoff after 5xx, timeouts and network errors, giving up after
the last attempt, 4xx failing at once, and the delivery log of every attempt."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from remedy.cases.triggers import fire
from remedy.core.actors import OPERATOR
from remedy.core.errors import ServiceError
from remedy.messaging import webhook_claims
from remedy.messaging.webhook_sender import Outcome, Posted
from remedy.messaging.worker import Worker
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.webhook import DeliveryStatus, WebhookEvent
from remedy.webhooks.subscriptions import deactivate, rotate_secret
from tests.messaging.conftest import Clock
from tests.webhooks.conftest import BACKOFF, MAX_ATTEMPTS, Subscribe, attempts, deliveries
from tests.webhooks.receiver import Receiver
from tests.workflows.scenarios import Scenario


def company_case(scenario: Scenario, subscribe: Subscribe) -> InvolvementTrack:
    """The company listens; a case is classified with a track for it: one change to tell
    (the company had no part in the case before its track opened)."""
    subscribe(scenario.company)
    _, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    return track


def test_a_state_change_reaches_the_receiver_signed_as_documented(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker
) -> None:
    track = company_case(scenario, subscribe)
    (delivery,) = deliveries()

    worker.step()

    (received,) = receiver.received
    assert worker.report.webhooks == 1
    assert received.verified
    assert received.headers["X-Remedy-Event"] == "track.state_changed"
    assert received.headers["X-Remedy-Delivery"] == str(delivery.id)
    assert received.headers["X-Remedy-Signature"].startswith("sha256=")
    assert received.headers["X-Remedy-Timestamp"].isdigit()
    assert received.headers["Content-Type"] == "application/json"
    document = received.json
    assert document["event"] == WebhookEvent.TRACK_STATE_CHANGED.value
    assert document["change"] == {
        "subject": "track",
        "track_id": track.id,
        "from": None,
        "to": track.state,
    }
    assert document["grievance"]["reference"] == track.grievance.reference
    assert document["grievance"]["state"] == "in_remedy"
    (delivery,) = deliveries()
    assert delivery.status is DeliveryStatus.DELIVERED
    assert delivery.delivered_at is not None
    ((attempt),) = attempts(delivery)
    assert (attempt.attempt, attempt.status_code, attempt.outcome) == (1, 200, "delivered")


def test_a_500_is_retried_after_a_backoff_and_then_delivered(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker, clock: Clock
) -> None:
    company_case(scenario, subscribe)
    receiver.answer(500)

    worker.step()
    (delivery,) = deliveries()
    assert delivery.status is DeliveryStatus.PENDING
    assert delivery.last_status_code == 500
    assert delivery.available_at > clock.now  # waits out its backoff

    worker.step()  # not due yet: nothing is posted
    assert len(receiver.received) == 1

    clock.advance(BACKOFF + 1)
    worker.step()

    (delivery,) = deliveries()
    assert delivery.status is DeliveryStatus.DELIVERED
    log = [(row.attempt, row.status_code, row.outcome) for row in attempts(delivery)]
    assert log == [(1, 500, "retry"), (2, 200, "delivered")]
    assert all(request.verified for request in receiver.received)
    # The same delivery id both times: the receiver can tell a retry from a new event.
    assert {request.headers["X-Remedy-Delivery"] for request in receiver.received} == {
        str(delivery.id)
    }


def test_it_gives_up_after_the_last_attempt(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker, clock: Clock
) -> None:
    company_case(scenario, subscribe)
    receiver.answer(*[503] * MAX_ATTEMPTS, 200)

    for _ in range(MAX_ATTEMPTS + 2):
        worker.step()
        clock.advance(120)

    (delivery,) = deliveries()
    assert delivery.status is DeliveryStatus.FAILED
    assert len(receiver.received) == MAX_ATTEMPTS
    outcomes = [row.outcome for row in attempts(delivery)]
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    assert delivery.last_error == "HTTP 503: refused"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, DeliveryStatus.FAILED),
        (404, DeliveryStatus.FAILED),
        (410, DeliveryStatus.FAILED),
        (301, DeliveryStatus.FAILED),  # redirects are never followed
        (408, DeliveryStatus.PENDING),
        (429, DeliveryStatus.PENDING),
        (502, DeliveryStatus.PENDING),
    ],
)
def test_a_4xx_fails_at_once_but_408_and_429_are_retried(
    scenario: Scenario,
    subscribe: Subscribe,
    receiver: Receiver,
    worker: Worker,
    status: int,
    expected: DeliveryStatus,
) -> None:
    company_case(scenario, subscribe)
    receiver.answer(status)

    worker.step()

    (delivery,) = deliveries()
    assert delivery.status is expected
    (attempt,) = attempts(delivery)
    assert attempt.status_code == status
    assert len(receiver.received) == 1


def test_a_receiver_too_slow_to_answer_is_a_timeout_tried_again(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker
) -> None:
    company_case(scenario, subscribe)
    receiver.delay = 1.5  # the worker waits 0.5 s (REMEDY_WEBHOOK_TIMEOUT_SECONDS)

    worker.step()

    (delivery,) = deliveries()
    assert delivery.status is DeliveryStatus.PENDING
    (attempt,) = attempts(delivery)
    assert (attempt.status_code, attempt.error, attempt.outcome) == (None, "timeout", "retry")


def test_a_receiver_that_is_down_is_a_network_error_tried_again(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker
) -> None:
    company_case(scenario, subscribe)
    receiver.server.shutdown()
    receiver.server.server_close()  # nothing listens on the port any more

    worker.step()

    (delivery,) = deliveries()
    assert delivery.status is DeliveryStatus.PENDING
    (attempt,) = attempts(delivery)
    assert attempt.error is not None
    assert attempt.error.startswith("network error")


def test_a_receiver_holding_another_secret_refuses_the_delivery(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker
) -> None:
    company_case(scenario, subscribe)
    receiver.secret = "whsec_not-the-one-remedy-holds"

    worker.step()

    (received,) = receiver.received
    assert not received.verified
    (delivery,) = deliveries()
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.last_status_code == 401


def test_after_a_rotation_deliveries_are_signed_with_the_new_secret(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker
) -> None:
    issued = subscribe(scenario.company)
    scenario.in_remedy(TrackKind.CAUSE)
    rotated = rotate_secret(OPERATOR, issued.subscription.id)
    assert rotated.secret != issued.secret

    worker.step()  # the receiver still holds the old secret
    assert not receiver.received[-1].verified

    receiver.secret = rotated.secret
    scenario.in_remedy(TrackKind.CAUSE)
    worker.step()
    assert receiver.received[-1].verified


def test_a_deactivated_subscription_hears_nothing_more(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker
) -> None:
    issued = subscribe(scenario.company)
    scenario.in_remedy(TrackKind.CAUSE)
    deactivate(OPERATOR, issued.subscription.id)
    scenario.in_remedy(TrackKind.CAUSE)

    worker.step()

    assert receiver.received == []
    (waiting,) = deliveries()  # the one written before: failed, never posted
    assert waiting.status is DeliveryStatus.FAILED
    assert waiting.last_error == "subscription deactivated"


def test_a_change_that_is_refused_writes_no_delivery(
    scenario: Scenario, subscribe: Subscribe
) -> None:
    subscribe(scenario.company)
    _grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    before = len(deliveries())

    with pytest.raises(ServiceError):
        fire(track, "verify_remedy", scenario.partner_handler)

    assert len(deliveries()) == before


def documented_verify() -> Callable[..., bool]:
    """The verification snippet of docs/webhooks.md, run as written."""
    text = (Path(__file__).parents[2] / "docs" / "webhooks.md").read_text()
    (snippet,) = [
        block for block in re.findall(r"```python\n(.*?)```", text, re.S) if "def verify" in block
    ]
    namespace: dict[str, Any] = {}
    exec(snippet, namespace)  # noqa: S102 - our own documentation
    verify: Callable[..., bool] = namespace["verify"]
    return verify


def test_the_snippet_in_the_docs_verifies_a_real_delivery_and_refuses_a_forgery(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker
) -> None:
    issued = subscribe(scenario.company)
    scenario.in_remedy(TrackKind.CAUSE)
    worker.step()
    (received,) = receiver.received
    verify = documented_verify()

    assert verify(issued.secret, received.headers, received.body)
    assert not verify("whsec_another", received.headers, received.body)
    assert not verify(issued.secret, received.headers, received.body.replace(b"}", b" }", 1))
    stale = {**received.headers, "X-Remedy-Timestamp": "1000000000"}
    assert not verify(issued.secret, stale, received.body)


def test_a_claimed_delivery_waits_for_its_lease_and_a_lost_claim_writes_nothing(
    scenario: Scenario, subscribe: Subscribe, clock: Clock
) -> None:
    company_case(scenario, subscribe)
    (delivery,) = deliveries()
    now, lease = clock.now, timedelta(seconds=60)

    assert webhook_claims.claim("worker-a", now, 5, now + lease, MAX_ATTEMPTS) == [delivery.id]
    assert webhook_claims.claim("worker-b", now, 5, now + lease, MAX_ATTEMPTS) == []
    later = now + lease + timedelta(seconds=1)  # worker A died: its lease ran out
    assert webhook_claims.claim("worker-b", later, 5, later + lease, MAX_ATTEMPTS) == [delivery.id]

    late = webhook_claims.record(
        "worker-a", delivery.id, 1, Posted(Outcome.DELIVERED, 200), now, later, None
    )
    assert not late
    (delivery,) = deliveries()
    assert (delivery.status, delivery.claimed_by, delivery.attempts) == (
        DeliveryStatus.SENDING,
        "worker-b",
        2,
    )
    assert attempts(delivery) == []
