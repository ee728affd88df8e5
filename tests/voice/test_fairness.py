""" "Hear about my case" by phone, once the case is over: the menu offers to say how fair
the way we handled the complaint was; a key from 1 to 5 is the answer, and a comment may
follow after the beep (the hash key alone: none)."""

from __future__ import annotations

from sqlalchemy import select

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.models import CallRecording, Grievance, RecordingPurpose
from remedy.models.mechanism_feedback import FeedbackVia
from tests.fairness_support import answers_to_fairness as feedback
from tests.fake_twilio import FakeTwilio
from tests.sms.conftest import deliver_outbox
from tests.voice.conftest import Caller, said
from tests.voice.test_callbacks import by_voice, message, placed_for
from tests.voice.test_case import form, new_pin, open_by_phone
from tests.workflows.scenarios import Scenario


def ended_case(scenario: Scenario, caller: Caller) -> Grievance:
    """Filed with the caller's number; found not admissible (it can still be appealed:
    the menu offers the appeal first, then the question)."""
    grievance = scenario.file(**form(caller))
    intake.reject(scenario.handler, grievance, "Outside our operations.", scenario.court())
    db.session.commit()
    return grievance


def test_a_key_then_a_recorded_comment(scenario: Scenario, caller: Caller) -> None:
    grievance = ended_case(scenario, caller)

    open_by_phone(caller, grievance)
    assert said("answer_fairness", "en", digit=2) in caller.heard()
    caller.press("2")
    assert said("fairness_question", "en") in caller.heard()
    caller.press("4")
    assert said("fairness_comment", "en") in caller.heard()
    caller.record()

    assert said("answered", "en") in caller.heard()
    (given,) = feedback(grievance)
    assert (given.score, given.comment, given.via) == (4, "[voice recording]", FeedbackVia.VOICE)
    assert given.person_id == grievance.people[0].person_id
    (recording,) = db.session.scalars(
        select(CallRecording).where(CallRecording.grievance_id == grievance.id)
    ).all()
    assert recording.purpose is RecordingPurpose.FAIRNESS_COMMENT


def test_the_key_alone_is_the_answer_when_nothing_is_said(
    scenario: Scenario, caller: Caller
) -> None:
    grievance = ended_case(scenario, caller)
    open_by_phone(caller, grievance)
    caller.press("2")
    caller.press("5")
    assert [(f.score, f.comment) for f in feedback(grievance)] == [(5, None)]  # heard already

    caller.silence()

    assert said("answered", "en") in caller.heard()
    assert [(f.score, f.comment) for f in feedback(grievance)] == [(5, None)]


def test_a_key_outside_1_to_5_asks_again(scenario: Scenario, caller: Caller) -> None:
    grievance = ended_case(scenario, caller)
    open_by_phone(caller, grievance)
    caller.press("2")

    caller.press("7")

    assert said("not_understood", "en") in caller.heard()
    assert said("fairness_question", "en") in caller.heard()
    assert feedback(grievance) == []


def test_not_offered_while_the_case_is_open(scenario: Scenario, caller: Caller) -> None:
    grievance = scenario.file(**form(caller))
    db.session.commit()

    open_by_phone(caller, grievance)

    assert said("answer_fairness", "en", digit=1) not in caller.heard()
    assert said("answer_fairness", "en", digit=2) not in caller.heard()


def test_a_call_back_asks_the_question_and_the_keypad_answers_it(
    scenario: Scenario, caller: Caller, callbacks_to_app: FakeTwilio
) -> None:
    """Filed by a call, with call-backs allowed: the question is a call of its own,
    whose words lead into the case's menu, where it is answered."""
    grievance = scenario.file(**by_voice(caller))
    intake.reject(scenario.handler, grievance, "Outside our operations.", scenario.court())
    db.session.commit()
    pin = new_pin(grievance)
    row = message(grievance, "fairness")

    deliver_outbox()
    (placed,) = placed_for(callbacks_to_app, row)
    caller.answer(placed)
    caller.press(pin)

    heard = caller.heard()
    assert heard.startswith(row.body)
    assert "when you open your case" in row.body
    assert said("answer_fairness", "en", digit=2) in heard  # after the appeal
    caller.press("2")
    caller.press("3")
    caller.silence()
    assert [(f.score, f.via) for f in feedback(grievance)] == [(3, FeedbackVia.VOICE)]
