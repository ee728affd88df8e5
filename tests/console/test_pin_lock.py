"""Lifting a PIN lock with the person present: the mechanism's team only, with who came
and how they were recognised (an internal note), audited; the lock's streak goes too."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.access.case_access import MAX_FAILURES, CaseNotFound, open_case
from remedy.access.unlock import unlock_with_person_present
from remedy.core.errors import NotAllowed
from remedy.core.extensions import db
from remedy.models import AuditEvent, InternalNote
from remedy.models.grievance import Grievance
from remedy.models.pin_lockout import PinLockout
from tests.console.case_support import console_for, text_of
from tests.workflows.scenarios import Scenario


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_PIN_LOOKUP_RATE_LIMIT": "1000 per hour"}


def locked(grievance: Grievance) -> Grievance:
    for attempt in range(MAX_FAILURES):
        with pytest.raises(CaseNotFound):
            open_case(grievance.reference, "000000", f"web:10.2.2.{attempt}")
    return grievance


@pytest.mark.postgres
def test_the_team_sees_the_lock_and_lifts_it_with_a_reason(app: Flask, scenario: Scenario) -> None:
    grievance = locked(scenario.file())
    handler = console_for(app, scenario.handler)
    assert "Locked after wrong PINs" in handler.html(grievance)

    response = handler.post(
        grievance, "/pin-lock/lift", {"reason": "Amina came to the office; ID card checked."}
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PinLockout, grievance.reference) is None
    (event,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "pin_lockout.unlock")
    )
    assert event.subject_id == grievance.reference
    assert "ID card" not in str(event.after)  # the words are in the note only
    note = db.session.get(InternalNote, event.after["note_id"])
    assert note is not None
    assert "ID card checked" in note.text
    assert "Locked after wrong PINs" not in handler.html(grievance)


def test_a_reason_is_required(app: Flask, scenario: Scenario) -> None:
    grievance = locked(scenario.file())
    response = console_for(app, scenario.handler).post(grievance, "/pin-lock/lift", {})
    assert response.status_code == 422
    assert "Say who came" in text_of(response.get_data(as_text=True))
    assert db.session.get(PinLockout, grievance.reference) is not None


def test_a_case_that_is_not_locked_is_not_unlocked(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file()
    handler = console_for(app, scenario.handler)
    assert not handler.offers(grievance, "/pin-lock/lift")
    response = handler.post(grievance, "/pin-lock/lift", {"reason": "She came."})
    assert response.status_code == 422
    assert "not locked" in text_of(response.get_data(as_text=True))


def test_an_organisations_staff_may_not_lift_a_lock(scenario: Scenario) -> None:
    """The accused could otherwise lift the locks that protect the people's cases."""
    grievance = locked(scenario.file())
    with pytest.raises(NotAllowed):
        unlock_with_person_present(scenario.company_handler, grievance, "She came.")
    assert db.session.get(PinLockout, grievance.reference) is not None
