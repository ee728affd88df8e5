"""The audit log is append-only and tamper-evident; `flask audit verify` proves it (DESIGN.md §6).

Tampering is done the way someone holding the database password would: first drop the
append-only triggers, then change rows with plain SQL. Whatever they change, the
command exits non-zero and names the first event that no longer fits.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import Connection, delete, select, text, update
from sqlalchemy.exc import DBAPIError

from remedy.audit import log as audit
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.models import AuditChainHead, AuditEvent
from remedy.models.audit_event import GENESIS_HASH
from tests.db_tools import as_attacker

# Tampering below the models (another connection) and the dialect's append-only triggers.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]

EVENTS = 5
events_table = AuditEvent.__table__


def append(count: int, action: str = "grievance.acknowledge") -> None:
    for number in range(count):
        with atomic():
            audit.record(
                OPERATOR,
                action,
                "grievance",
                f"1000000{number}",
                before={"state": "received"},
                after={"state": "acknowledged", "step": number},
            )


@pytest.fixture
def chain(app: Flask) -> list[AuditEvent]:
    """A log of five events, as the application writes them."""
    append(EVENTS)
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def verify(runner: FlaskCliRunner) -> Result:
    db.session.expire_all()
    return runner.invoke(args=["audit", "verify"])


def broken_at(runner: FlaskCliRunner) -> int:
    """The event number `flask audit verify` names, after checking that it failed."""
    result = verify(runner)
    assert result.exit_code == 1, result.output
    match = re.search(r"Audit log BROKEN at event (\d+)", result.output)
    assert match, result.output
    return int(match.group(1))


def copy_of(event: AuditEvent, **changes: Any) -> dict[str, Any]:
    """The event's columns with some changed and its own hash recomputed to match."""
    fields = {column.name: getattr(event, column.name) for column in events_table.columns}
    fields.update(changes)
    fields["hash"] = audit.event_hash(AuditEvent(**fields))
    return fields


def rewrite(connection: Connection, number: int, **values: Any) -> None:
    connection.execute(update(events_table).where(events_table.c.seq == number).values(**values))


# An intact log ------------------------------------------------------------------------


def test_an_empty_log_verifies(app: Flask) -> None:
    report = audit.verify_chain()

    assert (report.ok, report.events, report.head_hash) == (True, 0, GENESIS_HASH)


def test_each_event_is_chained_to_the_one_before(chain: list[AuditEvent]) -> None:
    assert [event.seq for event in chain] == list(range(1, EVENTS + 1))
    assert [event.prev_hash for event in chain] == [GENESIS_HASH] + [e.hash for e in chain[:-1]]
    assert all(audit.event_hash(event) == event.hash for event in chain)


def test_recorded_events_verify(chain: list[AuditEvent]) -> None:
    report = audit.verify_chain()

    assert (report.ok, report.events, report.head_hash) == (True, EVENTS, chain[-1].hash)


def test_verify_command_exits_0_and_prints_the_head_hash(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    result = verify(runner)

    assert result.exit_code == 0, result.output
    assert f"{EVENTS} events; head hash {chain[-1].hash}" in result.output


# Tampering with the triggers dropped ------------------------------------------------------


def test_an_edited_action_is_named_by_verify(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    with as_attacker() as connection:
        rewrite(connection, 3, action="grievance.withdraw")

    assert broken_at(runner) == 3


def test_an_edited_after_is_named_by_verify(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    with as_attacker() as connection:
        rewrite(connection, 2, after={"state": "acknowledged", "step": 7})

    assert broken_at(runner) == 2


def test_an_event_deleted_from_the_middle_is_named_by_verify(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    with as_attacker() as connection:
        connection.execute(delete(events_table).where(events_table.c.seq == 3))

    assert broken_at(runner) == 3


def test_events_deleted_from_the_end_are_named_by_verify(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    with as_attacker() as connection:
        connection.execute(delete(events_table).where(events_table.c.seq >= 4))

    assert broken_at(runner) == 4


def test_an_emptied_log_is_named_by_verify(chain: list[AuditEvent], runner: FlaskCliRunner) -> None:
    with as_attacker() as connection:
        connection.execute(delete(events_table))

    assert broken_at(runner) == 1


def test_a_swapped_pair_of_events_is_named_by_verify(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    with as_attacker() as connection:
        rewrite(connection, 2, seq=-1)
        rewrite(connection, 3, seq=2)
        rewrite(connection, -1, seq=3)

    assert broken_at(runner) == 2


def test_a_forged_event_with_its_hash_recomputed_breaks_the_next_link(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    forged = copy_of(chain[2], action="grievance.withdraw")
    with as_attacker() as connection:
        rewrite(connection, 3, action=forged["action"], hash=forged["hash"])

    result = verify(runner)

    assert broken_at(runner) == 4
    assert "event 4 does not follow event 3" in result.output


def test_a_forged_last_event_with_its_hash_recomputed_is_named_by_verify(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    forged = copy_of(chain[-1], after={"state": "closed"})
    with as_attacker() as connection:
        rewrite(connection, EVENTS, after=forged["after"], hash=forged["hash"])

    assert broken_at(runner) == EVENTS


def test_an_event_inserted_past_the_chain_head_is_named_by_verify(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    extra = copy_of(chain[-1], seq=EVENTS + 1, prev_hash=chain[-1].hash, action="user.create")
    with as_attacker() as connection:
        connection.execute(events_table.insert().values(**extra))

    assert broken_at(runner) == EVENTS + 1


def test_a_rewritten_log_passes_only_with_the_head_rewritten_too(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    """Why the command says to keep the head hash elsewhere: with the head row rewritten
    as well, a consistent forgery verifies, but its head hash differs from the real one."""
    real_head = chain[-1].hash
    forged = copy_of(chain[-1], after={"state": "closed"})
    with as_attacker() as connection:
        rewrite(connection, EVENTS, after=forged["after"], hash=forged["hash"])
        connection.execute(update(AuditChainHead).values(last_hash=forged["hash"]))

    result = verify(runner)

    assert result.exit_code == 0, result.output
    assert real_head not in result.output
    assert forged["hash"] in result.output


def test_a_kept_head_hash_exposes_that_rewrite(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    kept = chain[-1].hash
    assert runner.invoke(args=["audit", "verify", "--head", kept]).exit_code == 0

    forged = copy_of(chain[-1], after={"state": "closed"})
    with as_attacker() as connection:
        rewrite(connection, EVENTS, after=forged["after"], hash=forged["hash"])
        connection.execute(update(AuditChainHead).values(last_hash=forged["hash"]))
    result = runner.invoke(args=["audit", "verify", "--head", kept])

    assert result.exit_code == 1
    assert "REWRITTEN" in result.output


def test_a_kept_head_hash_still_verifies_after_more_events(
    chain: list[AuditEvent], runner: FlaskCliRunner
) -> None:
    kept = chain[2].hash
    append(3)

    assert runner.invoke(args=["audit", "verify", "--head", kept]).exit_code == 0


# With the triggers in place ----------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'user.delete' WHERE seq = 2",
        "UPDATE audit_events SET seq = seq + 100",
        "DELETE FROM audit_events WHERE seq = 5",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_the_database_refuses_to_change_or_delete_events(
    chain: list[AuditEvent], statement: str, backend: str
) -> None:
    if statement.startswith("TRUNCATE") and backend == "sqlite":
        pytest.skip("SQLite has no TRUNCATE (DELETE covers it)")
    db.session.commit()
    with (
        pytest.raises(DBAPIError, match="the audit log is append-only"),
        db.engine.begin() as connection,
    ):
        connection.execute(text(statement))

    assert audit.verify_chain().ok
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.seq == 2)) == (
        "grievance.acknowledge"
    )


# A live log ---------------------------------------------------------------------------------


def test_verify_raises_no_alarm_for_events_appended_while_it_runs(
    app: Flask, chain: list[AuditEvent], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other processes keep appending: one event lands mid-walk, one after the walk."""
    walk = audit._events_in_order

    def append_elsewhere() -> None:
        with app.app_context():  # its own session and connection, like another worker
            append(1, "grievance.meanwhile")

    def walk_while_others_append(batch: int = 1000) -> Iterator[AuditEvent]:
        for event in walk(batch=2):
            yield event
            if event.seq == 2:
                append_elsewhere()
        append_elsewhere()

    monkeypatch.setattr(audit, "_events_in_order", walk_while_others_append)

    report = audit.verify_chain()

    assert report.ok, report.problem
    assert report.events == EVENTS + 1
    monkeypatch.undo()
    assert audit.verify_chain().events == EVENTS + 2


def test_concurrent_writers_append_one_linear_chain(app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the row lock is PostgreSQL's to prove")
    writers, each = 4, 10
    start = threading.Barrier(writers, timeout=60)  # never hang the suite if one fails
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            with app.app_context():
                start.wait()
                append(each, f"writer.{number}")
        except BaseException as exc:  # reported below, with the others
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    report = audit.verify_chain()
    assert (report.ok, report.events) == (True, writers * each), report.problem
    seqs = db.session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert seqs == list(range(1, writers * each + 1))
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert sorted(set(actions)) == [f"writer.{number}" for number in range(writers)]
