"""The outbox worker: what it claims, what each provider answer leads to, leases, rate, jobs.

The worker sends through the fake Twilio API over HTTP; its clock is the test's, so
backoff, leases and the send rate are checked without waiting.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from datetime import timedelta

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.identity.people import register_person
from remedy.messaging.periodic import PeriodicJob
from remedy.messaging.senders import Accepted, LogSender, Outgoing, Sender
from remedy.messaging.worker import Worker
from remedy.messaging.worker_settings import WorkerSettings
from remedy.models.audit_event import AuditEvent
from remedy.models.outbox_message import MessageChannel, MessageStatus, OutboxMessage
from tests.fake_twilio import FakeTwilio
from tests.messaging.conftest import NUMBER, Clock, MakeWorker, queue, queue_many, row


def test_drain_sends_every_due_message_once(
    fake_twilio: FakeTwilio, make_worker: MakeWorker
) -> None:
    ids = queue_many(12)

    report = make_worker(batch_size=5).drain()

    assert report.sent == 12
    assert sorted(m["Body"] for m in fake_twilio.messages) == sorted(row(i).body for i in ids)
    for outbox_id in ids:
        message = row(outbox_id)
        assert message.status is MessageStatus.SENT
        assert message.provider_id in {m["sid"] for m in fake_twilio.messages}
        assert (message.attempts, message.claimed_by, message.lease_expires_at) == (1, None, None)
        assert message.sent_at is not None
    assert make_worker().drain().sent == 0
    assert len(fake_twilio.messages) == 12


def test_a_turn_handles_a_few_inbound_messages_then_sends_their_replies(
    fake_twilio: FakeTwilio, make_worker: MakeWorker
) -> None:
    """A long inbox does not hold replies back: they go out every few messages handled."""
    replies: list[int] = []

    def busy_inbox(limit: int) -> int:
        """More pending than any turn takes; each message handled queues its reply."""
        replies.extend(queue(body=f"Reply {len(replies)}") for _ in range(limit))
        return limit

    worker = make_worker(inbox=busy_inbox, inbox_turn=3)
    worker.step()
    assert [m["Body"] for m in fake_twilio.messages] == ["Reply 0", "Reply 1", "Reply 2"]
    worker.step()
    assert len(fake_twilio.messages) == len(replies) == 6


def test_only_due_texts_and_calls_are_claimed(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    """Voice messages are placed as calls; web and console ones are never sent."""
    later = queue(available_at=clock.now + timedelta(minutes=5))
    voice = queue(MessageChannel.VOICE)
    web = queue(MessageChannel.WEB, address=None)
    console = queue(MessageChannel.CONSOLE, address=None)
    whatsapp = queue(MessageChannel.WHATSAPP)

    make_worker().drain()

    assert [m["To"] for m in fake_twilio.messages] == ["whatsapp:" + NUMBER]
    assert [call["To"] for call in fake_twilio.calls] == [NUMBER]
    assert fake_twilio.calls[0]["Url"].endswith(f"/twilio/voice/outbound?outbox={voice}")
    assert row(whatsapp).status is MessageStatus.SENT
    assert row(later).status is MessageStatus.PENDING
    assert row(voice).status is MessageStatus.SENT
    assert row(web).status is MessageStatus.STORED
    assert row(console).status is MessageStatus.STORED

    clock.advance(5 * 60)
    make_worker().drain()

    assert row(later).status is MessageStatus.SENT


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (500, None), (503, 20503)])
def test_429_and_5xx_are_retried_with_backoff_then_succeed(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock, status: int, code: int | None
) -> None:
    outbox_id = queue()
    fake_twilio.fail_next(2, status, code)
    worker = make_worker(backoff=4.0)

    worker.drain()

    first = row(outbox_id)
    assert (first.status, first.attempts) == (MessageStatus.PENDING, 1)
    assert first.last_error is not None
    assert str(status) in first.last_error
    assert 2.0 <= (first.available_at - clock.now).total_seconds() <= 4.0
    assert worker.drain().sent == 0  # not due yet

    clock.now = first.available_at
    worker.drain()

    second = row(outbox_id)
    assert (second.status, second.attempts) == (MessageStatus.PENDING, 2)
    assert 4.0 <= (second.available_at - clock.now).total_seconds() <= 8.0

    clock.now = second.available_at
    worker.drain()

    assert (row(outbox_id).status, row(outbox_id).attempts) == (MessageStatus.SENT, 3)
    assert fake_twilio.requests == 3
    assert len(fake_twilio.messages) == 1


def test_a_message_that_keeps_failing_temporarily_fails_after_the_last_attempt(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    outbox_id = queue()
    fake_twilio.fail_for(NUMBER, 503, 20503)
    worker = make_worker(max_attempts=3)

    for _ in range(3):
        worker.drain()
        clock.advance(3600)

    failed = row(outbox_id)
    assert (failed.status, failed.attempts) == (MessageStatus.FAILED, 3)
    assert failed.last_error == "HTTP 503: error 20503: provider error"
    assert fake_twilio.requests == 3
    worker.drain()
    assert fake_twilio.requests == 3


def test_a_refusal_fails_at_once_with_the_reason_and_no_retry(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    outbox_id = queue()
    fake_twilio.fail_for(NUMBER, 400, 21211, f"The 'To' number {NUMBER} is not valid.")

    make_worker().drain()
    clock.advance(86400)
    make_worker().drain()

    failed = row(outbox_id)
    assert failed.status is MessageStatus.FAILED
    assert failed.error_code == "21211"
    assert failed.last_error == "HTTP 400: error 21211: invalid recipient number"
    assert fake_twilio.requests == 1


def test_an_opted_out_recipient_fails_and_the_person_is_marked_opted_out(
    app: Flask, fake_twilio: FakeTwilio, make_worker: MakeWorker
) -> None:
    person = register_person(phone=NUMBER, language="sw")
    db.session.commit()
    outbox_id = queue(person_id=person.id)
    fake_twilio.fail_for(NUMBER, 400, 21610)

    make_worker().drain()

    failed = row(outbox_id)
    assert (failed.status, failed.error_code) == (MessageStatus.FAILED, "21610")
    assert failed.last_error == "HTTP 400: error 21610: recipient opted out (STOP)"
    db.session.refresh(person)
    assert person.phone_opted_out_at is not None
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert events.count("person.opt_out") == 1


def test_a_message_queued_before_stop_never_reaches_the_provider(
    app: Flask, fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    person = register_person(phone=NUMBER, language="en")
    db.session.commit()
    outbox_id = queue(person_id=person.id)
    person.phone_opted_out_at = clock.now
    db.session.commit()

    make_worker().drain()

    failed = row(outbox_id)
    assert (failed.status, failed.error_code) == (MessageStatus.FAILED, "opted-out")
    assert fake_twilio.requests == 0


def test_whatsapp_outside_its_window_is_sent_again_by_sms(
    fake_twilio: FakeTwilio, make_worker: MakeWorker
) -> None:
    original = queue(MessageChannel.WHATSAPP, body="Case 1234-5678: there is news.")
    fake_twilio.fail_for("whatsapp:" + NUMBER, 400, 63016)

    make_worker().drain()

    assert row(original).status is MessageStatus.FAILED
    assert row(original).error_code == "63016"
    (fallback,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.fallback_of_id == original)
    ).all()
    assert fallback.channel is MessageChannel.SMS
    assert fallback.status is MessageStatus.SENT
    assert [(m["To"], m["From"], m["Body"]) for m in fake_twilio.messages] == [
        (NUMBER, "+15005550006", "Case 1234-5678: there is news.")
    ]
    make_worker().drain()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_an_expired_lease_is_claimed_again_by_another_worker(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    """A worker that died after claiming loses nothing: its claims come back after the lease."""
    ids = queue_many(3)
    dead = make_worker(worker_id="dead")
    assert dead.claim() == ids

    survivor = make_worker(worker_id="survivor")
    assert survivor.drain().sent == 0

    clock.advance(dead.settings.lease.total_seconds())
    assert survivor.drain().sent == 3

    assert [row(i).attempts for i in ids] == [2, 2, 2]
    assert len(fake_twilio.messages) == 3
    dead.process(ids)  # it was only paused: it finds nothing of its own left to send
    assert len(fake_twilio.messages) == 3


def test_a_message_whose_workers_kept_dying_fails_after_the_last_attempt(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    outbox_id = queue()
    for _ in range(2):
        assert make_worker(max_attempts=2).claim() == [outbox_id]
        clock.advance(61)

    assert make_worker(max_attempts=2).claim() == []
    assert row(outbox_id).status is MessageStatus.FAILED
    assert fake_twilio.messages == []


class ClockedSender:
    """Wraps a sender: notes the worker's clock at each send, then lets time pass."""

    def __init__(self, inner: Sender, clock: Clock, takes: float = 0.0) -> None:
        self.inner, self.clock, self.takes = inner, clock, takes
        self.name = inner.name
        self.times: list[tuple[int, float]] = []
        self.before_each: list[object] = []

    def rate_key(self, message: Outgoing) -> str | None:
        return self.inner.rate_key(message)

    def send(self, message: Outgoing) -> Accepted:
        self.times.append((message.id, self.clock.now.timestamp()))
        for hook in self.before_each:
            hook()  # type: ignore[operator]
        self.clock.advance(self.takes)
        return self.inner.send(message)


def test_a_slow_batch_keeps_its_lease_so_no_other_worker_sends_it_too(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    ids = queue_many(6)
    slow = ClockedSender(make_worker().sender, clock, takes=25.0)  # lease 60 s, 150 s in all
    worker = make_worker(slow)
    rival = make_worker(worker_id="rival")
    rival_claims: list[int] = []
    slow.before_each.append(lambda: rival_claims.extend(rival.claim()))

    worker.drain()

    assert rival_claims == []
    assert [row(i).status for i in ids] == [MessageStatus.SENT] * 6
    assert len(fake_twilio.messages) == 6


def test_the_send_rate_holds_for_all_workers_together(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    queue_many(8)
    sender = ClockedSender(make_worker().sender, clock)
    first = make_worker(sender, rate=2.0, batch_size=4)
    second = make_worker(sender, rate=2.0, batch_size=4)

    first.process(first.claim())
    second.process(second.claim())

    times = sorted(at for _, at in sender.times)
    assert len(times) == 8
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) == pytest.approx(0.5, abs=1e-3)
    assert times[-1] - times[0] == pytest.approx(3.5, abs=1e-3)


def test_the_rate_is_per_sender(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    """SMS and WhatsApp leave from different senders: each has its own pace."""
    for _ in range(2):
        queue(MessageChannel.SMS)
        queue(MessageChannel.WHATSAPP)
    sender = ClockedSender(make_worker().sender, clock)

    make_worker(sender, rate=1.0).drain()

    assert sorted(at - sender.times[0][1] for _, at in sender.times) == [0.0, 0.0, 1.0, 1.0]


@given(attempt=st.integers(1, 40), base=st.floats(0.1, 60), cap=st.floats(1, 7200))
@settings(max_examples=60)
def test_backoff_doubles_up_to_the_cap_with_half_of_it_random(
    attempt: int, base: float, cap: float
) -> None:
    worker = Worker(LogSender(), WorkerSettings(backoff=base, backoff_max=cap))
    ceiling = min(cap, base * 2 ** (attempt - 1))

    delays = [worker.backoff(attempt) for _ in range(20)]

    assert all(ceiling / 2 <= delay <= ceiling for delay in delays)


def test_stopping_finishes_the_message_in_hand_and_hands_back_the_rest(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, clock: Clock
) -> None:
    ids = queue_many(5)
    sender = ClockedSender(make_worker().sender, clock)
    worker = make_worker(sender)
    sender.before_each.append(lambda: len(sender.times) == 2 and worker.stop.set())

    worker.drain()

    assert [row(i).status for i in ids] == [MessageStatus.SENT] * 2 + [MessageStatus.PENDING] * 3
    assert [row(i).attempts for i in ids] == [1, 1, 0, 0, 0]
    assert worker.report.released == 3
    assert make_worker().drain().sent == 3
    assert Counter(m["Body"] for m in fake_twilio.messages).most_common(1)[0][1] == 1


def test_a_sender_that_raises_unexpectedly_does_not_stop_the_batch(
    fake_twilio: FakeTwilio, make_worker: MakeWorker
) -> None:
    ids = queue_many(3)

    class Broken:
        name = "broken"

        def rate_key(self, message: Outgoing) -> str | None:
            return None

        def send(self, message: Outgoing) -> Accepted:
            if message.id == ids[1]:
                raise KeyError("bug")
            return Accepted("SM" + str(message.id), "queued")

    make_worker(Broken()).drain()

    assert [row(i).status for i in ids] == [
        MessageStatus.SENT,
        MessageStatus.PENDING,
        MessageStatus.SENT,
    ]
    assert row(ids[1]).last_error == "unexpected error: KeyError"


def test_the_log_sender_marks_messages_sent_without_a_provider(
    app: Flask, make_worker: MakeWorker, fake_twilio: FakeTwilio
) -> None:
    outbox_id = queue()

    make_worker(LogSender()).drain()

    sent = row(outbox_id)
    assert (sent.status, sent.provider_id) == (MessageStatus.SENT, None)
    assert fake_twilio.requests == 0


# Periodic jobs ----------------------------------------------------------------------------


def test_each_periodic_job_runs_once_per_interval_across_workers(
    make_worker: MakeWorker, clock: Clock
) -> None:
    runs: list[str] = []
    jobs = (PeriodicJob("tick", lambda: runs.append("tick")),)
    first, second = (make_worker(jobs=jobs, jobs_interval=timedelta(seconds=60)) for _ in "ab")

    first.run_due_jobs()
    second.run_due_jobs()
    clock.advance(59)
    first.run_due_jobs()
    second.run_due_jobs()
    assert runs == ["tick"]

    clock.advance(1)
    second.run_due_jobs()
    first.run_due_jobs()
    assert runs == ["tick", "tick"]
    assert (first.report.jobs["tick"], second.report.jobs["tick"]) == (1, 1)


def test_a_failing_job_is_logged_and_the_worker_goes_on(
    fake_twilio: FakeTwilio, make_worker: MakeWorker, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("job bug")

    queue()
    worker = make_worker(jobs=(PeriodicJob("broken", broken),))

    report = worker.drain()

    assert report.sent == 1
    assert "periodic job broken failed" in caplog.text


def test_the_deadline_job_is_a_periodic_job_of_the_worker(app: Flask, clock: Clock) -> None:
    worker = Worker(LogSender(), WorkerSettings(), clock=clock, sleep=clock.sleep)

    first = Counter(worker.drain().jobs)
    second = Counter(worker.drain().jobs)

    assert first["deadlines"] == 1
    assert second == first  # not again within the interval


@pytest.mark.commits
def test_run_sends_until_stopped(app: Flask, fake_twilio: FakeTwilio) -> None:
    """The real loop, on the real clock: it picks up what is queued while it runs."""
    worker = Worker(LogSender(), WorkerSettings(idle=0.02, rate=0), jobs=(), worker_id="looping")
    context = app.app_context

    def loop() -> None:
        with context():
            worker.run()

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        outbox_id = queue()
        for _ in range(500):
            if row(outbox_id).status is MessageStatus.SENT:
                break
            threading.Event().wait(0.01)
    finally:
        worker.stop.set()
        thread.join(5)

    assert not thread.is_alive()
    assert row(outbox_id).status is MessageStatus.SENT
