"""A protection officer or a mechanism supervisor changes a case's reprisal risk at any
stage, with a reason: audited before and after, and a recorded risk makes the messages
to the people's phones discreet from then on."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import intake
from remedy.cases.protection import change_reprisal_risk, may_change_reprisal_risk
from remedy.core.actors import Actor
from remedy.core.errors import NotAllowed
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.models import AuditEvent, Grievance, InternalNote, Role, TrackKind
from remedy.models.grievance import ReprisalRisk
from remedy.models.outbox_message import MessageChannel, OutboxMessage
from tests.console.case_support import console_for, new_user, text_of
from tests.workflows.scenarios import Scenario

REASON = "Guards visited her house after she complained."
PATH = "/reprisal-risk"


@pytest.fixture
def officer(scenario: Scenario) -> Actor:
    return new_user("officer@example.org", Role.PROTECTION_OFFICER)


def risk_events(grievance: Grievance) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_id == grievance.reference,
                AuditEvent.action == "grievance.reprisal_risk",
            )
        )
    )


def phone_updates(grievance: Grievance) -> list[str]:
    return list(
        db.session.scalars(
            select(OutboxMessage.body).where(
                OutboxMessage.grievance_id == grievance.id,
                OutboxMessage.channel == MessageChannel.SMS,
                OutboxMessage.template != "acknowledged",
            )
        )
    )


def test_an_officer_raises_the_risk_and_the_next_messages_are_discreet(
    app: Flask, scenario: Scenario, officer: Actor
) -> None:
    grievance = scenario.file()
    assert grievance.discreet_messages is False
    console = console_for(app, officer)
    assert console.offers(grievance, PATH)

    answer = console.post(grievance, PATH, {"risk": "high", "reason": REASON})

    assert answer.status_code == 302
    db.session.refresh(grievance)
    assert grievance.reprisal_risk is ReprisalRisk.HIGH
    assert grievance.discreet_messages is True
    intake.accept(scenario.handler, grievance)
    (update,) = phone_updates(grievance)
    assert display(grievance.reference) not in update  # only that there is news
    (event,) = risk_events(grievance)
    assert event.before == {"reprisal_risk": "none", "discreet_messages": False}
    assert event.after is not None
    assert (event.after["reprisal_risk"], event.after["discreet_messages"]) == ("high", True)
    note = db.session.get(InternalNote, event.after["note_id"])
    assert note is not None
    assert REASON in note.text
    assert REASON not in str(event.after)  # the words stay encrypted, in the note


def test_a_supervisor_may_change_it_late_in_the_case(scenario: Scenario) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    change_reprisal_risk(scenario.supervisor, grievance, ReprisalRisk.LOW, REASON)
    assert grievance.reprisal_risk is ReprisalRisk.LOW
    assert grievance.discreet_messages is True


def test_lowering_the_risk_keeps_discreet_messages(scenario: Scenario, officer: Actor) -> None:
    grievance = scenario.file(reprisal_risk=ReprisalRisk.HIGH)
    change_reprisal_risk(
        officer, grievance, ReprisalRisk.NONE, "The threat was a misunderstanding."
    )
    assert grievance.reprisal_risk is ReprisalRisk.NONE
    assert grievance.discreet_messages is True


@pytest.mark.parametrize("who", ["handler", "company_handler", "auditor"])
def test_others_may_not_change_it(scenario: Scenario, who: str) -> None:
    grievance = scenario.file()
    actor: Actor = getattr(scenario, who)
    assert not may_change_reprisal_risk(actor, grievance)
    with pytest.raises(NotAllowed):
        change_reprisal_risk(actor, grievance, ReprisalRisk.HIGH, REASON)
    assert grievance.reprisal_risk is ReprisalRisk.NONE
    assert risk_events(grievance) == []


def test_an_organisations_supervisor_may_not_change_it(scenario: Scenario) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    company_supervisor = new_user("boss@acme.example", Role.SUPERVISOR, scenario.company)
    assert not may_change_reprisal_risk(company_supervisor, grievance)


def test_a_handler_is_not_offered_the_form_and_is_refused(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file()
    console = console_for(app, scenario.handler)
    assert not console.offers(grievance, PATH)
    assert console.post(grievance, PATH, {"risk": "high", "reason": REASON}).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"risk": "high", "reason": "  "}, "Say why the risk changes."),
        ({"risk": "extreme", "reason": REASON}, "Choose one of the listed options."),
        ({"risk": "none", "reason": REASON}, "The case already has this risk."),
        ({"risk": "high", "reason": "x" * 2001}, "Please keep it under 2000 characters."),
    ],
)
def test_bad_input_shows_the_form_again_and_changes_nothing(
    app: Flask, scenario: Scenario, officer: Actor, data: dict[str, str], message: str
) -> None:
    grievance = scenario.file()
    answer = console_for(app, officer).post(grievance, PATH, data)
    assert answer.status_code == 422
    assert message in text_of(answer.get_data(as_text=True))
    db.session.refresh(grievance)
    assert grievance.reprisal_risk is ReprisalRisk.NONE
    assert risk_events(grievance) == []


def test_a_stale_page_changes_nothing(app: Flask, scenario: Scenario, officer: Actor) -> None:
    grievance = scenario.file()
    answer = console_for(app, officer).post(
        grievance, PATH, {"risk": "high", "reason": REASON}, version=grievance.version - 1
    )
    assert answer.status_code == 409
    assert risk_events(grievance) == []


def test_the_organisations_staff_see_no_reprisal_risk_on_the_case_or_in_the_queue(
    app: Flask, scenario: Scenario
) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    grievance.reprisal_risk = ReprisalRisk.HIGH
    db.session.commit()
    company = console_for(app, scenario.company_handler)
    team = console_for(app, scenario.handler)

    case_page = text_of(company.html(grievance))
    queue = company.client.get("/console/?risk=high")
    plain_queue = text_of(company.client.get("/console/").get_data(as_text=True))

    assert display(grievance.reference) in case_page
    assert "Reprisal risk" not in case_page
    assert display(grievance.reference) in plain_queue
    assert "Reprisal risk" not in plain_queue  # neither the badge nor the filter
    assert queue.status_code == 400
    assert "own staff see reprisal risk: remove this filter" in text_of(
        queue.get_data(as_text=True)
    )
    assert "Reprisal risk High" in text_of(team.html(grievance))
    assert "Reprisal risk" in text_of(team.client.get("/console/").get_data(as_text=True))


def test_a_low_risk_badge_looks_apart_from_a_high_one(app: Flask, scenario: Scenario) -> None:
    """A team scanning the queue tells a caution from an alarm at a glance."""
    low, high = scenario.file(), scenario.file()
    low.reprisal_risk, high.reprisal_risk = ReprisalRisk.LOW, ReprisalRisk.HIGH
    db.session.commit()
    team = console_for(app, scenario.handler)

    queue = team.client.get("/console/").get_data(as_text=True)
    assert 'class="flag flag-risk-low"' in queue
    assert 'class="flag flag-risk-high"' in queue
    assert 'class="flag flag-risk-low">High' not in queue
    assert 'class="flag flag-risk-low"' in team.html(low)
    assert 'class="flag flag-risk-high"' in team.html(high)
    stylesheet = app.test_client().get("/static/remedy.css").get_data(as_text=True)
    assert ".flag-risk-low {" in stylesheet
