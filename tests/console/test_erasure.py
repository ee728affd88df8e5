"""Erasure on request: a protection officer asks with a reason, a second person decides;
approval erases at once, a refusal leaves everything, and each step is audited."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import intake
from remedy.core.actors import Actor
from remedy.core.errors import ConflictError
from remedy.core.extensions import db
from remedy.identity import erasure_requests
from remedy.models import AuditEvent, ErasureStatus, Grievance, GrievancePerson, Role
from tests.console.case_support import console_for, new_user, text_of
from tests.workflows.scenarios import Scenario

NAME = "Person 1-0"
REASON = "She asked by phone on 3 May to have her data erased."


@pytest.fixture
def officer(scenario: Scenario) -> Actor:
    return new_user("officer@example.org", Role.PROTECTION_OFFICER)


@pytest.fixture
def second_officer(scenario: Scenario) -> Actor:
    return new_user("second-officer@example.org", Role.PROTECTION_OFFICER)


@pytest.fixture
def withdrawn(scenario: Scenario) -> Grievance:
    grievance = scenario.file()
    intake.withdraw(scenario.complainant(grievance), grievance)
    return grievance


def actions(grievance: Grievance) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.subject_id == grievance.reference,
                AuditEvent.action.like("erasure.%") | (AuditEvent.action == "grievance.erase"),
            )
            .order_by(AuditEvent.seq)
        )
    )


def name_of(grievance: Grievance) -> str | None:
    db.session.expire_all()
    link = db.session.scalars(
        select(GrievancePerson).where(GrievancePerson.grievance_id == grievance.id)
    ).one()
    return link.person.name


def test_ask_then_a_second_person_approves_and_the_case_is_erased(
    app: Flask, officer: Actor, second_officer: Actor, withdrawn: Grievance
) -> None:
    asking = console_for(app, officer)
    assert asking.post(withdrawn, "/erasure-requests", {"reason": REASON}).status_code == 302
    (request,) = erasure_requests.requests_for(withdrawn)
    assert request.status is ErasureStatus.PENDING
    assert name_of(withdrawn) == NAME  # nothing erased before a second person decides

    deciding = console_for(app, second_officer)
    assert REASON in text_of(deciding.html(withdrawn))
    approved = deciding.post(
        withdrawn,
        f"/erasure-requests/{request.id}",
        {"decision": "approve", "erasure_version": str(request.version)},
    )

    assert approved.status_code == 302
    assert name_of(withdrawn) is None
    page = text_of(deciding.html(withdrawn))  # an erased case still renders
    assert "data in this case was erased" in page
    assert actions(withdrawn) == ["erasure.request", "erasure.approve", "grievance.erase"]


def test_the_requester_cannot_approve_their_own_request(
    app: Flask, officer: Actor, withdrawn: Grievance
) -> None:
    asking = console_for(app, officer)
    asking.post(withdrawn, "/erasure-requests", {"reason": REASON})
    (request,) = erasure_requests.requests_for(withdrawn)

    assert not asking.offers(withdrawn, f"/erasure-requests/{request.id}")
    response = asking.post(
        withdrawn,
        f"/erasure-requests/{request.id}",
        {"decision": "approve", "erasure_version": str(request.version)},
    )

    assert response.status_code == 403
    assert name_of(withdrawn) == NAME
    assert request.status is ErasureStatus.PENDING


def test_a_refusal_leaves_the_data(
    app: Flask, officer: Actor, scenario: Scenario, withdrawn: Grievance
) -> None:
    console_for(app, officer).post(withdrawn, "/erasure-requests", {"reason": REASON})
    (request,) = erasure_requests.requests_for(withdrawn)

    refused = console_for(app, scenario.supervisor).post(
        withdrawn,
        f"/erasure-requests/{request.id}",
        {"decision": "refuse", "note": "She withdrew the request.", "erasure_version": "1"},
    )

    assert refused.status_code == 302
    assert name_of(withdrawn) == NAME
    assert db.session.get(Grievance, withdrawn.id).erased_at is None  # type: ignore[union-attr]
    assert actions(withdrawn) == ["erasure.request", "erasure.refuse"]


def test_two_decisions_on_one_request_conflict(
    officer: Actor, second_officer: Actor, scenario: Scenario, withdrawn: Grievance
) -> None:
    request = erasure_requests.request_erasure(officer, withdrawn, REASON)
    shown = request.version
    erasure_requests.decide_erasure(scenario.supervisor, request, False, expected_version=shown)

    with pytest.raises(ConflictError):
        erasure_requests.decide_erasure(second_officer, request, True, expected_version=shown)


def test_an_open_case_cannot_be_erased(app: Flask, officer: Actor, scenario: Scenario) -> None:
    grievance = scenario.file()

    response = console_for(app, officer).post(grievance, "/erasure-requests", {"reason": REASON})

    assert response.status_code == 422
    assert "Only an ended case can be erased" in text_of(response.get_data(as_text=True))
    assert erasure_requests.requests_for(grievance) == []
