"""Subject access: ``flask people export`` prints what is held about a case's people."""

from __future__ import annotations

import json

from flask.testing import FlaskCliRunner
from sqlalchemy import select

from remedy.cases import withdrawal
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails, add_attachment
from remedy.models import AuditEvent
from remedy.models.withdrawal import WithdrawalReason
from tests.support import file_grievance


def test_the_export_prints_the_people_and_texts_of_a_case_as_json(
    runner: FlaskCliRunner,
) -> None:
    grievance = file_grievance(
        "The fence blocks the path to the well.",
        location="Lower Kabete",
        complainant=PersonDetails("Amina Njoroge", "+254712345678", "sw"),
        contact_consent=True,
    ).grievance
    add_attachment(OPERATOR, grievance, "path.jpg", "image/jpeg", b"\xff\xd8")
    reference = grievance.reference
    db.session.commit()

    result = runner.invoke(args=["people", "export", "--reference", reference])

    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (person,) = data["people"]
    assert (person["name"], person["phone"], person["language"], person["role"]) == (
        "Amina Njoroge",
        "+254712345678",
        "sw",
        "complainant",
    )
    assert data["case"]["description"] == "The fence blocks the path to the well."
    assert data["case"]["location"] == "Lower Kabete"
    assert [a["filename"] for a in data["attachments"]] == ["path.jpg"]
    assert data["messages_sent"], "the acknowledgement sent to the phone"
    assert all(m["address"] == "+254712345678" for m in data["messages_sent"] if m["address"])


def test_each_export_is_audited_without_its_content(runner: FlaskCliRunner) -> None:
    grievance = file_grievance(
        complainant=PersonDetails("Amina Njoroge", "+254712345678")
    ).grievance
    reference = grievance.reference
    db.session.commit()

    runner.invoke(args=["people", "export", "--reference", reference])

    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "people.export")).one()
    assert (event.actor_kind, event.subject_id, event.after) == (
        "operator",
        reference,
        {"people": 1},
    )


def test_an_unknown_reference_exports_nothing(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["people", "export", "--reference", "12345678"])

    assert result.exit_code == 1
    assert "no case with that reference" in result.output


def test_the_export_holds_why_the_people_withdrew_in_their_words(
    runner: FlaskCliRunner,
) -> None:
    grievance = file_grievance(
        complainant=PersonDetails("Amina Njoroge", "+254712345678")
    ).grievance
    withdrawal.withdraw(
        Actor.complainant(grievance.reference),
        grievance,
        WithdrawalReason.OTHER,
        "We are moving to Nakuru.",
    )
    db.session.commit()

    result = runner.invoke(args=["people", "export", "--reference", grievance.reference])

    case = json.loads(result.output)["case"]
    assert (case["withdrawal_reason"], case["withdrawal_note"]) == (
        "other",
        "We are moving to Nakuru.",
    )
