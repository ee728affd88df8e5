"""The proxy portal, for the people: a file with the information it adds (the filing's
types and limits), why the people withdraw (optional; their fear raises the case's
reprisal risk), and, on a check-in it answers, that the team keeps proof of delivery."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.filing import later_files
from remedy.models import AddedInformation, Attachment, AuditEvent, TrackKind
from remedy.models.grievance import Grievance, ReprisalRisk
from remedy.models.withdrawal import WithdrawalReason
from tests.proxy.portal import snapshot
from tests.proxy.test_acting import fresh, mandated, page_of
from tests.support import csrf_token
from tests.workflows.scenarios import Scenario

PHOTO = b"\xff\xd8\xff\xe0" + b"the fence across the path" * 40
RECEIPT = b"%PDF-1.4 the receipt" + b" " * 100


def act(client: FlaskClient, grievance: Grievance, path: str, data: dict[str, Any]) -> str:
    """Send one form of the case page (files included); the text of the page that answers."""
    page = page_of(grievance)
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post(page + path, data={**data, "csrf_token": token})
    if response.status_code == 302:
        return client.get(response.headers["Location"]).get_data(as_text=True)
    return f"{response.status_code} " + response.get_data(as_text=True)


def test_the_member_adds_a_file_with_the_information(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = scenario.file(people=2)
    scenario.mandate(grievance)
    assert 'enctype="multipart/form-data"' in portal.get(page_of(grievance)).text

    page = act(
        portal,
        grievance,
        "/information",
        {"information": "Photo of the fence.", "attachment": (BytesIO(PHOTO), "fence.jpg")},
    )

    assert "The information is added to the case." in page
    added = db.session.scalars(select(AddedInformation)).one()
    (photo,) = db.session.scalars(select(Attachment)).all()
    assert (photo.added_information_id, photo.content) == (added.id, PHOTO)


def test_a_refused_file_changes_nothing_and_names_the_limit(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = scenario.file(people=2)
    scenario.mandate(grievance)
    before = snapshot(grievance)
    huge = b"\xff\xd8\xff" + b"x" * (10 * 1024 * 1024)

    page = act(
        portal,
        grievance,
        "/information",
        {"information": "Photo of the fence.", "attachment": (BytesIO(huge), "fence.jpg")},
    )

    assert page.startswith("400 ")
    assert "files up to 10 MB can be added" in page
    assert snapshot(grievance) == before
    assert db.session.scalars(select(Attachment)).all() == []


def test_the_member_withdraws_with_the_peoples_reason_and_words(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "planning")
    html = portal.get(page_of(case.grievance)).text
    for reason in WithdrawalReason:
        assert f'value="{reason.value}"' in html

    page = act(
        portal,
        case.grievance,
        "/withdraw",
        {"confirm": "y", "reason": "not_pursuing", "note": "They moved to town."},
    )

    assert "The grievance is withdrawn." in page
    grievance = case.fresh()
    assert grievance.state == "withdrawn"
    assert grievance.withdrawal_reason is WithdrawalReason.NOT_PURSUING
    assert grievance.withdrawal_note == "They moved to town."
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "grievance.withdrawal_reason")
    ).one()
    assert (event.actor_kind, event.after) == ("proxy", {"reason": "not_pursuing", "note": True})


def test_the_peoples_fear_raises_the_reprisal_risk(portal: FlaskClient, scenario: Scenario) -> None:
    case = mandated(scenario, "planning")

    act(portal, case.grievance, "/withdraw", {"confirm": "y", "reason": "afraid"})

    grievance = case.fresh()
    assert grievance.state == "withdrawn"
    assert grievance.reprisal_risk is ReprisalRisk.HIGH
    assert grievance.discreet_messages


def test_no_reason_is_needed_and_an_unknown_one_changes_nothing(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "planning")
    before = snapshot(case.grievance)

    refused = act(portal, case.grievance, "/withdraw", {"confirm": "y", "reason": "bored"})

    assert refused.startswith("400 ")
    assert snapshot(case.grievance) == before
    act(portal, case.grievance, "/withdraw", {"confirm": "y", "reason": ""})
    assert fresh(case.grievance).state == "withdrawn"
    assert fresh(case.grievance).withdrawal_reason is None


def test_a_check_in_the_member_answers_says_proof_exists_without_showing_it(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE, people=2)
    scenario.mandate(grievance)
    scenario.implement(track)
    (action,) = track.remedy_actions
    later_files.deliver_with_evidence(
        scenario.handler, action, "Fence removed.", [later_files.Upload("r.pdf", RECEIPT)]
    )
    db.session.commit()

    html = portal.get(page_of(grievance)).text

    assert "The team keeps files as proof that this was done." in html
    assert "r.pdf" not in html
