"""Retention: a case past REMEDY_RETENTION_DAYS loses its people's data, and only that
(finding 10). What stays is what statistics need; the audit log still verifies."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from remedy import create_app
from remedy.cases import intake
from remedy.core.actors import OPERATOR
from remedy.core.config import ConfigError
from remedy.core.crypto import SubjectKey
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails, add_attachment
from remedy.identity.retention import parse_policy
from remedy.models import (
    Attachment,
    AuditEvent,
    Category,
    Grievance,
    GrievancePerson,
    InvolvementTrack,
    OutboxMessage,
    Outcome,
    Person,
)
from remedy.models.types import utcnow
from tests.support import file_grievance
from tests.support import test_overrides as settings_for
from tests.workflows.scenarios import Scenario

SIX_YEARS = timedelta(days=6 * 365)
PHOTO = b"\xff\xd8 photo of the path"


@pytest.fixture
def unused_database(tmp_path: Path) -> dict[str, object]:
    """Settings for an app that never opens its database."""
    return settings_for(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path)


def ended_long_ago(grievance: Grievance, ago: timedelta = SIX_YEARS) -> None:
    """As if the case ended ``ago``: retention counts from ``ended_at``."""
    assert grievance.is_ended, grievance.state
    assert grievance.ended_at is not None
    grievance.ended_at = utcnow() - ago
    db.session.flush()


def resolved_case(scenario: Scenario, name: str, phone: str) -> Grievance:
    grievance, (track,) = scenario.in_remedy(
        category=Category.LAND,
        description=f"{name} says the fence cuts the path to the well.",
        location="Lower Kabete, behind the school",
        complainant=PersonDetails(name, phone, "sw"),
    )
    add_attachment(OPERATOR, grievance, f"{name}.jpg", "image/jpeg", PHOTO)
    scenario.remedied(track)
    intake.resolve_if_done(grievance)
    assert grievance.state == "resolved"
    return grievance


def retention_run(runner: FlaskCliRunner, *args: str) -> str:
    result = runner.invoke(args=["retention", "run", *args])
    assert result.exit_code == 0, result.output
    return result.output


def reread(grievance: Grievance) -> Grievance:
    db.session.expire_all()
    found = db.session.get(Grievance, grievance.id)
    assert found is not None
    return found


def person_of(grievance: Grievance) -> Person:
    link = db.session.scalars(
        select(GrievancePerson).where(GrievancePerson.grievance_id == grievance.id)
    ).first()
    assert link is not None
    return link.person


def test_a_case_past_retention_is_erased_and_a_recent_one_is_kept(
    scenario: Scenario, runner: FlaskCliRunner
) -> None:
    old = resolved_case(scenario, "Amina Njoroge", "+254711000001")
    recent = resolved_case(scenario, "Baraka Otieno", "+254711000002")
    ended_long_ago(old)
    ended_long_ago(recent, timedelta(days=30))
    messages_before = db.session.scalar(
        select(func.count()).where(OutboxMessage.grievance_id == old.id)
    )

    output = retention_run(runner)

    assert f"erased {old.reference}" in output
    assert recent.reference not in output
    erased, kept = reread(old), reread(recent)
    assert erased.erased_at is not None
    assert (erased.description, erased.location) == ("", None)
    person = person_of(erased)
    assert (person.name, person.phone, person.phone_hash) == (None, None, None)
    (attachment,) = db.session.scalars(
        select(Attachment).where(Attachment.grievance_id == old.id)
    ).all()
    assert (attachment.filename, attachment.content) == (None, b"")
    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.grievance_id == old.id)
    ).all()
    assert bodies
    assert set(bodies) == {""}
    # What statistics read stays.
    assert (erased.category, erased.state, erased.outcome) == (
        Category.LAND,
        "resolved",
        Outcome.REMEDIED,
    )
    assert len(bodies) == messages_before
    assert (
        db.session.scalar(select(func.count()).where(InvolvementTrack.grievance_id == old.id)) == 1
    )
    assert (attachment.content_type, attachment.size) == ("image/jpeg", len(PHOTO))
    # The recent case is untouched.
    assert kept.erased_at is None
    assert "Baraka Otieno" in kept.description
    assert person_of(kept).phone == "+254711000002"


def test_the_audit_log_still_verifies_after_erasure(
    scenario: Scenario, runner: FlaskCliRunner
) -> None:
    grievance = resolved_case(scenario, "Amina Njoroge", "+254711000003")
    ended_long_ago(grievance)
    reference = grievance.reference

    retention_run(runner)

    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "grievance.erase")
    ).one()
    assert (event.subject_id, event.after) == (
        reference,
        {"basis": "retention", "people_erased": 1, "people_kept": 0},
    )


def test_a_dry_run_lists_the_cases_and_erases_nothing(
    scenario: Scenario, runner: FlaskCliRunner
) -> None:
    grievance = resolved_case(scenario, "Amina Njoroge", "+254711000004")
    ended_long_ago(grievance)

    output = retention_run(runner, "--dry-run")

    assert f"would erase {grievance.reference}" in output
    assert reread(grievance).erased_at is None
    assert person_of(grievance).name == "Amina Njoroge"


def test_an_open_case_is_never_erased(scenario: Scenario, runner: FlaskCliRunner) -> None:
    grievance, _tracks = scenario.in_remedy()
    grievance.received_at = utcnow() - SIX_YEARS

    assert grievance.reference not in retention_run(runner)
    assert reread(grievance).erased_at is None


def test_a_person_with_another_live_case_keeps_their_data(
    scenario: Scenario, runner: FlaskCliRunner
) -> None:
    old = resolved_case(scenario, "Amina Njoroge", "+254711000005")
    ended_long_ago(old)
    newer = file_grievance(
        "Dust again.", complainant=PersonDetails("Amina Njoroge", "+254711000005")
    ).grievance
    amina = person_of(newer)
    assert person_of(old).id == amina.id

    retention_run(runner)

    assert reread(old).erased_at is not None
    stand_in = person_of(old)
    assert stand_in.id != amina.id
    assert (stand_in.name, stand_in.phone) == (None, None)
    assert (person_of(newer).name, person_of(newer).phone) == ("Amina Njoroge", "+254711000005")


def test_retention_may_differ_by_outcome() -> None:
    policy = parse_policy("1826, not_remedied=3650,withdrawn=365")

    assert policy.days_for(Outcome.REMEDIED) == 1826
    assert policy.days_for(Outcome.NOT_REMEDIED) == 3650
    assert policy.days_for(Outcome.WITHDRAWN) == 365
    assert parse_policy("").days_for(None) == 1826


@pytest.mark.parametrize(
    ("written", "complaint"),
    [
        ("five years", "not a positive number"),
        ("0", "not a positive number"),
        ("fixed=30", "not an outcome"),
        ("remedied=-1", "not a positive number"),
    ],
)
def test_a_bad_retention_setting_stops_start_up_with_advice(
    unused_database: dict[str, object], written: str, complaint: str
) -> None:
    with pytest.raises(ConfigError, match=complaint):
        create_app({**unused_database, "REMEDY_RETENTION_DAYS": written})


@given(plaintext=st.binary(max_size=2048), context=st.sampled_from(["people.name", "x.y"]))
def test_any_value_survives_a_subject_key_round_trip(plaintext: bytes, context: str) -> None:
    key = SubjectKey.generate()

    assert key.decrypt(key.encrypt(plaintext, context), context) == plaintext
    assert SubjectKey.generate().key_id != key.key_id


def test_the_retention_job_runs_daily(app: Flask) -> None:
    from remedy.messaging.periodic import app_jobs

    (job,) = [job for job in app_jobs() if job.name == "retention"]

    assert job.every == timedelta(days=1)
