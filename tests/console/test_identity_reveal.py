"""Revealing a withheld identity: a protection officer asks with a reason, a second person
decides, the reveal lasts a short while for the requester alone, and every step is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text

from remedy.core.actors import Actor
from remedy.core.errors import ConflictError, InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.identity import reveals as identity_reveals
from remedy.identity.visibility import may_see_identity
from remedy.models import AuditEvent, Grievance, IdentityReveal, RevealStatus, Role, TrackKind
from remedy.models.types import utcnow
from tests.console.case_support import Console, console_for, new_user, text_of
from tests.workflows.scenarios import Scenario

NAME = "Person 1-0"
PHONE = "+254700010000"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_REVEAL_MINUTES": 20}


@pytest.fixture
def officer(scenario: Scenario) -> Actor:
    return new_user("officer@example.org", Role.PROTECTION_OFFICER)


@pytest.fixture
def second_officer(scenario: Scenario) -> Actor:
    return new_user("second-officer@example.org", Role.PROTECTION_OFFICER)


@pytest.fixture
def withheld(scenario: Scenario) -> Grievance:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE, identity_withheld=True)
    return grievance


def actions(grievance: Grievance) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.subject_id == grievance.reference, AuditEvent.action.like("identity.%")
            )
            .order_by(AuditEvent.seq)
        )
    )


def shows_identity(console: Console, grievance: Grievance) -> bool:
    page = text_of(console.html(grievance))
    return NAME in page and PHONE in page


def test_ask_approve_see_for_a_while_then_nothing(
    app: Flask, scenario: Scenario, officer: Actor, second_officer: Actor, withheld: Grievance
) -> None:
    asking = console_for(app, officer)
    assert not shows_identity(asking, withheld)

    asked = asking.post(withheld, "/identity-reveals", {"reason": "He reports threats by guards."})
    assert asked.status_code == 302
    (reveal,) = identity_reveals.reveals_for(withheld)
    assert reveal.status is RevealStatus.PENDING
    assert not shows_identity(asking, withheld)  # not before a second person decides

    deciding = console_for(app, second_officer)
    assert "He reports threats by guards." in text_of(deciding.html(withheld))
    approved = deciding.post(
        withheld,
        f"/identity-reveals/{reveal.id}",
        {"decision": "approve", "reveal_version": str(reveal.version)},
    )
    assert approved.status_code == 302

    assert shows_identity(asking, withheld)
    assert "Identity revealed to you until" in text_of(asking.html(withheld))
    db.session.refresh(reveal)
    assert reveal.expires_at is not None
    assert timedelta(minutes=19) < reveal.expires_at - utcnow() <= timedelta(minutes=20)
    # Only the one who asked: not the approver, not the case workers.
    assert not shows_identity(deciding, withheld)
    assert not shows_identity(console_for(app, scenario.handler), withheld)

    reveal.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert not shows_identity(asking, withheld)

    assert actions(withheld) == [
        "identity.request",
        "identity.approve",
        "identity.view",
        "identity.view",
    ]


def test_a_refused_request_reveals_nothing(
    app: Flask, scenario: Scenario, officer: Actor, withheld: Grievance
) -> None:
    reveal = identity_reveals.request_reveal(officer, withheld, "To call him back.")
    supervisor = console_for(app, scenario.supervisor)

    refused = supervisor.post(
        withheld,
        f"/identity-reveals/{reveal.id}",
        {"decision": "refuse", "note": "Write instead.", "reveal_version": str(reveal.version)},
    )

    assert refused.status_code == 302
    db.session.refresh(reveal)
    assert reveal.status is RevealStatus.REFUSED
    assert not shows_identity(console_for(app, officer), withheld)
    assert actions(withheld) == ["identity.request", "identity.refuse"]


def test_nobody_approves_their_own_request(app: Flask, officer: Actor, withheld: Grievance) -> None:
    reveal = identity_reveals.request_reveal(officer, withheld, "To protect her.")
    asking = console_for(app, officer)

    assert 'name="decision" value="approve"' not in asking.html(withheld)
    response = asking.post(
        withheld,
        f"/identity-reveals/{reveal.id}",
        {"decision": "approve", "reveal_version": str(reveal.version)},
    )

    assert response.status_code == 403
    assert "A second person must decide" in text_of(response.get_data(as_text=True))
    db.session.refresh(reveal)
    assert reveal.status is RevealStatus.PENDING


@pytest.mark.parametrize("role", [Role.HANDLER, Role.AUDITOR, Role.ADMIN])
def test_only_protection_officers_and_supervisors_decide(
    app: Flask, officer: Actor, withheld: Grievance, role: Role
) -> None:
    reveal = identity_reveals.request_reveal(officer, withheld, "To protect her.")
    other = console_for(app, new_user("other@example.org", role))

    response = other.post(
        withheld, f"/identity-reveals/{reveal.id}", {"decision": "approve", "reveal_version": "1"}
    )

    assert response.status_code == 403
    db.session.refresh(reveal)
    assert reveal.status is RevealStatus.PENDING


def test_an_organisations_staff_take_no_part(
    scenario: Scenario, officer: Actor, withheld: Grievance
) -> None:
    company_supervisor = new_user("boss@acme.example", Role.SUPERVISOR, scenario.company)
    company_officer = new_user("po@acme.example", Role.PROTECTION_OFFICER, scenario.company)
    reveal = identity_reveals.request_reveal(officer, withheld, "To protect her.")

    with pytest.raises(NotAllowed):
        identity_reveals.request_reveal(company_officer, withheld, "Curious.")
    with pytest.raises(NotAllowed):
        identity_reveals.decide_reveal(company_supervisor, reveal, approve=True)
    assert not may_see_identity(scenario.company_handler, withheld)


def test_a_request_needs_a_reason_and_a_withheld_identity(
    app: Flask, scenario: Scenario, officer: Actor, withheld: Grievance
) -> None:
    asking = console_for(app, officer)

    empty = asking.post(withheld, "/identity-reveals", {"reason": "  "})
    assert empty.status_code == 422
    assert "Say why the identity is needed." in text_of(empty.get_data(as_text=True))

    open_case = scenario.file()
    assert not asking.offers(open_case, "/identity-reveals")  # nothing to ask for
    with pytest.raises(InvalidInput):
        identity_reveals.request_reveal(officer, open_case, "Curious.")


def test_one_open_request_at_a_time(officer: Actor, withheld: Grievance) -> None:
    identity_reveals.request_reveal(officer, withheld, "First.")

    with pytest.raises(InvalidInput):
        identity_reveals.request_reveal(officer, withheld, "Second.")


def test_a_request_is_decided_once(
    officer: Actor, second_officer: Actor, scenario: Scenario, withheld: Grievance
) -> None:
    reveal = identity_reveals.request_reveal(officer, withheld, "To protect her.")
    shown = reveal.version
    identity_reveals.decide_reveal(second_officer, reveal, approve=False)

    with pytest.raises(ConflictError):
        identity_reveals.decide_reveal(scenario.supervisor, reveal, True, expected_version=shown)
    with pytest.raises(InvalidInput):
        identity_reveals.decide_reveal(scenario.supervisor, reveal, approve=True)


def test_a_stale_decision_form_is_a_conflict(
    app: Flask, officer: Actor, second_officer: Actor, scenario: Scenario, withheld: Grievance
) -> None:
    reveal = identity_reveals.request_reveal(officer, withheld, "To protect her.")
    shown = reveal.version
    identity_reveals.decide_reveal(scenario.supervisor, reveal, approve=False)

    response = console_for(app, second_officer).post(
        withheld,
        f"/identity-reveals/{reveal.id}",
        {"decision": "approve", "reveal_version": str(shown)},
    )

    assert response.status_code == 409
    db.session.refresh(reveal)
    assert reveal.status is RevealStatus.REFUSED


def test_auditors_never_see_identities(scenario: Scenario) -> None:
    open_case = scenario.file()

    assert may_see_identity(scenario.handler, open_case)
    assert not may_see_identity(scenario.auditor, open_case)


def test_approvers_find_waiting_requests(
    app: Flask, officer: Actor, second_officer: Actor, withheld: Grievance
) -> None:
    identity_reveals.request_reveal(officer, withheld, "To protect her.")

    waiting = console_for(app, second_officer).client.get("/console/identity-reveals")
    own = console_for(app, officer).client.get("/console/identity-reveals")

    assert f"/console/grievances/{withheld.reference}#reveal-" in waiting.get_data(as_text=True)
    assert "No request is waiting." in text_of(own.get_data(as_text=True))


def test_the_reason_is_encrypted_at_rest(officer: Actor, withheld: Grievance) -> None:
    identity_reveals.request_reveal(officer, withheld, "He reports threats by guards.")

    stored = db.session.execute(text("SELECT reason FROM identity_reveals")).scalar_one()

    assert b"threats" not in bytes(stored)
    assert db.session.scalar(select(IdentityReveal.reason)) == "He reports threats by guards."
