""" "Hear about my case" names each organisation and how it is involved, after the PIN,
with the team's words for the people; the caller may contest one by keypad and a
recording, through the same service as SMS CONTEST and the web."""

from __future__ import annotations

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models import CallRecording, RecordingPurpose, TrackKind
from tests.involvement import EXPLANATION, classify_two_ways, sentences
from tests.voice.conftest import Caller, said
from tests.voice.test_case import form, new_pin, open_by_phone, status_words
from tests.workflows.scenarios import Scenario


def test_the_status_names_each_organisation_and_its_involvement(
    scenario: Scenario, caller: Caller
) -> None:
    grievance = scenario.file(**form(caller))
    classify_two_ways(scenario, grievance, TrackKind.CONTRIBUTE)

    open_by_phone(caller, grievance)

    heard = caller.heard()
    assert heard.startswith(status_words(grievance))
    company, partner = sentences(scenario, TrackKind.CONTRIBUTE, "en")
    assert f"{company} {EXPLANATION}" in heard
    assert partner in heard
    assert "Staff notes" not in heard


def recorded_reasons(grievance_id: int) -> list[CallRecording]:
    return list(
        db.session.scalars(
            select(CallRecording).where(
                CallRecording.grievance_id == grievance_id,
                CallRecording.purpose == RecordingPurpose.CONTEST_REASON,
            )
        )
    )


def test_the_caller_picks_an_organisation_and_contests_its_part_with_a_recording(
    scenario: Scenario, caller: Caller
) -> None:
    grievance = scenario.file(**form(caller))
    company, partner = classify_two_ways(scenario, grievance)
    open_by_phone(caller, grievance)
    # 1 answers whether the partner, which the mechanism does not serve, may know them.
    assert said("contest", "en", digit=2) in caller.heard()

    caller.press("2")
    heard = caller.heard()
    assert said("organisation", "en", organisation=scenario.company.name, digit=1) in heard
    assert said("organisation", "en", organisation=scenario.partner.name, digit=2) in heard
    caller.press("2")
    assert said("contest_reason", "en") in caller.heard()
    caller.record()

    assert said("contest_received", "en") in caller.heard()
    db.session.expire_all()
    assert partner.state == "classification_contested"
    assert partner.contest_reason == "[voice recording]"
    assert partner.contested_state == "engaging"
    assert company.state == "planning"
    assert len(recorded_reasons(grievance.id)) == 1


def test_with_one_organisation_the_reason_is_asked_at_once_in_the_callers_language(
    scenario: Scenario, caller: Caller
) -> None:
    _, (track,) = scenario.in_remedy(TrackKind.CAUSE, **form(caller, "fr"))
    caller.call()  # a known number: straight to the main menu, in French
    caller.press("2")
    caller.press(track.grievance.reference)
    caller.press(new_pin(track.grievance))
    assert said("contest", "fr", digit=1) in caller.heard()

    caller.press("1")
    assert said("contest_reason", "fr") in caller.heard()
    caller.record()

    db.session.expire_all()
    assert track.state == "classification_contested"


def test_a_wrong_key_asks_again_and_contests_nothing(scenario: Scenario, caller: Caller) -> None:
    grievance = scenario.file(**form(caller))
    company, partner = classify_two_ways(scenario, grievance)
    open_by_phone(caller, grievance)
    caller.press("2")

    caller.press("7")

    heard = caller.heard()
    assert said("not_understood", "en") in heard
    assert said("organisation", "en", organisation=scenario.partner.name, digit=2) in heard
    db.session.expire_all()
    assert {company.state, partner.state} == {"planning", "engaging"}


def test_a_contest_already_lodged_is_not_offered_again(scenario: Scenario, caller: Caller) -> None:
    _, (track,) = scenario.in_remedy(TrackKind.CAUSE, **form(caller))
    open_by_phone(caller, track.grievance)
    caller.press("1")
    caller.record()

    second = Caller(caller.client, caller.number, caller.twilio)
    open_by_phone(second, track.grievance)

    assert said("contest", "en", digit=1) not in second.heard()
