"""Internal notes: written by the team, audited, encrypted, never sent."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from remedy.cases import notes
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.models import AuditEvent, InternalNote
from remedy.models.outbox_message import OutboxMessage
from tests.console.case_support import console_for, text_of
from tests.workflows.scenarios import Scenario

NOTE = "The guard at gate 3 was seen at her house."


def outbox_count() -> int:
    return int(db.session.scalar(select(func.count(OutboxMessage.id))) or 0)


def test_a_note_is_saved_audited_and_never_sent(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file()
    handler = console_for(app, scenario.handler)
    queued = outbox_count()

    response = handler.post(grievance, "/notes", {"note": NOTE})

    assert response.status_code == 302
    page = text_of(handler.html(grievance))
    assert NOTE in page
    assert "It is never sent to anyone." in page
    assert outbox_count() == queued
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "note.add"))
    assert event.subject_id == grievance.reference
    assert NOTE not in str(event.after)  # the event names the note, never its text
    stored = db.session.execute(text("SELECT text FROM internal_notes")).scalar_one()
    assert b"gate 3" not in bytes(stored)


def test_an_empty_or_huge_note_is_refused(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file()
    handler = console_for(app, scenario.handler)

    empty = handler.post(grievance, "/notes", {"note": "   "})
    huge = handler.post(grievance, "/notes", {"note": "x" * 5001})

    assert empty.status_code == 422
    assert "Write the note first." in text_of(empty.get_data(as_text=True))
    assert huge.status_code == 422
    assert db.session.scalar(select(func.count(InternalNote.id))) == 0


def test_readers_who_change_nothing_write_no_note(scenario: Scenario) -> None:
    grievance = scenario.file()

    with pytest.raises(NotAllowed):
        notes.add_note(scenario.auditor, grievance, NOTE)
    with pytest.raises(NotAllowed):
        notes.add_note(scenario.proxy, grievance, NOTE)
    with pytest.raises(InvalidInput):
        notes.add_note(scenario.handler, grievance, "")
    assert notes.notes_for(scenario.proxy, grievance) == []
