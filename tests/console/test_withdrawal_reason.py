"""Why the people withdrew, as the team reads it: on the case's timeline (the reason and
their words, for the mechanism's own staff only, never an organisation's: the reason may
be fear of it), and cases withdrawn out of fear on the supervisor page."""

from __future__ import annotations

import pytest
from flask import Flask

from remedy.cases import withdrawal
from remedy.core.extensions import db
from remedy.models import Grievance, TrackKind
from remedy.models.withdrawal import WithdrawalReason
from tests.console.case_support import Console, console_for, text_of
from tests.workflows.scenarios import Scenario

NOTE = "The foreman came to our house twice."


@pytest.fixture
def withdrawn(scenario: Scenario) -> Grievance:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    withdrawal.withdraw(scenario.complainant(grievance), grievance, WithdrawalReason.AFRAID, NOTE)
    db.session.commit()
    return grievance


def timeline_of(console: Console, grievance: Grievance) -> str:
    html = console.html(grievance)
    return text_of(html[html.index('id="timeline"') :])


def test_the_timeline_says_why_the_people_withdrew(
    app: Flask, scenario: Scenario, withdrawn: Grievance
) -> None:
    handler = console_for(app, scenario.handler)

    shown = timeline_of(handler, withdrawn)

    assert "The people said why they withdrew" in shown
    assert f"Afraid of what could happen because of the complaint · {NOTE}" in shown
    assert "Reprisal risk changed" in shown


def test_an_organisations_staff_never_read_why(
    app: Flask, scenario: Scenario, withdrawn: Grievance
) -> None:
    company = console_for(app, scenario.company_handler)

    shown = text_of(company.html(withdrawn))

    assert "why they withdrew" not in shown
    assert "Afraid of what could happen" not in shown
    assert NOTE not in shown


def test_a_withdrawal_without_reason_adds_nothing_to_the_timeline(
    app: Flask, scenario: Scenario
) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    withdrawal.withdraw(scenario.complainant(grievance), grievance)
    db.session.commit()

    assert "why they withdrew" not in timeline_of(console_for(app, scenario.handler), grievance)


def test_the_supervisor_page_lists_cases_withdrawn_out_of_fear(
    app: Flask, scenario: Scenario, withdrawn: Grievance
) -> None:
    resolved, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    withdrawal.withdraw(scenario.complainant(resolved), resolved, WithdrawalReason.RESOLVED)
    db.session.commit()
    supervisor = console_for(app, scenario.supervisor)

    html = supervisor.client.get("/console/supervisor").get_data(as_text=True)
    section = html[
        html.index('id="withdrawn-in-fear"') : html.index(
            "</section>", html.index('id="withdrawn-in-fear"')
        )
    ]

    assert f"/console/grievances/{withdrawn.reference}" in section
    assert f"/console/grievances/{resolved.reference}" not in section
