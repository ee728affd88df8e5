""" "Hear about my case" on a grievance about an automated decision: the caller asks why
it was made by keypad, says what they want explained or only presses the hash key, through
the same service as SMS EXPLAIN and the web."""

from __future__ import annotations

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models import CallRecording, Category, InvolvementTrack, RecordingPurpose, TrackKind
from tests.voice.conftest import Caller, said
from tests.voice.test_case import form, open_by_phone
from tests.workflows.scenarios import Scenario


def automated(scenario: Scenario, caller: Caller, *kinds: TrackKind) -> list[InvolvementTrack]:
    _, found = scenario.in_remedy(
        *(kinds or (TrackKind.CAUSE,)), category=Category.AUTOMATED_DECISION, **form(caller)
    )
    return found


def test_the_caller_asks_why_and_says_what_to_explain(scenario: Scenario, caller: Caller) -> None:
    (track,) = automated(scenario, caller)
    open_by_phone(caller, track.grievance)
    heard = caller.heard()
    # 1 contests how the company is involved; 2 asks why its decision was made.
    assert said("contest", "en", digit=1) in heard
    assert said("explain", "en", digit=2) in heard

    caller.press("2")
    assert said("explain_reason", "en") in caller.heard()
    caller.record()

    assert said("explain_received", "en") in caller.heard()
    db.session.expire_all()
    assert track.state == "explanation_requested"
    assert track.explanation_question == "[voice recording]"
    (recording,) = db.session.scalars(
        select(CallRecording).where(CallRecording.grievance_id == track.grievance_id)
    ).all()
    assert recording.purpose is RecordingPurpose.EXPLANATION_QUESTION


def test_the_hash_key_alone_asks_for_the_explanation(scenario: Scenario, caller: Caller) -> None:
    (track,) = automated(scenario, caller)
    open_by_phone(caller, track.grievance)
    caller.press("2")

    caller.silence()

    assert said("explain_received", "en") in caller.heard()
    db.session.expire_all()
    assert track.state == "explanation_requested"
    assert track.explanation_question is None


def test_with_two_organisations_the_caller_picks_one(scenario: Scenario, caller: Caller) -> None:
    company, partner = automated(scenario, caller, TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    open_by_phone(caller, company.grievance)
    heard = caller.heard()
    explain = next(d for d in range(1, 9) if said("explain", "en", digit=d) in heard)

    caller.press(str(explain))
    assert said("organisation", "en", organisation=scenario.partner.name, digit=2) in (
        caller.heard()
    )
    caller.press("2")
    caller.record()

    db.session.expire_all()
    assert partner.state == "explanation_requested"
    assert company.state == "planning"


def test_a_case_not_about_an_automated_decision_offers_no_explanation(
    scenario: Scenario, caller: Caller
) -> None:
    _, (track,) = scenario.in_remedy(TrackKind.CAUSE, **form(caller))

    open_by_phone(caller, track.grievance)

    assert "automated decision" not in caller.heard()
