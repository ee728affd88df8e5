"""Delivery status callbacks: signed by the fake exactly as Twilio signs them, posted to
``/twilio/status?outbox=<id>``; statuses only move forward, whatever their order, and a
callback settles a message whose send was left ambiguous so it is never sent again."""

from __future__ import annotations

import itertools

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from remedy.core.extensions import db
from remedy.messaging.delivery import FINAL, RANK, record_delivery_status
from remedy.messaging.senders import Accepted, Outgoing, build_sender
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from tests.fake_twilio import FakeTwilio
from tests.messaging.conftest import NUMBER, Clock, MakeWorker, queue, row

OUR_RANK = {
    MessageStatus.PENDING: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.FAILED: 3,
}


def sent_message(make_worker: MakeWorker, fake: FakeTwilio, **fields: object) -> int:
    outbox_id = queue(**fields)  # type: ignore[arg-type]
    make_worker().drain()
    assert row(outbox_id).provider_id == fake.messages[-1]["sid"]
    return outbox_id


def test_a_signed_callback_moves_a_sent_message_to_delivered(
    callbacks_to_app: FakeTwilio, make_worker: MakeWorker
) -> None:
    outbox_id = sent_message(make_worker, callbacks_to_app)

    assert callbacks_to_app.post_status(callbacks_to_app.messages[0], "delivered") == 204

    delivered = row(outbox_id)
    assert (delivered.status, delivered.provider_status) == (MessageStatus.DELIVERED, "delivered")


def test_a_forged_callback_changes_nothing(
    callbacks_to_app: FakeTwilio, make_worker: MakeWorker
) -> None:
    outbox_id = sent_message(make_worker, callbacks_to_app)
    callbacks_to_app.auth_token = "not-the-real-token"

    assert callbacks_to_app.post_status(callbacks_to_app.messages[0], "failed", "30003") == 403

    assert row(outbox_id).status is MessageStatus.SENT


def test_read_counts_as_delivered_and_failures_keep_their_code(
    callbacks_to_app: FakeTwilio, make_worker: MakeWorker
) -> None:
    read = sent_message(make_worker, callbacks_to_app, channel=MessageChannel.WHATSAPP)
    callbacks_to_app.post_status(callbacks_to_app.messages[-1], "read")
    lost = sent_message(make_worker, callbacks_to_app)
    callbacks_to_app.post_status(callbacks_to_app.messages[-1], "undelivered", "30003")

    assert (row(read).status, row(read).provider_status) == (MessageStatus.DELIVERED, "read")
    failed = row(lost)
    assert (failed.status, failed.provider_status, failed.error_code) == (
        MessageStatus.FAILED,
        "undelivered",
        "30003",
    )
    assert failed.last_error == "error 30003: recipient unreachable"


def test_callbacks_out_of_order_never_move_a_message_back(
    callbacks_to_app: FakeTwilio, make_worker: MakeWorker
) -> None:
    outbox_id = sent_message(make_worker, callbacks_to_app)
    sent = callbacks_to_app.messages[0]

    for status in ("delivered", "sent", "sending", "queued", "failed", "delivered"):
        callbacks_to_app.post_status(sent, status, "30008" if status == "failed" else None)

    delivered = row(outbox_id)
    assert (delivered.status, delivered.provider_status) == (MessageStatus.DELIVERED, "delivered")
    assert delivered.error_code is None


statuses = st.lists(st.sampled_from([*sorted(RANK), "receiving", "bogus"]), max_size=8)


@given(sequence=statuses)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_whatever_the_order_statuses_only_move_forward(
    make_worker: MakeWorker, fake_twilio: FakeTwilio, sequence: list[str]
) -> None:
    outbox_id = queue()
    make_worker().drain()
    sid = row(outbox_id).provider_id
    assert sid is not None
    seen = [(row(outbox_id).provider_status, row(outbox_id).status)]

    for status in sequence:
        record_delivery_status(outbox_id, sid, status, "30003")
        seen.append((row(outbox_id).provider_status, row(outbox_id).status))

    for (before, ours_before), (after, ours_after) in itertools.pairwise(seen):
        assert RANK[after or "queued"] >= RANK[before or "queued"]
        assert OUR_RANK[ours_after] >= OUR_RANK[ours_before]
        if before in FINAL:
            assert after == before
    known = [RANK[status] for status in sequence if status in RANK]
    if all(rank < 3 for rank in known):  # nothing final: the furthest status seen wins
        assert RANK[seen[-1][0] or "queued"] == max([RANK["queued"], *known])


def test_unknown_ids_and_other_messages_sids_are_ignored(
    callbacks_to_app: FakeTwilio, make_worker: MakeWorker
) -> None:
    outbox_id = sent_message(make_worker, callbacks_to_app)
    other = {**callbacks_to_app.messages[0], "sid": "SM" + "f" * 32}
    nowhere = {**callbacks_to_app.messages[0]}
    nowhere["StatusCallback"] = nowhere["StatusCallback"].replace(
        f"outbox={outbox_id}", "outbox=987654"
    )
    not_a_number = {**nowhere, "StatusCallback": nowhere["StatusCallback"] + "x"}

    answers = [
        callbacks_to_app.post_status(other, "failed", "30003"),
        callbacks_to_app.post_status(nowhere, "failed", "30003"),
        callbacks_to_app.post_status(not_a_number, "failed", "30003"),
    ]

    assert all(answer < 300 or answer == 400 for answer in answers), answers
    assert row(outbox_id).status is MessageStatus.SENT


def test_callbacks_for_web_messages_are_ignored(app: Flask) -> None:
    outbox_id = queue(MessageChannel.WEB, address=None)

    record_delivery_status(outbox_id, "SM" + "1" * 32, "delivered", None)

    assert row(outbox_id).status is MessageStatus.STORED
    assert row(outbox_id).provider_id is None


def test_a_callback_settles_a_message_whose_worker_died_mid_send_so_it_is_never_resent(
    callbacks_to_app: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    """Twilio took the message but the worker died before it wrote the answer down."""
    outbox_id = queue()
    dying = make_worker(worker_id="dying")
    (claimed,) = dying.load(dying.claim())
    dying.sender.send(claimed)  # accepted by the provider ... and then the worker is killed
    assert row(outbox_id).status is MessageStatus.SENDING

    callbacks_to_app.post_status(callbacks_to_app.messages[0], "sent")

    settled = row(outbox_id)
    assert settled.status is MessageStatus.SENT
    assert settled.provider_id == callbacks_to_app.messages[0]["sid"]
    assert (settled.claimed_by, settled.lease_expires_at) == (None, None)
    clock.advance(3600)
    assert make_worker().drain().sent == 0
    assert len(callbacks_to_app.messages) == 1


def test_a_callback_settles_a_message_waiting_to_be_retried_after_a_timeout(
    app: Flask, callbacks_to_app: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    """A timeout is ambiguous: Twilio may have taken the message after all."""
    outbox_id = queue()
    callbacks_to_app.delay_next(1, 0.5)

    make_worker(build_sender({**app.config, "REMEDY_SEND_TIMEOUT_SECONDS": 0.1})).drain()
    assert row(outbox_id).status is MessageStatus.PENDING
    callbacks_to_app.wait_for(lambda: len(callbacks_to_app.messages) == 1)

    callbacks_to_app.post_status(callbacks_to_app.messages[0], "delivered")

    assert row(outbox_id).status is MessageStatus.DELIVERED
    clock.advance(3600)
    assert make_worker().drain().sent == 0
    assert len(callbacks_to_app.messages) == 1


def test_the_workers_late_answer_does_not_undo_what_a_callback_settled(
    callbacks_to_app: FakeTwilio, make_worker: MakeWorker
) -> None:
    outbox_id = queue()
    worker = make_worker()

    class CallbackFirst:
        """Twilio's callback reaches the app before its API answer reaches the worker."""

        name = "twilio"

        def rate_key(self, message: Outgoing) -> str | None:
            return None

        def send(self, message: Outgoing) -> Accepted:
            accepted = worker_sender.send(message)
            callbacks_to_app.post_status(callbacks_to_app.messages[-1], "delivered")
            return accepted

    worker_sender = worker.sender
    worker.sender = CallbackFirst()

    worker.drain()

    assert worker.report.superseded == 1
    delivered = row(outbox_id)
    assert (delivered.status, delivered.provider_status) == (MessageStatus.DELIVERED, "delivered")


def test_whatsapp_failing_outside_its_window_after_acceptance_goes_again_by_sms(
    callbacks_to_app: FakeTwilio, make_worker: MakeWorker
) -> None:
    """63016 usually comes in the callback, after Twilio accepted the message."""
    original = sent_message(make_worker, callbacks_to_app, channel=MessageChannel.WHATSAPP)

    callbacks_to_app.post_status(callbacks_to_app.messages[0], "failed", "63016")
    callbacks_to_app.post_status(callbacks_to_app.messages[0], "failed", "63016")  # retried
    make_worker().drain()

    assert row(original).status is MessageStatus.FAILED
    fallbacks = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.fallback_of_id == original)
    ).all()
    assert [(f.channel, f.status) for f in fallbacks] == [(MessageChannel.SMS, MessageStatus.SENT)]
    assert [m["To"] for m in callbacks_to_app.messages] == ["whatsapp:" + NUMBER, NUMBER]


def test_a_message_the_worker_gave_up_on_is_not_revived_by_a_foreign_callback(
    app: Flask,
) -> None:
    outbox_id = queue()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == outbox_id)
        .values(status=MessageStatus.FAILED, last_error="HTTP 400: error 21211")
    )
    db.session.commit()

    record_delivery_status(outbox_id, "SM" + "2" * 32, "delivered", None)

    assert row(outbox_id).status is MessageStatus.FAILED


@pytest.mark.parametrize("status", ["", "   ", "DELIVERED"])
def test_status_words_are_read_loosely_but_never_crash(
    make_worker: MakeWorker, fake_twilio: FakeTwilio, status: str
) -> None:
    outbox_id = queue()
    make_worker().drain()
    sid = row(outbox_id).provider_id
    assert sid is not None

    record_delivery_status(outbox_id, sid, status, None)

    expected = MessageStatus.DELIVERED if status.strip() else MessageStatus.SENT
    assert row(outbox_id).status is expected
