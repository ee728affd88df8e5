"""The supervisor view: overdue work, open work per handler, and time per stage."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask

from remedy.audit import log as audit
from remedy.cases import intake
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.models import Grievance, Role, TrackKind, User
from remedy.models.types import utcnow
from remedy.queue.assignment import assign
from remedy.queue.workload import StageTime, time_per_stage, workload
from tests.console.case_support import console_for, new_user
from tests.workflows.scenarios import Scenario

DAY = timedelta(days=1)


def user_id(actor: object) -> int:
    return int(str(actor.id))  # type: ignore[attr-defined]


def overdue(grievance: Grievance) -> None:
    grievance.due_at = utcnow() - DAY
    db.session.commit()


# Workload ------------------------------------------------------------------------------------


def test_workload_counts_open_and_overdue_grievances_per_handler(scenario: Scenario) -> None:
    first, second, third, closed = (scenario.file() for _ in range(4))
    for grievance in (first, second, closed):
        assign(scenario.supervisor, grievance, user_id(scenario.handler))
    overdue(second)
    overdue(third)
    intake.withdraw(scenario.complainant(closed), closed)

    load = workload(scenario.supervisor)

    handler = next(row for row in load.handlers if row.user_id == user_id(scenario.handler))
    assert (handler.open, handler.overdue) == (2, 1)
    assert (load.unassigned_open, load.unassigned_overdue) == (1, 1)
    idle = next(row for row in load.handlers if row.user_id == user_id(scenario.supervisor))
    assert (idle.open, idle.overdue) == (0, 0)
    assert load.handlers[0].user_id == user_id(scenario.handler)  # the most overdue first
    assert {row.user_id for row in load.handlers}.isdisjoint(
        {user_id(scenario.auditor), user_id(scenario.company_handler)}
    )


def test_someone_who_left_still_shows_with_the_work_they_hold(scenario: Scenario) -> None:
    grievance = scenario.file()
    assign(scenario.supervisor, grievance, user_id(scenario.handler))
    user = db.session.get(User, user_id(scenario.handler))
    assert user is not None
    user.active = False
    db.session.commit()

    load = workload(scenario.supervisor)

    assert [row.open for row in load.handlers if row.user_id == user.id] == [1]


def test_an_organisation_sees_the_workload_of_its_own_grievances(scenario: Scenario) -> None:
    ours, _ = scenario.in_remedy(TrackKind.CAUSE)
    theirs = scenario.file()
    assign(scenario.supervisor, ours, user_id(scenario.handler))
    assign(scenario.supervisor, theirs, user_id(scenario.handler))
    lead = new_user("lead@acme.example", Role.SUPERVISOR, scenario.company)

    load = workload(lead)

    handler = next(row for row in load.handlers if row.user_id == user_id(scenario.handler))
    assert handler.open == 1
    assert user_id(scenario.company_handler) in {row.user_id for row in load.handlers}
    assert user_id(scenario.partner_handler) not in {row.user_id for row in load.handlers}


# Time per stage -------------------------------------------------------------------------------


class Clock:
    """The audit log's clock, moved by the test: events happen when the test says."""

    def __init__(self) -> None:
        self.now = utcnow() - timedelta(days=30)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: float) -> None:
        self.now += timedelta(days=days)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(audit, "utcnow", moved)
    return moved


def stages(found: list[StageTime]) -> dict[tuple[str, str], tuple[int, timedelta, timedelta]]:
    return {(item.subject, item.state): (item.stays, item.median, item.longest) for item in found}


def test_time_per_stage_is_the_median_stay_in_each_state(scenario: Scenario, clock: Clock) -> None:
    first, second = scenario.file(), scenario.file()
    clock.advance(2)
    intake.accept(scenario.handler, first)
    clock.advance(2)
    intake.accept(scenario.handler, second)
    clock.advance(1)
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "Assessed.")
    (track,) = intake.classify(scenario.handler, first, [plan], intake.Severity(1, 1, 1))
    clock.advance(2)
    scenario.propose(track)

    found = stages(time_per_stage(scenario.supervisor, now=clock.now + DAY))

    assert found[("grievance", "screening")] == (2, 3 * DAY, 4 * DAY)
    assert found[("grievance", "assessment")] == (1, 3 * DAY, 3 * DAY)
    assert found[("track", "planning")] == (1, 2 * DAY, 2 * DAY)
    assert ("grievance", "in_remedy") not in found  # still there: no length yet
    assert ("track", "proposed") not in found


def test_only_stays_that_ended_in_the_window_count(scenario: Scenario, clock: Clock) -> None:
    first, second = scenario.file(), scenario.file()
    clock.advance(2)
    intake.accept(scenario.handler, first)
    clock.advance(10)
    intake.accept(scenario.handler, second)

    found = stages(time_per_stage(scenario.supervisor, timedelta(days=5), now=clock.now + DAY))

    assert found[("grievance", "screening")] == (1, 12 * DAY, 12 * DAY)


def test_an_organisation_sees_the_stages_of_its_own_tracks_only(
    scenario: Scenario, clock: Clock
) -> None:
    grievance, tracks = scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    clock.advance(3)
    company_track = next(t for t in tracks if t.organisation_id == scenario.company.id)
    partner_track = next(t for t in tracks if t.organisation_id == scenario.partner.id)
    scenario.propose(company_track)
    scenario.to_track_state(partner_track, "escalated")
    lead = new_user("lead@acme.example", Role.SUPERVISOR, scenario.company)
    outsider = scenario.file()
    clock.advance(1)
    intake.accept(scenario.handler, outsider)

    mine = stages(time_per_stage(lead, now=clock.now + DAY))
    everything = stages(time_per_stage(scenario.supervisor, now=clock.now + DAY))

    assert ("track", "planning") in mine
    assert ("track", "engaging") not in mine
    assert ("track", "engaging") in everything
    assert mine[("grievance", "screening")][0] == 1  # its own grievance, not the outsider
    assert everything[("grievance", "screening")][0] == 2
    assert grievance.reference


def test_time_per_stage_is_kept_for_a_few_minutes(scenario: Scenario, clock: Clock) -> None:
    grievance = scenario.file()
    clock.now = utcnow() - DAY
    before = time_per_stage(scenario.supervisor)

    intake.accept(scenario.handler, grievance)

    assert time_per_stage(scenario.supervisor) == before
    assert time_per_stage(scenario.supervisor, now=utcnow() + DAY) != before


# The page ----------------------------------------------------------------------------------------


def test_supervisors_and_auditors_open_the_supervisor_view(app: Flask, scenario: Scenario) -> None:
    expected = {"supervisor": 200, "auditor": 200, "handler": 403, "company_handler": 403}

    got = {
        who: console_for(app, getattr(scenario, who)).client.get("/console/supervisor").status_code
        for who in expected
    }

    assert got == expected


def test_the_supervisor_view_shows_overdue_work_workload_and_stages(
    app: Flask, scenario: Scenario
) -> None:
    late = scenario.file()
    overdue(late)
    assign(scenario.supervisor, late, user_id(scenario.handler))
    intake.accept(scenario.handler, scenario.file())

    html = (
        console_for(app, scenario.supervisor)
        .client.get("/console/supervisor")
        .get_data(as_text=True)
    )

    overdue_section = html.split('id="overdue-title"', 1)[1].split("</section>", 1)[0]
    assert display(late.reference) in overdue_section
    workload_section = html.split('id="workload-title"', 1)[1].split("</section>", 1)[0]
    assert "handler@example.org" in workload_section
    stages_section = html.split('id="stages-title"', 1)[1].split("</section>", 1)[0]
    assert "Screening" in stages_section
    assert 'aria-current="page">Last 90 days' in stages_section


def test_an_unknown_period_is_a_clear_400(app: Flask, scenario: Scenario) -> None:
    client = console_for(app, scenario.supervisor).client

    for days in ("7", "abc", "-30", ""):
        assert client.get(f"/console/supervisor?days={days}").status_code == 422, days
