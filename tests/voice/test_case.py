""" "Hear about my case" by phone: the reference and PIN by keypad, the status in plain
words, and every pending step done by keypad or a recording, through the same services
as the web page and SMS."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from remedy.access.case_access import reset_pin
from remedy.cases import intake
from remedy.cases.status import case_status
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.filing.grievances import PersonDetails
from remedy.identity.consents import consent_for
from remedy.models import (
    Answer,
    CallRecording,
    Grievance,
    InvolvementTrack,
    Mandate,
    RecordingPurpose,
    TrackKind,
)
from remedy.models.identity_consent import ConsentAnswer, ConsentVia
from remedy.voice.recordings import fetch_recordings
from tests.sms.conftest import added_to
from tests.voice.conftest import Caller, said
from tests.voice.test_filing import the_call
from tests.workflows.scenarios import Scenario


def form(caller: Caller, language: str = "en") -> dict[str, object]:
    return {
        "complainant": PersonDetails("Awa", caller.number, language),
        "language": language,
    }


def new_pin(grievance: Grievance) -> str:
    with atomic():
        return reset_pin(grievance)


def open_by_phone(caller: Caller, grievance: Grievance) -> None:
    """Call, 2 for my case, then the reference and the PIN (the number is known: no
    language menu)."""
    pin = new_pin(grievance)
    caller.call()
    caller.press("2")
    assert caller.heard() == said("enter_reference", "en")
    caller.press(grievance.reference)
    assert caller.heard() == said("enter_pin", "en")
    caller.press(pin)


def status_words(grievance: Grievance) -> str:
    db.session.expire_all()
    with force_locale("en"):
        status = case_status(grievance)
        return f"{status.now} {status.next}"


def refreshed(item: object) -> None:
    db.session.expire_all()
    db.session.refresh(item)


def proposed(scenario: Scenario, caller: Caller) -> InvolvementTrack:
    _, (track,) = scenario.in_remedy(TrackKind.CAUSE, **form(caller))
    scenario.propose(track)
    return track


def test_the_status_is_read_and_a_proposal_accepted_by_keypad(
    scenario: Scenario, caller: Caller
) -> None:
    track = proposed(scenario, caller)

    open_by_phone(caller, track.grievance)

    heard = caller.heard()
    assert heard.startswith(status_words(track.grievance))
    assert said("answer_proposal", "en", digit=1) in heard
    caller.press("1")
    assert said("proposed", "en", remedy="Remove the fence.") in caller.heard()
    assert said("proposal", "en") in caller.heard()
    caller.press("1")
    assert said("accepted", "en") in caller.heard()
    assert said("goodbye", "en") in caller.heard()
    refreshed(track)
    assert track.state == "implementing"
    assert the_call(caller).state == "ended"


def test_a_proposal_is_declined_with_a_recorded_reason(scenario: Scenario, caller: Caller) -> None:
    track = proposed(scenario, caller)
    open_by_phone(caller, track.grievance)
    caller.press("1")
    caller.press("2")
    assert said("decline_reason", "en") in caller.heard()
    caller.record()

    refreshed(track)
    assert track.state == "dialogue"
    assert said("answered", "en") in caller.heard()
    (recording,) = db.session.scalars(
        select(CallRecording).where(CallRecording.grievance_id == track.grievance_id)
    ).all()
    assert recording.purpose is RecordingPurpose.DECLINE_REASON


def test_a_check_in_is_answered_by_keypad(scenario: Scenario, caller: Caller) -> None:
    _, (track,) = scenario.in_remedy(TrackKind.CAUSE, **form(caller))
    scenario.verify(track)
    (check_in,) = scenario.open_check_ins(track)

    open_by_phone(caller, track.grievance)
    assert said("answer_check_in", "en", digit=1) in caller.heard()
    caller.press("1")
    assert said("check_in", "en") in caller.heard()
    caller.press("1")  # yes, it arrived

    refreshed(check_in)
    assert check_in.response is not None
    assert check_in.response.answer is Answer.YES
    assert said("answered", "en") in caller.heard()


def test_a_check_in_answered_partly_records_what_is_missing(
    scenario: Scenario, caller: Caller
) -> None:
    _, (track,) = scenario.in_remedy(TrackKind.CAUSE, **form(caller))
    scenario.verify(track)
    (check_in,) = scenario.open_check_ins(track)

    open_by_phone(caller, track.grievance)
    caller.press("1")
    caller.press("2")  # partly
    assert said("missing", "en") in caller.heard()
    caller.record()

    refreshed(check_in)
    assert check_in.response is not None
    assert check_in.response.answer is Answer.PARTLY
    assert check_in.response.comment == "[voice recording]"


def test_the_teams_question_is_answered_with_a_recording(
    scenario: Scenario, caller: Caller
) -> None:
    grievance = scenario.file(**form(caller))
    intake.request_info(scenario.handler, grievance, "Which path is blocked?")

    open_by_phone(caller, grievance)
    assert said("answer_question", "en", digit=1) in caller.heard()
    caller.press("1")
    assert said("question", "en") in caller.heard()
    caller.record()

    assert added_to(grievance) == ["[voice recording]"]
    refreshed(grievance)
    assert grievance.state != "awaiting_complainant"
    (recording,) = db.session.scalars(
        select(CallRecording).where(CallRecording.grievance_id == grievance.id)
    ).all()
    assert recording.purpose is RecordingPurpose.QUESTION
    assert fetch_recordings() == 1  # the answer's attachment


def test_a_mandate_is_withdrawn_by_keypad(scenario: Scenario, caller: Caller) -> None:
    grievance = scenario.file(**form(caller))
    scenario.mandate(grievance)

    open_by_phone(caller, grievance)
    assert said("withdraw_mandate", "en", digit=1) in caller.heard()
    caller.press("1")
    name = scenario.ngo.name
    assert said("organisation", "en", organisation=name, digit=1) in caller.heard()
    caller.press("1")

    assert said("mandate_withdrawn", "en", organisation=name) in caller.heard()
    db.session.expire_all()
    (mandate,) = db.session.scalars(
        select(Mandate).where(Mandate.grievance_id == grievance.id)
    ).all()
    assert mandate.withdrawn_at is not None


def test_a_decision_is_appealed_with_a_recorded_reason(scenario: Scenario, caller: Caller) -> None:
    grievance = scenario.file(**form(caller))
    intake.reject(scenario.handler, grievance, "Outside our operations.", scenario.court())

    open_by_phone(caller, grievance)
    assert said("appeal", "en", digit=1) in caller.heard()
    caller.press("1")
    caller.record()

    refreshed(grievance)
    assert grievance.state == "under_review"


def test_a_wrong_pin_is_told_like_every_channel_and_asks_again(
    scenario: Scenario, caller: Caller
) -> None:
    grievance = scenario.file(**form(caller))
    pin = new_pin(grievance)
    caller.call()
    caller.press("2")
    caller.press(grievance.reference)
    caller.press("000000" if pin != "000000" else "111111")

    assert said("no_case", "en") in caller.heard()
    assert said("enter_reference", "en") in caller.heard()
    assert the_call(caller).grievance_id is None


def test_the_people_say_by_keypad_whether_a_partner_may_know_who_they_are(
    scenario: Scenario, caller: Caller
) -> None:
    grievance, (_company, partner_track) = scenario.in_remedy(
        TrackKind.CAUSE, TrackKind.CAUSE, **form(caller)
    )
    partner = partner_track.organisation.name

    open_by_phone(caller, grievance)
    assert said("answer_consent", "en", digit=1) in caller.heard()
    caller.press("1")
    assert said("consent_question", "en", organisation=partner) in caller.heard()
    caller.press("1")

    assert said("answered", "en") in caller.heard()
    db.session.expire_all()
    consent = consent_for(grievance, partner_track.organisation_id)
    assert consent is not None
    assert (consent.answer, consent.answered_via) == (ConsentAnswer.YES, ConsentVia.VOICE)
