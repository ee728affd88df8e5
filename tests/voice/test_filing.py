"""Filing by a phone call, in each of the five languages: the language menu, the
complaint told in two recordings, three questions by keypad, and the reference and PIN
read back, digit by digit, twice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.passwords import verify_secret
from remedy.models import Call, CallRecording, Channel, Grievance, OutboxMessage, ReprisalRisk
from remedy.models.outbox_message import PIN_REPLY_TEMPLATE
from remedy.voice.speech import DEFAULT_VOICES
from tests.voice.conftest import Caller, said

LANGUAGES = ("en", "fr", "es", "sw", "ar")


def the_call(caller: Caller) -> Call:
    db.session.expire_all()
    call = db.session.scalar(select(Call).where(Call.call_sid == caller.call_sid))
    assert call is not None
    return call


def filed(caller: Caller) -> Grievance:
    grievance = db.session.get(Grievance, the_call(caller).grievance_id)
    assert grievance is not None
    return grievance


def complain(caller: Caller, identity: str = "1", contact: str = "1", reprisal: str = "2") -> None:
    """From the main menu to the read-back."""
    caller.press("1")
    caller.record()  # what happened
    caller.press("1")  # keep it
    caller.record()  # where
    caller.press(identity)
    caller.press(contact)
    caller.press(reprisal)


def numbers_read(caller: Caller) -> str:
    """The digits the read-back said, one <Say> each, in order."""
    return "".join(text for _language, text in caller.says() if text.isdigit())


def test_the_language_menu_speaks_each_option_in_its_own_language(caller: Caller) -> None:
    caller.call()

    spoken = caller.says()
    assert [language for language, _text in spoken] == [
        DEFAULT_VOICES[language].code for language in LANGUAGES
    ]
    for digit, (language, (_code, text)) in enumerate(zip(LANGUAGES, spoken, strict=True), 1):
        assert text == said("language_option", language, digit=digit)
    assert caller.twiml is not None
    assert caller.twiml.find("Gather") is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_complaint_is_filed_by_a_call_in_each_language(caller: Caller, language: str) -> None:
    caller.call()
    caller.press(str(LANGUAGES.index(language) + 1))
    assert caller.heard() == said("main_menu", language)

    caller.press("1")
    assert said("what_happened", language) in caller.heard()
    record = caller.twiml.find("Record") if caller.twiml is not None else None
    assert record is not None
    assert record.get("maxLength") == "180"
    assert record.get("finishOnKey") == "#"
    caller.record()
    assert said("story_recorded", language) in caller.heard()
    caller.press("1")
    assert said("where", language) in caller.heard()
    caller.record()
    assert said("identity", language) in caller.heard()
    caller.press("2")
    assert said("contact", language) in caller.heard()
    caller.press("1")
    assert said("reprisal", language) in caller.heard()
    caller.press("2")

    grievance = filed(caller)
    assert said("filed", language) in caller.heard()
    assert grievance.channel is Channel.VOICE
    assert grievance.language == language
    assert grievance.identity_withheld is True
    assert grievance.contact_consent is True
    assert grievance.reprisal_risk is ReprisalRisk.NONE
    assert grievance.description == "[voice recording]"
    recordings = db.session.scalars(
        select(CallRecording).where(CallRecording.grievance_id == grievance.id)
    ).all()
    assert sorted(r.purpose.value for r in recordings) == ["what_happened", "where"]
    # Every word of the call in the caller's language's voice.
    assert {code for code, _text in caller.says()} == {DEFAULT_VOICES[language].code}


def test_the_reference_and_pin_are_read_back_digit_by_digit_twice(caller: Caller) -> None:
    caller.call()
    caller.press("1")
    complain(caller)

    grievance = filed(caller)
    call = the_call(caller)
    pin = call.pin
    assert pin is not None
    assert verify_secret(grievance.pin_hash, pin)
    once = grievance.reference + pin
    assert numbers_read(caller) == once * 2
    assert caller.text.count('<Pause length="1" />') >= 2 * len(once)
    assert said("hear_again", "en") in caller.heard()

    caller.press("1")  # hear them again
    assert numbers_read(caller) == once * 2
    caller.press("0")
    assert caller.heard() == said("goodbye", "en")
    assert caller.twiml is not None
    assert caller.twiml.find("Hangup") is not None
    assert the_call(caller).pin is None  # forgotten once the call is over


def test_the_reference_and_pin_also_go_by_sms_when_the_person_agrees(
    caller: Caller, new_caller
) -> None:
    caller.call()
    caller.press("1")
    complain(caller, contact="1")
    grievance = filed(caller)
    texts = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == grievance.id,
            OutboxMessage.template == PIN_REPLY_TEMPLATE,
        )
    ).all()
    (text,) = texts
    assert text.address == caller.number
    assert the_call(caller).pin in text.body

    silent = new_caller()
    silent.call()
    silent.press("1")
    complain(silent, contact="2")
    assert not db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == filed(silent).id,
            OutboxMessage.template == PIN_REPLY_TEMPLATE,
        )
    ).all()


def test_fear_of_reprisal_files_a_high_risk_case_and_sends_no_text(caller: Caller) -> None:
    caller.call()
    caller.press("1")
    complain(caller, contact="1", reprisal="1")

    grievance = filed(caller)
    assert grievance.reprisal_risk is ReprisalRisk.HIGH
    assert grievance.discreet_messages is True
    assert not db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == PIN_REPLY_TEMPLATE)
    ).all()


def test_what_happened_can_be_recorded_again(caller: Caller) -> None:
    caller.call()
    caller.press("1")
    caller.press("1")
    caller.record()
    caller.press("2")  # record it again
    assert said("what_happened", "en") in caller.heard()
    caller.record()
    caller.press("1")

    recordings = db.session.scalars(
        select(CallRecording)
        .where(CallRecording.call_id == the_call(caller).id)
        .order_by(CallRecording.id)
    ).all()
    assert [r.replaced for r in recordings] == [True, False]


def test_silence_or_a_wrong_key_repeats_the_prompt(caller: Caller) -> None:
    caller.call()
    caller.press("7")
    assert said("not_understood", "en") in caller.heard()
    caller.press("1")
    caller.press("1")
    caller.silence()
    assert said("nothing_heard", "en") in caller.heard()
    assert said("what_happened", "en") in caller.heard()
    assert the_call(caller).state == "what_happened"


def test_a_number_known_from_an_earlier_case_skips_the_language_menu(
    caller: Caller, new_caller
) -> None:
    caller.call()
    caller.press("2")  # français
    complain(caller)
    caller.hang_up()

    again = new_caller(caller.number)
    again.call()
    assert again.heard() == said("main_menu", "fr")
    again.press("9")  # the language menu back
    assert again.heard().startswith(said("language_option", "en", digit=1))
    again.press("3")
    assert again.heard() == said("main_menu", "es")
