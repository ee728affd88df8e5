"""The voice webhooks as Twilio uses them: signed requests only, and a retried request
answered with the same TwiML, changing nothing twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.models import Call, CallRecording, Grievance
from remedy.voice.speech import RECORDING_PATH, STATUS_PATH, VOICE_PATH
from tests.sms.conftest import signature
from tests.voice.conftest import Caller, said
from tests.voice.test_filing import complain, the_call


@pytest.mark.parametrize(
    "path", [VOICE_PATH, f"{VOICE_PATH}/step?turn=1", RECORDING_PATH, STATUS_PATH]
)
def test_a_forged_signature_is_refused(caller: Caller, path: str) -> None:
    params = caller.params(Digits="1", RecordingSid="RE" + "0" * 32, RecordingStatus="completed")

    forged = caller.post(path, params, token="not-the-auth-token")
    unsigned = caller.client.post(path, data=params)

    assert forged.status_code == 403
    assert unsigned.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Call)) == 0


def test_a_tampered_request_is_refused(caller: Caller) -> None:
    caller.call()
    path = f"{VOICE_PATH}/step?turn=1"
    signed = caller.params(Digits="1")
    sign = signature(signed, path)

    other_keys = caller.client.post(
        path, data={**signed, "Digits": "2"}, headers={"X-Twilio-Signature": sign}
    )
    other_turn = caller.client.post(
        f"{VOICE_PATH}/step?turn=2", data=signed, headers={"X-Twilio-Signature": sign}
    )

    assert other_keys.status_code == 403
    assert other_turn.status_code == 403
    assert the_call(caller).state == "language"


def test_a_retried_webhook_gets_the_same_twiml_and_changes_nothing(caller: Caller) -> None:
    caller.call()
    assert caller.retry() == caller.raw
    caller.press("1")
    turn = the_call(caller).turn

    assert caller.retry() == caller.raw
    call = the_call(caller)
    assert call.turn == turn
    assert call.state == "main_menu"


def test_a_retried_recording_is_kept_once(caller: Caller) -> None:
    caller.call()
    caller.press("1")
    caller.press("1")
    caller.record()

    assert caller.retry() == caller.raw
    call = the_call(caller)
    assert call.state == "story_recorded"
    assert db.session.scalar(select(func.count()).select_from(CallRecording)) == 1


def test_retrying_the_filing_step_files_once_and_reads_the_same_numbers(caller: Caller) -> None:
    caller.call()
    caller.press("1")
    complain(caller)

    assert caller.retry() == caller.raw
    assert db.session.scalar(select(func.count()).select_from(Grievance)) == 1


def test_a_request_from_an_old_prompt_gets_the_current_prompt(caller: Caller) -> None:
    caller.call()
    caller.press("1")  # English: the main menu, turn 2
    stale = caller.post(f"{VOICE_PATH}/step?turn=1", caller.params(Digits="3"))

    assert stale.status_code == 200
    assert said("main_menu", "en") in stale.get_data(as_text=True)
    assert the_call(caller).state == "main_menu"


def test_the_end_of_the_call_forgets_what_it_could_read_again(caller: Caller) -> None:
    caller.call()
    caller.press("1")
    complain(caller)
    assert the_call(caller).pin is not None

    caller.hang_up()

    call = the_call(caller)
    assert call.state == "ended"
    assert call.pin is None
    assert call.last_twiml is None
