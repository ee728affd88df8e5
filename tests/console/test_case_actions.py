"""Case work through the console: every trigger and plan change goes through its service.

A refusal (a missing field, a guard, a role, a version conflict) shows the page again
with the form open, what was typed and why, and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from remedy.cases import tracks
from remedy.core.extensions import db
from remedy.models import (
    ActionOwner,
    ActionStatus,
    AuditEvent,
    Grievance,
    InvolvementTrack,
    LeverageStatus,
    RemedyType,
    TrackKind,
)
from remedy.models.types import utcnow
from tests.console.case_support import Console, console_for, text_of
from tests.workflows.scenarios import Scenario


@pytest.fixture
def handler(app: Flask, scenario: Scenario) -> Console:
    return console_for(app, scenario.handler)


def events() -> int:
    return int(db.session.scalar(select(func.count(AuditEvent.seq))) or 0)


def action_row(index: int = 0, **values: str) -> dict[str, str]:
    row = {
        "type": RemedyType.CESSATION.value,
        "description": "Move the fence back to the old line.",
        "owner": ActionOwner.THIS_ORGANISATION.value,
        "due_date": (utcnow().date() + timedelta(days=30)).isoformat(),
        **values,
    }
    return {f"action-{index}-{key}": value for key, value in row.items()}


def leverage_row(index: int = 0, **values: str) -> dict[str, str]:
    row = {
        "type": "raise_issue",
        "target": "Rift Haulage",
        "description": "Raise the fence with the haulier's director.",
        **values,
    }
    return {f"leverage-{index}-{key}": value for key, value in row.items()}


# Intake ----------------------------------------------------------------------------------


def test_accepting_moves_the_grievance_on_and_says_so(handler: Console, scenario: Scenario) -> None:
    grievance = scenario.file()

    response = handler.post(grievance, "/triggers/accept", {})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/console/grievances/{grievance.reference}#actions"
    )
    db.session.refresh(grievance)
    assert grievance.state == "assessment"
    assert "Done: Accept." in text_of(handler.html(grievance))


def test_a_missing_required_field_shows_the_form_again_and_changes_nothing(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file()
    before = events()

    response = handler.post(grievance, "/triggers/reject", {"reason": "Outside our operations."})

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Fill in: where to refer the complainant." in text_of(html)
    assert '<details class="trigger" id="trigger-reject" open>' in html
    assert "Outside our operations.</textarea>" in html
    db.session.refresh(grievance)
    assert grievance.state == "screening"
    assert events() == before


def test_rejecting_with_a_referral_from_the_directory(handler: Console, scenario: Scenario) -> None:
    grievance = scenario.file()
    html = handler.html(grievance)
    court = scenario.court()
    assert f'<option value="{court}">' in html  # the directory is offered in the form

    response = handler.post(
        grievance,
        "/triggers/reject",
        {"reason": "Outside our operations.", "referral": str(court)},
    )

    assert response.status_code == 302
    db.session.refresh(grievance)
    assert grievance.state == "not_admissible"
    assert "Referrals" in text_of(handler.html(grievance))


def test_asking_for_information_and_recording_the_answer(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file()
    handler.post(grievance, "/triggers/request_info", {"question": "Where is the fence?"})
    db.session.refresh(grievance)
    assert grievance.state == "awaiting_complainant"

    # The complainant called back: the handler writes down what was said.
    response = handler.post(
        grievance, "/triggers/info_received", {"information": "Behind the school."}
    )

    assert response.status_code == 302
    db.session.refresh(grievance)
    assert grievance.state == "screening"
    assert "Behind the school." in text_of(handler.html(grievance))


def test_classifying_opens_one_track_per_organisation_with_the_severity(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.in_assessment()
    html = handler.html(grievance)
    assert "Severity" in html
    assert "Acme Mining" in html

    response = handler.post(
        grievance,
        "/triggers/classify",
        {
            "track-0-organisation": str(scenario.company.id),
            "track-0-kind": "cause",
            "track-0-rationale": "Its fence.",
            "track-1-organisation": str(scenario.partner.id),
            "track-1-kind": "directly_linked",
            "track-1-rationale": "Its lorries.",
            "severity-scale": "3",
            "severity-scope": "2",
            "severity-irremediability": "4",
        },
    )

    assert response.status_code == 302, text_of(response.get_data(as_text=True))[:500]
    db.session.refresh(grievance)
    assert grievance.state == "in_remedy"
    assert [(t.organisation_id, t.kind) for t in grievance.tracks] == [
        (scenario.company.id, TrackKind.CAUSE),
        (scenario.partner.id, TrackKind.DIRECTLY_LINKED),
    ]
    assert grievance.severity == 4


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"severity-scale": "9"}, "Severity is rated from 1 (low) to 4 (very high)."),
        ({"track-0-organisation": "abc"}, "Choose one of the listed options."),
        ({"track-0-kind": "guilty"}, "Choose one of the listed options."),
        ({"track-0-organisation": "99999"}, "Choose one of the listed options."),
        ({"track-0-organisation": ""}, "Fill in: the organisations involved."),
        ({"track-0-rationale": ""}, "Explain why the organisation is involved this way."),
    ],
)
def test_a_malformed_classification_is_a_clear_400(
    handler: Console, scenario: Scenario, fields: dict[str, str], message: str
) -> None:
    grievance = scenario.in_assessment()
    form = {
        "track-0-organisation": str(scenario.company.id),
        "track-0-kind": "cause",
        "track-0-rationale": "Its fence.",
        "severity-scale": "2",
        "severity-scope": "2",
        "severity-irremediability": "2",
        **fields,
    }

    response = handler.post(grievance, "/triggers/classify", form)

    assert response.status_code in (409, 422)  # refused trigger, or a bad value
    assert message in text_of(response.get_data(as_text=True))
    db.session.refresh(grievance)
    assert grievance.state == "assessment"
    assert grievance.tracks == []


def test_a_stale_page_is_a_conflict_and_nothing_is_saved(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file()
    shown = grievance.version
    scenario.mandate(grievance)  # someone else changed the case meanwhile
    grievance.updated_at = utcnow()
    db.session.commit()
    assert grievance.version != shown

    response = handler.post(grievance, "/triggers/accept", {}, version=shown)

    assert response.status_code == 409
    assert "Someone else changed this case since you opened it" in text_of(
        response.get_data(as_text=True)
    )
    db.session.refresh(grievance)
    assert grievance.state == "screening"


def test_a_step_for_another_role_is_refused_with_403(
    app: Flask, handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.to_grievance_state("under_review")

    assert not handler.offers(grievance, "/triggers/uphold")  # not offered to a handler
    response = handler.post(grievance, "/triggers/uphold", {"reason": "It stays."})

    assert response.status_code == 403
    assert "You may not do this on this case." in text_of(response.get_data(as_text=True))
    db.session.refresh(grievance)
    assert grievance.state == "under_review"


def test_the_complainants_steps_are_never_offered_or_done_by_staff(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file()
    assert handler.offers(grievance, "/triggers/accept")
    assert not handler.offers(grievance, "/triggers/withdraw")

    response = handler.post(grievance, "/triggers/withdraw", {})

    assert response.status_code == 422
    db.session.refresh(grievance)
    assert grievance.state == "screening"


def test_unknown_steps_are_400_and_unknown_cases_404(handler: Console, scenario: Scenario) -> None:
    grievance = scenario.file()
    assert handler.post(grievance, "/triggers/explode", {}).status_code == 422
    for reference in ("12345678", "abc", "%00", "1" * 300):
        assert handler.client.get(f"/console/grievances/{reference}").status_code == 404
    assert (
        handler.post(grievance, "/remedy-actions/99999999999999999999/cancel", {}).status_code
        == 404
    )


# Tracks ----------------------------------------------------------------------------------


def test_proposing_a_remedy_with_its_actions_in_one_form(
    handler: Console, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    # Offered although the plan is still empty: the form adds the actions.
    assert handler.offers(grievance, f"/tracks/{track.id}/triggers/propose_remedy")

    response = handler.post(
        grievance,
        f"/tracks/{track.id}/triggers/propose_remedy",
        {**action_row(0), **action_row(1, type="compensation", financial="yes")},
    )

    assert response.status_code == 302
    db.session.refresh(track)
    assert track.state == "proposed"
    assert [(a.type, a.financial) for a in track.remedy_actions] == [
        (RemedyType.CESSATION, False),
        (RemedyType.COMPENSATION, True),
    ]


def test_a_proposal_without_any_action_is_refused(handler: Console, scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)

    response = handler.post(grievance, f"/tracks/{track.id}/triggers/propose_remedy", {})

    assert response.status_code == 409
    assert "Add at least one remedy action first." in text_of(response.get_data(as_text=True))
    db.session.refresh(track)
    assert track.state == "planning"
    assert track.remedy_actions == []


def test_a_contributing_organisation_proposes_with_its_leverage_plan(
    handler: Console, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CONTRIBUTE)
    path = f"/tracks/{track.id}/triggers/propose_remedy"

    refused = handler.post(grievance, path, action_row(0))
    assert refused.status_code == 409
    assert "Add at least one leverage action" in text_of(refused.get_data(as_text=True))

    response = handler.post(grievance, path, {**action_row(0), **leverage_row(0)})

    assert response.status_code == 302
    db.session.refresh(track)
    assert track.state == "proposed"
    assert [item.target for item in track.leverage_actions] == ["Rift Haulage"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (action_row(0, due_date="tomorrow"), "Give the date as year-month-day."),
        (action_row(0, type="vengeance"), "Choose one of the listed options."),
        (action_row(0, owner="nobody"), "Choose one of the listed options."),
        (action_row(0, due_date="2001-01-01"), "The due date has passed."),
    ],
)
def test_a_malformed_action_row_is_a_clear_400(
    handler: Console, scenario: Scenario, fields: dict[str, str], message: str
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)

    response = handler.post(grievance, f"/tracks/{track.id}/triggers/propose_remedy", fields)

    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))
    db.session.refresh(track)
    assert track.state == "planning"


def test_the_plan_is_built_delivered_and_verified_from_the_console(
    handler: Console, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    added = handler.post(
        grievance,
        f"/tracks/{track.id}/remedy-actions",
        {
            "new-type": "apology",
            "new-description": "A public apology at the village meeting.",
            "new-owner": "this_organisation",
            "new-due_date": "",
        },
    )
    assert added.status_code == 302
    handler.post(grievance, f"/tracks/{track.id}/triggers/propose_remedy", {})
    db.session.refresh(track)
    assert track.state == "proposed"
    tracks.accept_proposal(scenario.complainant(grievance), track)
    (action,) = track.remedy_actions

    no_evidence = handler.post(grievance, f"/remedy-actions/{action.id}/delivered", {})
    assert no_evidence.status_code == 422
    delivered = handler.post(
        grievance, f"/remedy-actions/{action.id}/delivered", {"evidence": "Minutes signed."}
    )

    assert delivered.status_code == 302
    db.session.refresh(track)
    db.session.refresh(action)
    assert action.status is ActionStatus.DELIVERED
    assert track.state == "verifying"
    html = text_of(handler.html(grievance))
    assert "Minutes signed." in html
    assert "Waiting" in html  # the check-in put to the complainant

    asked = handler.post(grievance, f"/tracks/{track.id}/check-ins", {})
    assert asked.status_code == 302
    assert "round 2" in text_of(handler.html(grievance))


def test_cancelling_an_action(handler: Console, scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.propose(track)
    (action,) = track.remedy_actions

    response = handler.post(grievance, f"/remedy-actions/{action.id}/cancel", {})

    assert response.status_code == 302
    db.session.refresh(action)
    assert action.status is ActionStatus.CANCELLED


def test_directly_linked_leverage_escalation_and_commitment(
    app: Flask, handler: Console, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.DIRECTLY_LINKED)
    path = f"/tracks/{track.id}/triggers"

    recorded = handler.post(grievance, f"{path}/record_leverage", leverage_row(0))
    assert recorded.status_code == 302
    (lever,) = track.leverage_actions
    done = handler.post(grievance, f"/leverage-actions/{lever.id}/done", {"result": "Agreed."})
    assert done.status_code == 302
    again = handler.post(grievance, f"/leverage-actions/{lever.id}/done", {"result": "Again."})
    assert again.status_code == 422
    db.session.refresh(lever)
    assert lever.status is LeverageStatus.DONE

    escalated = handler.post(grievance, f"{path}/escalate", {"reason": "No change in 60 days."})
    assert escalated.status_code == 302
    db.session.refresh(track)
    assert track.state == "escalated"

    # Ending the relationship is a supervisor's decision: not offered, refused.
    assert not handler.offers(grievance, f"{path}/end_relationship")
    refused = handler.post(grievance, f"{path}/end_relationship", {"impact_assessment": "x"})
    assert refused.status_code == 403

    committed = handler.post(grievance, f"{path}/partner_commits", action_row(0))
    assert committed.status_code == 302
    db.session.refresh(track)
    assert track.state == "partner_remedying"


def test_referring_a_track(handler: Console, scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.to_track_state(track, "dialogue")

    response = handler.post(
        grievance,
        f"/tracks/{track.id}/triggers/refer",
        {"reason": "A court can award damages.", "referral": str(scenario.court())},
    )

    assert response.status_code == 302
    db.session.refresh(track)
    assert track.state == "referred"


def test_reclassifying_keeps_the_history(handler: Console, scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)

    response = handler.post(
        grievance,
        f"/tracks/{track.id}/reclassify",
        {"kind": "contribute", "rationale": "Others built it too."},
    )

    assert response.status_code == 302
    db.session.refresh(track)
    assert track.kind is TrackKind.CONTRIBUTE
    assert "Classification history" in handler.html(grievance)
    bad = handler.post(
        grievance, f"/tracks/{track.id}/reclassify", {"kind": "nonsense", "rationale": "x"}
    )
    assert bad.status_code == 422


def test_a_supervisor_closes_without_confirmation_after_the_window(
    app: Flask, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.verify(track)
    supervisor = console_for(app, scenario.supervisor)
    path = f"/tracks/{track.id}/triggers/close_without_confirmation"

    early = supervisor.post(grievance, path, {"reason": "No answer."})
    assert early.status_code == 409
    assert "still have time to answer" in text_of(early.get_data(as_text=True))

    track.check_in_window_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert supervisor.offers(grievance, path)
    response = supervisor.post(grievance, path, {"reason": "No answer after 3 reminders."})

    assert response.status_code == 302
    db.session.refresh(track)
    assert track.state == "unconfirmed"


# Organisations, auditors, strangers ------------------------------------------------------


def test_an_organisation_acts_on_its_own_track_only(app: Flask, scenario: Scenario) -> None:
    grievance, (own, other) = scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    company = console_for(app, scenario.company_handler)

    html = company.html(grievance)
    assert f'id="track-{own.id}"' in html
    assert f'id="track-{other.id}"' not in html
    assert "Rift Haulage" not in html

    mine = company.post(grievance, f"/tracks/{own.id}/triggers/propose_remedy", action_row(0))
    theirs = company.post(grievance, f"/tracks/{other.id}/triggers/escalate", {"reason": "x"})

    assert mine.status_code == 302
    assert theirs.status_code == 404
    db.session.refresh(other)
    assert other.state == "engaging"


def test_an_auditor_reads_the_case_without_a_single_form(app: Flask, scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    auditor = console_for(app, scenario.auditor)

    html = auditor.html(grievance)

    assert 'action="/console/grievances/' not in html  # not one form about the case
    assert "<textarea" not in html
    assert "<select" not in html
    assert "Read only" in html
    assert "Acme Mining" in html
    for path in ("/triggers/accept", f"/tracks/{track.id}/triggers/propose_remedy", "/notes"):
        assert auditor.post(grievance, path, {"note": "x"}).status_code == 403
    db.session.refresh(track)
    assert track.state == "planning"


def test_organisation_staff_never_open_other_grievances(app: Flask, scenario: Scenario) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)  # the company's only
    partner = console_for(app, scenario.partner_handler)

    assert partner.page(grievance).status_code == 404


# Never a 500 -----------------------------------------------------------------------------

TRIGGERS = ["accept", "reject", "request_info", "classify", "propose_remedy", "refer", "x"]
FIELD_NAMES = [
    "reason",
    "referral",
    "question",
    "version",
    "track-0-organisation",
    "track-0-kind",
    "severity-scale",
    "action-0-description",
    "action-0-type",
    "action-0-due_date",
    "leverage-0-target",
]


@pytest.fixture
def contributing(scenario: Scenario) -> tuple[Grievance, InvolvementTrack]:
    grievance, (track,) = scenario.in_remedy(TrackKind.CONTRIBUTE)
    return grievance, track


# The fixtures are made once for all examples: the case moves on as the examples act on it.
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    trigger=st.sampled_from(TRIGGERS),
    on_track=st.booleans(),
    data=st.dictionaries(st.sampled_from(FIELD_NAMES), st.text(max_size=40), max_size=6),
)
def test_whatever_is_posted_the_answer_is_never_a_500(
    handler: Console,
    contributing: tuple[Grievance, InvolvementTrack],
    trigger: str,
    on_track: bool,
    data: dict[str, str],
) -> None:
    grievance, track = contributing
    path = f"/tracks/{track.id}/triggers/{trigger}" if on_track else f"/triggers/{trigger}"

    response = handler.post(grievance, path, data)

    assert response.status_code in (302, 400, 403, 404, 409, 422)
