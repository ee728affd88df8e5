"""Hand-offs from the case page: the team records the people's consent to share their
file, downloads the export pack (personal data only with that consent), records the
body's news, records State actors, and pauses a track for parallel proceedings."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from remedy.core.extensions import db
from remedy.models import AuditEvent
from remedy.models.involvement_track import ProceedingKind
from tests.console.case_support import console_for, text_of
from tests.handoffs import TOLD, Body, connected_bodies, refer_track
from tests.workflows.scenarios import Scenario


@pytest.fixture
def body(scenario: Scenario) -> Body:
    return connected_bodies()


def test_a_handler_records_consent_and_downloads_the_full_pack(
    app: Flask, scenario: Scenario, body: Body
) -> None:
    grievance, _track, referral = refer_track(scenario, body.mechanism)
    console = console_for(app, scenario.handler)
    person = grievance.people[0].person

    answered = console.post(
        grievance,
        f"/referrals/{referral.id}/consent",
        {"consent": "yes", "via": "voice", "shared": "The complaint and two payslips."},
    )
    assert answered.status_code == 302
    page = text_of(console.html(grievance))
    assert "The people agreed to share their file (by phone call)." in page
    assert "Awaiting the body's acknowledgement" in page

    printable = console.client.get(
        f"/console/grievances/{grievance.reference}/referrals/{referral.id}/pack"
    )
    as_json = console.client.get(
        f"/console/grievances/{grievance.reference}/referrals/{referral.id}/pack?format=json"
    )

    assert printable.status_code == 200
    assert printable.mimetype == "text/html"
    html = printable.get_data(as_text=True)
    assert TOLD in html
    assert person.name in html
    assert "The people agreed to share their file with you" in html
    pack = json.loads(as_json.get_data(as_text=True))
    assert as_json.headers["Content-Disposition"].startswith("attachment")
    assert pack["personal_data"] is True
    assert pack["consent"]["shared"] == "The complaint and two payslips."
    made = db.session.query(AuditEvent).filter_by(action="referral.pack").count()
    assert made == 2


def test_without_consent_the_downloaded_pack_says_it_holds_no_personal_data(
    app: Flask, scenario: Scenario, body: Body
) -> None:
    grievance, _track, referral = refer_track(scenario, body.mechanism)
    console = console_for(app, scenario.handler)
    person = grievance.people[0].person
    console.post(grievance, f"/referrals/{referral.id}/consent", {"consent": "no", "via": "sms"})

    html = console.client.get(
        f"/console/grievances/{grievance.reference}/referrals/{referral.id}/pack"
    ).get_data(as_text=True)

    assert "this pack holds no personal data" in html
    assert person.pseudonym in html
    assert person.name not in html
    assert person.phone not in html
    assert TOLD not in html


def test_the_team_records_the_bodys_news_until_the_outcome(
    app: Flask, scenario: Scenario, body: Body
) -> None:
    grievance, _track, referral = refer_track(scenario, body.mechanism)
    console = console_for(app, scenario.handler)
    path = f"/referrals/{referral.id}/updates"

    console.post(grievance, path, {"kind": "acknowledgement", "text": "Letter ref. 12/2027."})
    console.post(grievance, path, {"kind": "outcome", "text": "The employer paid."})

    page = text_of(console.html(grievance))
    assert "Acknowledged: Letter ref. 12/2027." in page
    assert "Outcome: The employer paid." in page
    assert not console.offers(grievance, path)


def test_an_unknown_kind_of_news_shows_the_form_again(
    app: Flask, scenario: Scenario, body: Body
) -> None:
    grievance, _track, referral = refer_track(scenario, body.mechanism)
    console = console_for(app, scenario.handler)

    refused = console.post(
        grievance, f"/referrals/{referral.id}/updates", {"kind": "verdict", "text": "x"}
    )

    assert refused.status_code == 422
    assert "Choose one of the listed options." in refused.get_data(as_text=True)


def test_an_organisations_staff_cannot_download_a_pack(
    app: Flask, scenario: Scenario, body: Body
) -> None:
    grievance, _track, referral = refer_track(scenario, body.mechanism)
    console = console_for(app, scenario.company_handler)

    response = console.client.get(
        f"/console/grievances/{grievance.reference}/referrals/{referral.id}/pack"
    )

    assert response.status_code == 404


def test_state_actors_are_recorded_and_shown_to_the_mechanisms_team_only(
    app: Flask, scenario: Scenario
) -> None:
    grievance, _tracks = scenario.in_remedy()
    handler = console_for(app, scenario.handler)

    recorded = handler.post(
        grievance,
        "/state-actors",
        {"kind": "police", "name": "Kitui police post", "conduct": "Arrested two protesters."},
    )

    assert recorded.status_code == 302
    assert "Kitui police post (Police): Arrested two protesters." in text_of(
        handler.html(grievance)
    )
    company_page = console_for(app, scenario.company_handler).html(grievance)
    assert "Kitui police post" not in company_page


def test_a_track_paused_for_parallel_proceedings_resumes_where_it_was(
    app: Flask, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy()
    console = console_for(app, scenario.handler)
    base = f"/tracks/{track.id}/triggers"

    paused = console.post(
        grievance,
        f"{base}/enter_parallel_proceedings",
        {"reason": "The labour court took up the case.", "proceeding": "court"},
    )
    assert paused.status_code == 302
    db.session.refresh(track)
    assert (track.state, track.proceeding_kind, track.due_at) == (
        "parallel_proceedings",
        ProceedingKind.COURT,
        None,
    )
    assert "Paused for parallel proceedings (Court):" in text_of(console.html(grievance))

    resumed = console.post(
        grievance, f"{base}/resume_after_proceedings", {"reason": "The court ruled."}
    )

    assert resumed.status_code == 302
    db.session.refresh(track)
    assert (track.state, track.proceedings_state) == ("planning", None)
    assert track.due_at is not None
