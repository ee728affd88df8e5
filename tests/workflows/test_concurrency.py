"""Two sessions fire triggers on one grievance at the same time: exactly one commits, the other
gets a clear ``ConflictError``; never a lost update, never two audit events for one decision.

Each racer runs in its own thread with its own application context, so its own database
session and connection. Both load the grievance (and the track they act on) first and
meet at a barrier, so both hold the same version when they fire. ``fire`` touches the
grievance row on every trigger, also on a track, and the grievance's version column turns
the second commit into ``StaleDataError``, which the unit of work reports as a conflict.

On PostgreSQL the loser's ``UPDATE ... WHERE version = n`` waits for the winner's row lock
(when the winner has not committed yet), then matches no row. On SQLite (WAL,
``busy_timeout``) the database lock serialises the two writers instead: the loser waits
for the winner's commit, then its own ``UPDATE`` matches no row either. So the same
assertions hold on both backends, and these tests run on both rather than skipping SQLite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from remedy.audit.log import verify_chain
from remedy.cases import check_ins, intake, tracks
from remedy.core.errors import ConflictError
from remedy.core.extensions import db
from remedy.models import (
    Answer,
    AuditEvent,
    CheckIn,
    Grievance,
    InvolvementTrack,
    OutboxMessage,
    TrackKind,
)
from tests.workflows.scenarios import Scenario

# Several sessions race for one row: real commits, and the locking is the dialect's.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]

Fire = Callable[[], object]
# Runs in the racer's own session: loads what it acts on, returns the call that fires.
Prepare = Callable[[], Fire]


@dataclass
class Racer:
    name: str
    prepare: Prepare
    seen_version: int | None = None
    outcome: str = "not run"
    error: BaseException | None = None
    events: list[str] = field(default_factory=list)


def race(app: Flask, grievance_id: int, *racers: Racer) -> None:
    """Run the racers at once, each in its own thread, app context and session."""
    barrier = threading.Barrier(len(racers), timeout=20)

    def run(racer: Racer) -> None:
        with app.app_context():
            try:
                fire = racer.prepare()
                grievance = db.session.get(Grievance, grievance_id)
                assert grievance is not None
                racer.seen_version = grievance.version
                barrier.wait()  # both have loaded the same version
                fire()
                racer.outcome = "committed"
            except ConflictError as error:
                racer.outcome, racer.error = "conflict", error
            except BaseException as error:
                racer.outcome, racer.error = "failed", error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racer is stuck"
    db.session.expire_all()


def audit_actions(grievance: Grievance) -> list[str]:
    """Workflow events on this grievance and its tracks, in order."""
    subjects = [grievance.reference, *(str(track.id) for track in grievance.tracks)]
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.subject_id.in_(subjects))
            .order_by(AuditEvent.seq)
        )
    )


def count_messages(grievance: Grievance) -> int:
    return (
        db.session.scalar(select(func.count()).where(OutboxMessage.grievance_id == grievance.id))
        or 0
    )


def one_winner(racers: tuple[Racer, ...]) -> tuple[Racer, Racer]:
    first, second = racers
    assert first.seen_version == second.seen_version, "the racers did not start together"
    outcomes = sorted(racer.outcome for racer in racers)
    failures = [racer.error for racer in racers if racer.outcome == "failed"]
    assert not failures, f"a racer failed instead of conflicting: {failures!r}"
    assert outcomes == ["committed", "conflict"], outcomes
    winner = first if first.outcome == "committed" else second
    loser = second if winner is first else first
    assert isinstance(loser.error, ConflictError)
    assert "Someone else changed this case" in str(loser.error)
    return winner, loser


@pytest.fixture
def setting(app: Flask, scenario: Scenario) -> Iterator[tuple[Flask, Scenario]]:
    yield app, scenario
    assert verify_chain().ok


def load_grievance(grievance_id: int) -> Grievance:
    grievance = db.session.get(Grievance, grievance_id)
    assert grievance is not None
    return grievance


def load_track(track_id: int) -> InvolvementTrack:
    track = db.session.get(InvolvementTrack, track_id)
    assert track is not None
    track.grievance.tracks  # noqa: B018 - loaded now, like a request showing the case
    return track


def test_two_triggers_on_one_grievance(setting: tuple[Flask, Scenario]) -> None:
    app, s = setting
    grievance = s.file()
    gid, version, messages = grievance.id, grievance.version, count_messages(grievance)
    before = audit_actions(grievance)

    def accepting() -> Fire:
        loaded = load_grievance(gid)
        return lambda: intake.accept(s.handler, loaded)

    def asking() -> Fire:
        loaded = load_grievance(gid)
        return lambda: intake.request_info(s.supervisor, loaded, "Where exactly is the fence?")

    racers = (Racer("accept", accepting), Racer("request_info", asking))
    race(app, gid, *racers)
    winner, _loser = one_winner(racers)

    grievance = load_grievance(gid)
    expected = {"accept": "assessment", "request_info": "awaiting_complainant"}
    assert grievance.state == expected[winner.name]
    assert grievance.version == version + 1
    assert audit_actions(grievance) == [*before, f"intake.{winner.name}"]
    assert count_messages(grievance) == messages + 1  # one recipient, the winner's message


def test_the_same_trigger_twice_is_taken_once(setting: tuple[Flask, Scenario]) -> None:
    """Two handlers accept at the same moment: one decision, one audit event, one message."""
    app, s = setting
    grievance = s.file()
    gid, messages = grievance.id, count_messages(grievance)
    before = audit_actions(grievance)

    def accepting_as(actor: Any) -> Prepare:
        def prepare() -> Fire:
            loaded = load_grievance(gid)
            return lambda: intake.accept(actor, loaded)

        return prepare

    racers = (Racer("handler", accepting_as(s.handler)), Racer("sup", accepting_as(s.supervisor)))
    race(app, gid, *racers)
    one_winner(racers)

    grievance = load_grievance(gid)
    assert grievance.state == "assessment"
    assert audit_actions(grievance) == [*before, "intake.accept"]
    assert count_messages(grievance) == messages + 1


def test_two_triggers_on_two_tracks_of_one_grievance(setting: tuple[Flask, Scenario]) -> None:
    """Different tracks, different organisations: still one grievance, so still a conflict;
    the loser reloads and fires again, and both changes are kept."""
    app, s = setting
    grievance, (cause, linked) = s.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    s.propose(cause)
    gid, cause_id, linked_id = grievance.id, cause.id, linked.id
    version = load_grievance(gid).version
    complainant = s.complainant(grievance)

    def accepting() -> Fire:
        track = load_track(cause_id)
        return lambda: tracks.accept_proposal(complainant, track)

    def escalating() -> Fire:
        track = load_track(linked_id)
        return lambda: tracks.escalate(s.handler, track, "No answer from the partner in 60 days.")

    racers = (Racer("accept_proposal", accepting), Racer("escalate", escalating))
    race(app, gid, *racers)
    winner, loser = one_winner(racers)

    states = {"accept_proposal": "implementing", "escalate": "escalated"}
    first_states = {"accept_proposal": "proposed", "escalate": "engaging"}
    ids = {"accept_proposal": cause_id, "escalate": linked_id}
    winner_track = db.session.get(InvolvementTrack, ids[winner.name])
    loser_track = db.session.get(InvolvementTrack, ids[loser.name])
    assert winner_track is not None
    assert loser_track is not None
    assert winner_track.state == states[winner.name]
    assert loser_track.state == first_states[loser.name], "the loser's change was half-kept"
    assert load_grievance(gid).version == version + 1

    # The loser was told to reload and try again: that works, and nothing is lost.
    retry = loser.prepare()
    retry()
    db.session.expire_all()
    assert {t.id: t.state for t in load_grievance(gid).tracks} == {
        cause_id: "implementing",
        linked_id: "escalated",
    }
    assert load_grievance(gid).version == version + 2


def test_the_last_two_answers_of_a_round_arriving_at_once(setting: tuple[Flask, Scenario]) -> None:
    """Two affected people confirm delivery at the same moment. Without the conflict, each
    would see the other's answer missing and the track would wait forever; with it, the
    second answer is retried and closes the round."""
    app, s = setting
    grievance, (track,) = s.in_remedy(TrackKind.CAUSE, people=2)
    s.verify(track)
    gid, track_id = grievance.id, track.id
    questions = [c.id for c in s.open_check_ins(track)]
    assert len(questions) == 2

    def answering(check_in_id: int) -> Prepare:
        def prepare() -> Fire:
            load_track(track_id)
            check_in = db.session.get(CheckIn, check_in_id)
            assert check_in is not None
            who = s.complainant(check_in.track.grievance, check_in.person_id)
            return lambda: check_ins.answer_check_in(who, check_in, Answer.YES)

        return prepare

    racers = (Racer("first", answering(questions[0])), Racer("second", answering(questions[1])))
    race(app, gid, *racers)
    _winner, loser = one_winner(racers)

    track = load_track(track_id)
    assert track.state == "verifying"  # one answer in, one to go
    loser.prepare()()
    db.session.expire_all()
    track = load_track(track_id)
    assert track.state == "remedied"
    assert track.grievance.state == "resolved"


def test_a_stale_form_is_refused_with_a_conflict(setting: tuple[Flask, Scenario]) -> None:
    """The console sends the version it showed; a change since then means a conflict."""
    _app, s = setting
    grievance = s.file()
    shown = grievance.version
    intake.request_info(s.handler, grievance, "Where exactly is the fence?")
    intake.provide_information(s.complainant(grievance), grievance, "By the river.")
    before = audit_actions(grievance)
    with pytest.raises(ConflictError):
        intake.accept(s.supervisor, grievance, expected_version=shown)
    db.session.expire_all()
    assert grievance.state == "screening"
    assert audit_actions(grievance) == before
