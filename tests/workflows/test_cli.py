"""The operator's workflow commands: ``workflows diagram``, ``deadlines run``, ``referrals ...``
and ``demo seed``."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from remedy.accounts import users as accounts
from remedy.audit.log import verify_chain
from remedy.cases.referrals import get_mechanism
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.demo import seed as demo
from remedy.demo.cast import ACCOUNTS, CASES
from remedy.models import (
    AuditEvent,
    Grievance,
    InvolvementTrack,
    MechanismKind,
    Organisation,
    OutboxMessage,
    ReferralMechanism,
    ReprisalRisk,
    Role,
    TrackKind,
    User,
)
from remedy.models.types import utcnow
from remedy.queue.workload import time_per_stage
from remedy.workflows import WORKFLOWS
from tests.workflows.scenarios import Scenario

# A grievance is acknowledged in the unit of work that files it: none ever rests in `received`.
TRANSIENT = {("intake", "received")}


def invoke(runner: FlaskCliRunner, *args: str) -> Any:
    return runner.invoke(args=list(args))


# workflows diagram --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(WORKFLOWS))
def test_diagram_prints_the_mermaid_diagram_of_one_workflow(
    runner: FlaskCliRunner, name: str
) -> None:
    workflow = WORKFLOWS[name]

    result = invoke(runner, "workflows", "diagram", name)

    assert result.exit_code == 0, result.output
    assert result.output == workflow.diagram().rstrip("\n") + "\n"
    assert result.output.startswith(f'---\ntitle: "{workflow.title}"\n---\nstateDiagram-v2\n')
    for state in workflow.states:
        assert f'state "{state.name}" as {state.name}\n' in result.output
    for transition in workflow.transitions:
        for source in transition.source:
            assert f"  {source} --> {transition.dest}: " in result.output
        assert transition.trigger in result.output
    assert f"[*] --> {workflow.initial}" in result.output


def test_diagram_without_a_name_prints_every_workflow(runner: FlaskCliRunner) -> None:
    result = invoke(runner, "workflows", "diagram")

    assert result.exit_code == 0, result.output
    assert result.output == "\n".join(
        workflow.diagram().rstrip("\n") + "\n" for workflow in WORKFLOWS.values()
    )
    assert result.output.count("stateDiagram-v2") == len(WORKFLOWS)


def test_diagram_of_an_unknown_workflow_fails_naming_the_workflows(
    runner: FlaskCliRunner,
) -> None:
    result = invoke(runner, "workflows", "diagram", "payroll")

    assert result.exit_code != 0
    assert "No workflow named 'payroll'" in result.output
    assert "intake, cause, contribute, directly_linked" in result.output
    assert "stateDiagram" not in result.output


def test_diagrams_are_in_english_whatever_the_default_language(
    runner: FlaskCliRunner, app: Flask
) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = "fr"

    result = invoke(runner, "workflows", "diagram", "cause")

    assert result.output.startswith('---\ntitle: "Track: caused"\n---\n')


# deadlines run -------------------------------------------------------------------------


def test_deadlines_run_reports_nothing_to_do_on_time(
    runner: FlaskCliRunner, scenario: Scenario
) -> None:
    scenario.file()

    result = invoke(runner, "deadlines", "run")

    assert result.exit_code == 0, result.output
    assert result.output == (
        "Deadlines checked. Newly overdue grievances: 0; newly overdue tracks: 0; "
        "unanswered questions sent back to screening: 0; follow-up check-ins sent: 0.\n"
    )


def test_deadlines_run_flags_overdue_work_once(runner: FlaskCliRunner, scenario: Scenario) -> None:
    late = scenario.file()
    silent = scenario.to_grievance_state("awaiting_complainant")
    _grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    for subject in (late, silent, track):
        subject.due_at = utcnow() - timedelta(minutes=1)  # as if the days had passed
    db.session.commit()

    first = invoke(runner, "deadlines", "run")
    again = invoke(runner, "deadlines", "run")

    assert first.exit_code == 0, first.output
    assert "Newly overdue grievances: 1; newly overdue tracks: 1; " in first.output
    assert "unanswered questions sent back to screening: 1;" in first.output
    assert late.overdue_at is not None
    assert track.overdue_at is not None
    assert silent.state == "screening"
    assert again.exit_code == 0, again.output
    assert "Newly overdue grievances: 0; newly overdue tracks: 0; " in again.output


# referrals ---------------------------------------------------------------------------


def test_referrals_list_shows_the_courts_open_to_every_country(runner: FlaskCliRunner) -> None:
    result = invoke(runner, "referrals", "list")

    assert result.exit_code == 0, result.output
    assert "any  court" in result.output
    assert "The courts of the country where the harm happened" in result.output


def test_referrals_add_then_list_by_country(runner: FlaskCliRunner) -> None:
    added = invoke(
        runner,
        "referrals",
        "add",
        "Kenya National Commission on Human Rights",
        "--country",
        "ke",
        "--kind",
        "national_human_rights_institution",
        "--contact",
        "complaint@knchr.example",
    )
    invoke(
        runner, "referrals", "add", "Defensoría del Pueblo", "--country", "CO", "--kind", "other"
    )

    assert added.exit_code == 0, added.output
    mechanism = db.session.scalar(
        select(ReferralMechanism).where(ReferralMechanism.country == "KE")
    )
    assert mechanism is not None
    assert mechanism.kind is MechanismKind.NATIONAL_HUMAN_RIGHTS_INSTITUTION
    assert mechanism.contact == "complaint@knchr.example"
    assert added.output.startswith(f"Added mechanism {mechanism.id}: ")

    kenya = invoke(runner, "referrals", "list", "--country", "KE").output
    assert "KE   national_human_rights_institution" in kenya
    assert "Kenya National Commission on Human Rights (complaint@knchr.example)" in kenya
    assert "The courts of the country" in kenya, "open to every country"
    assert "Defensoría" not in kenya
    assert "Defensoría del Pueblo" in invoke(runner, "referrals", "list").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "Kenya", "--kind", "court"], "two-letter ISO code"),
        (["--country", "KE", "--kind", "tribunal"], "Invalid value for '--kind'"),
        (["--country", "KE", "--kind", "court", "--contact", "x" * 501], "under 500 characters"),
    ],
)
def test_referrals_add_refuses_bad_input(
    runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    result = invoke(runner, "referrals", "add", "High Court of Kenya", *args)

    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count(ReferralMechanism.id))) == 1


def test_referrals_disable_hides_a_mechanism_and_enable_brings_it_back(
    runner: FlaskCliRunner,
) -> None:
    invoke(
        runner,
        "referrals",
        "add",
        "Labour inspectorate",
        "--country",
        "KE",
        "--kind",
        "labour_inspectorate",
    )
    mechanism = db.session.scalars(select(ReferralMechanism).order_by(ReferralMechanism.id)).all()[
        -1
    ]

    disabled = invoke(runner, "referrals", "disable", str(mechanism.id))

    assert disabled.exit_code == 0, disabled.output
    assert disabled.output == f"Mechanism {mechanism.id} disabled: Labour inspectorate.\n"
    assert not mechanism.active
    assert "Labour inspectorate" not in invoke(runner, "referrals", "list").output
    listed_all = invoke(runner, "referrals", "list", "--all").output
    assert "Labour inspectorate  [disabled]" in listed_all
    again = invoke(runner, "referrals", "disable", str(mechanism.id))
    assert again.output == f"Mechanism {mechanism.id} was already disabled.\n"

    enabled = invoke(runner, "referrals", "enable", str(mechanism.id))

    assert enabled.exit_code == 0, enabled.output
    assert get_mechanism(mechanism.id) is mechanism
    assert "Labour inspectorate" in invoke(runner, "referrals", "list").output


def test_referrals_disable_an_unknown_id_fails(runner: FlaskCliRunner) -> None:
    result = invoke(runner, "referrals", "disable", "999")

    assert result.exit_code == 1
    assert "No mechanism with id 999." in result.output


# demo seed -------------------------------------------------------------------------------


def _states_reached() -> set[tuple[str, str]]:
    grievances = {("intake", state) for state in db.session.scalars(select(Grievance.state))}
    track_rows = db.session.execute(select(InvolvementTrack.kind, InvolvementTrack.state))
    return grievances | {(kind.value, state) for kind, state in track_rows}


def _last_audited_state(subject_type: str, subject_id: str) -> str | None:
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id)
        .order_by(AuditEvent.seq)
    )
    states = [event.after["state"] for event in events if event.after and "state" in event.after]
    return states[-1] if states else None


def test_demo_seed_fills_every_state_of_every_workflow_through_the_services(
    runner: FlaskCliRunner,
) -> None:
    # `make run` has the first administrator created before anything else.
    accounts.create_user(OPERATOR, "me@ngo.example", "a long enough passphrase", Role.ADMIN)

    result = invoke(runner, "demo", "seed")

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(User.id))) == len(ACCOUNTS) + 1
    every_state = {
        (workflow.name, state.name) for workflow in WORKFLOWS.values() for state in workflow.states
    }
    assert _states_reached() == every_state - TRANSIENT
    assert verify_chain().ok

    # Every state was reached by triggers: the audit log's last word on each is its state.
    for grievance in db.session.scalars(select(Grievance)):
        assert _last_audited_state("grievance", grievance.reference) == grievance.state
        for track in grievance.tracks:
            assert _last_audited_state("track", str(track.id)) == track.state
            if track.is_ended:
                assert track.outcome is not None
        if grievance.state == "resolved":
            assert grievance.outcome is not None

    # Varied, as in life.
    grievances = list(db.session.scalars(select(Grievance)))
    assert len(grievances) == len(CASES)
    assert {g.language for g in grievances} == {"en", "fr", "es", "sw", "ar"}
    assert len({g.channel for g in grievances}) == 6
    assert len({g.category for g in grievances}) >= 6
    assert any(len(g.people) >= 3 for g in grievances), "a collective grievance"
    assert any(g.identity_withheld and g.reprisal_risk is ReprisalRisk.HIGH for g in grievances)
    assert any(len(g.tracks) == 2 for g in grievances), "a joint mechanism"
    assert db.session.scalar(select(func.count(OutboxMessage.id)))


def test_demo_seed_prints_working_credentials_and_every_case_then_refuses_a_second_run(
    runner: FlaskCliRunner,
) -> None:
    result = invoke(runner, "demo", "seed")

    assert result.exit_code == 0, result.output
    assert "DEMO data" in result.output
    assert "TOTP, is enrolled at first sign-in" in result.output
    lines = result.output.splitlines()
    for spec in ACCOUNTS:
        (line,) = [line for line in lines if f"  {spec.email}  " in line]
        password = line.split(f"  {spec.email}  ")[1].split()[0]
        user = accounts.check_password(spec.email, password)
        assert user.role is spec.role
        assert user.totp_enrolled_at is None, "enrolled at first sign-in"
    assert {spec.role for spec in ACCOUNTS} == set(Role)
    organisation_staff = select(func.count(User.id)).where(
        User.organisation_id.is_not(None), User.role.in_([Role.HANDLER, Role.SUPERVISOR])
    )
    assert db.session.scalar(organisation_staff) == 2, "a company's and a partner's own staff"
    for grievance in db.session.scalars(select(Grievance)):
        assert f"  {display(grievance.reference)}  " in result.output
    assert "Kilima Gold Mines Ltd (company, KE)" in result.output
    assert "Sauti ya Jamii Community Network (ngo, KE, vetted)" in result.output

    counts = (
        db.session.scalar(select(func.count(Grievance.id))),
        db.session.scalar(select(func.count(AuditEvent.seq))),
    )
    again = invoke(runner, "demo", "seed")

    assert again.exit_code == 1
    assert "Error: The database already has grievances" in again.output
    assert (
        db.session.scalar(select(func.count(Grievance.id))),
        db.session.scalar(select(func.count(AuditEvent.seq))),
    ) == counts


def test_demo_seed_refuses_even_one_real_grievance(
    runner: FlaskCliRunner, scenario: Scenario
) -> None:
    scenario.file()

    result = invoke(runner, "demo", "seed")

    assert result.exit_code == 1
    assert "Error: The database already has grievances" in result.output
    assert db.session.scalar(select(func.count(Grievance.id))) == 1


@pytest.mark.parametrize("app_overrides", [{"REMEDY_PRODUCTION": True}])
def test_demo_seed_refuses_production_unless_told_it_is_a_demo_server(
    runner: FlaskCliRunner, app: Flask
) -> None:
    refused = invoke(runner, "demo", "seed")

    assert refused.exit_code == 1
    assert "REMEDY_ENV=production" in refused.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_demo_seed_refuses_when_demo_accounts_exist(runner: FlaskCliRunner) -> None:
    accounts.create_user(
        OPERATOR, "handler@remedy.example", "a long enough passphrase", Role.HANDLER
    )

    result = invoke(runner, "demo", "seed")

    assert result.exit_code == 1
    assert "Demo accounts already exist: handler@remedy.example." in result.output
    assert db.session.scalar(select(func.count(Grievance.id))) == 0


def test_demo_seed_is_all_or_nothing(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = dataclasses.replace(demo.CASES[0], language="xx")
    monkeypatch.setattr(demo, "CASES", (*demo.CASES[:3], broken))

    result = invoke(runner, "demo", "seed")

    assert result.exit_code == 1
    assert "This language is not available." in result.output
    for model in (Organisation, User, Grievance, ReferralMechanism, AuditEvent):
        assert db.session.scalar(select(func.count()).select_from(model)) == (
            1 if model is ReferralMechanism else 0
        ), model


@pytest.mark.postgres  # the medians are PostgreSQL's own there
def test_demo_seed_spreads_the_cases_over_the_past_year_and_the_chain_still_verifies(
    runner: FlaskCliRunner,
) -> None:
    result = invoke(runner, "demo", "seed")

    assert result.exit_code == 0, result.output
    now = utcnow()
    received = sorted(db.session.scalars(select(Grievance.received_at)))
    assert now - received[0] > timedelta(days=300), "the oldest case is most of a year old"
    assert now - received[-1] < timedelta(days=30), "the newest came in lately"
    assert len({moment.date().isoformat()[:7] for moment in received}) >= 9, "over months"
    # Each case's own history reads in order of its dates, none of it in the future.
    events = db.session.execute(
        select(AuditEvent.subject_type, AuditEvent.subject_id, AuditEvent.occurred_at).order_by(
            AuditEvent.seq
        )
    ).all()
    last_seen: dict[tuple[str, str | None], Any] = {}
    for subject_type, subject_id, occurred_at in events:
        assert occurred_at <= now
        key = (subject_type, subject_id)
        assert occurred_at >= last_seen.get(key, occurred_at), key
        last_seen[key] = occurred_at
    # One step, one moment: the tracks open when the grievance is classified.
    for grievance in db.session.scalars(select(Grievance).where(Grievance.tracks.any())):
        classified = db.session.scalars(
            select(AuditEvent.occurred_at).where(
                AuditEvent.action == "intake.classify",
                AuditEvent.subject_id == grievance.reference,
            )
        ).one()
        opened = db.session.scalars(
            select(AuditEvent.occurred_at).where(
                AuditEvent.action == "track.open",
                AuditEvent.subject_id.in_([str(track.id) for track in grievance.tracks]),
            )
        ).all()
        assert set(opened) == {classified}, grievance.reference
    assert verify_chain().ok
    assert invoke(runner, "audit", "verify").exit_code == 0

    supervisor = Actor.for_user(accounts.find_user("supervisor@remedy.example"))  # type: ignore[arg-type]
    stages = time_per_stage(supervisor, timedelta(days=365), now)
    assert stages, "stays ended within the year"
    waited = stages
    assert [s for s in waited if s.median <= timedelta(0)] == [], [
        (stage.subject, stage.state, stage.median) for stage in waited
    ]
