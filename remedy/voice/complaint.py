"""The call's menus and its complaint: language, main menu, two recordings, three
questions by keypad, then the grievance filed through ``submit_grievance`` and its
reference and PIN read back, slowly, twice.

The grievance's description and place say "[voice recording]": the recordings are its
attachments once the worker has fetched them. The reference and PIN also go by SMS when
the person agreed to be contacted, unless they fear harm for complaining (a text on a
shared phone could tell someone).
"""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.core.settings import settings
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.messaging import sms_texts
from remedy.models.call import CallRecording, RecordingPurpose
from remedy.models.grievance import Channel, Grievance, ReprisalRisk
from remedy.models.outbox_message import (
    PIN_REPLY_TEMPLATE,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from remedy.sms.keywords import Keyword, primary
from remedy.sms.turn import autoflush
from remedy.voice.office_hours import in_office_hours
from remedy.voice.prompts import TOLD_IN_RECORDING
from remedy.voice.speech import Speech
from remedy.voice.turn import CallTurn, Step, not_understood, recording_prompt

YES, NO = 1, 2
OTHER_LANGUAGE = 9


# The menus ---------------------------------------------------------------------------


def ask_language(turn: CallTurn) -> None:
    """Each option in its own language and voice."""
    gather = turn.speech.gather(turn.call.turn)
    for digit, language in enumerate(settings().languages, 1):
        turn.speech.prompt("language_option", gather, language, digit=digit)


def answer_language(turn: CallTurn) -> None:
    languages = list(settings().languages)
    picked = turn.digit()
    if picked is None or not 1 <= picked <= len(languages):
        turn.speech.language = settings().default_language
        not_understood(turn)
        return
    turn.call.language = languages[picked - 1]
    if turn.person is not None:
        turn.person.language = turn.call.language
    turn.fire("choose_language")


def ask_main_menu(turn: CallTurn) -> None:
    turn.speech.prompt("main_menu", turn.speech.gather(turn.call.turn))


def answer_main_menu(turn: CallTurn) -> None:
    picked = turn.digit()
    if picked == OTHER_LANGUAGE:
        turn.fire("change_language")
    elif picked == 1:
        turn.fire("make_complaint")
    elif picked == 2:
        turn.fire("hear_case")
    elif picked == 3:
        # Read by the workflow's route: forwarded in office hours, else a message.
        turn.call.in_office_hours = bool(settings().voice.forward_to) and in_office_hours(turn.now)
        turn.fire("speak_to_someone")
    else:
        not_understood(turn)


def ask_forwarded(turn: CallTurn) -> None:
    turn.speech.prompt("forwarding")
    turn.speech.forward(settings().voice.forward_to)


def ask_ended(turn: CallTurn) -> None:
    turn.speech.hang_up()


def _ignore(turn: CallTurn) -> None:
    """An ended call has nothing to answer (the engine never gets here)."""


# Recordings --------------------------------------------------------------------------


def recording_step(purpose: RecordingPurpose, trigger: str) -> Step:
    """A state that records: the prompt, then a beep; the recording moves the call on."""
    name = "team_message" if purpose is RecordingPurpose.MESSAGE else purpose.value

    def answer(turn: CallTurn) -> None:
        if turn.keep_recording(purpose) is None:
            turn.speech.prompt("nothing_heard")
            return
        turn.fire(trigger)

    return Step(recording_prompt(name), answer)


def ask_story_recorded(turn: CallTurn) -> None:
    turn.speech.prompt("story_recorded", turn.speech.gather(turn.call.turn))


def answer_story_recorded(turn: CallTurn) -> None:
    picked = turn.digit()
    if picked == 1:
        turn.fire("keep_story")
    elif picked == 2:
        for older in db.session.scalars(
            select(CallRecording).where(
                CallRecording.call_id == turn.call.id,
                CallRecording.purpose == RecordingPurpose.WHAT_HAPPENED,
            )
        ):
            older.replaced = True  # deleted at Twilio, never stored
        turn.fire("record_again")
    else:
        not_understood(turn)


# The questions -------------------------------------------------------------------------


def yes_no_step(name: str, field: str, trigger: str) -> Step:
    """A question answered 1 yes, 2 no, kept on the call's draft."""

    def ask(turn: CallTurn) -> None:
        turn.speech.prompt(name, turn.speech.gather(turn.call.turn))

    def answer(turn: CallTurn) -> None:
        picked = turn.digit()
        if picked not in (YES, NO):
            not_understood(turn)
            return
        setattr(turn.call, field, picked == YES)
        if field == "identity_withheld":
            turn.call.identity_withheld = picked == NO
        if trigger == "answer_reprisal":
            file_complaint(turn)
        turn.fire(trigger)

    return Step(ask, answer)


def file_complaint(turn: CallTurn) -> None:
    """The last answer: the grievance is filed with the call's recordings."""
    call = turn.call
    language = turn.language
    with force_locale(settings().default_language):
        told = str(TOLD_IN_RECORDING)
    form = GrievanceForm(
        channel=Channel.VOICE,
        language=language,
        description=told,
        location=told,
        identity_withheld=bool(call.identity_withheld),
        contact_consent=bool(call.contact_consent),
        # "Afraid" is the web's high risk, as by SMS: messages to the phone become discreet.
        reprisal_risk=ReprisalRisk.HIGH if call.reprisal_feared else ReprisalRisk.NONE,
        complainant=PersonDetails(phone=turn.e164, language=language),
    )
    with autoflush():
        submitted = submit_grievance(Actor(ActorKind.COMPLAINANT), form)
    call.grievance_id = submitted.grievance.id
    call.pin = submitted.pin
    for recording in db.session.scalars(
        select(CallRecording).where(CallRecording.call_id == call.id)
    ):
        recording.grievance_id = submitted.grievance.id
    if call.contact_consent and not call.reprisal_feared and turn.e164:
        _send_by_sms(turn, submitted.grievance.reference, submitted.pin)


def _send_by_sms(turn: CallTurn, reference: str, pin: str) -> None:
    """The reference and PIN in a text too, through the outbox, under the secret template
    (staff see it masked; the upkeep masks the PIN once it has left)."""
    language = turn.language
    with force_locale(language):
        body = str(sms_texts.FILED) % {
            "reference": display(reference),
            "pin": pin,
            "status": primary(Keyword.STATUS, language),
        }
    db.session.add(
        OutboxMessage(
            dedupe_key=f"voice-pin:{turn.call.id}",
            grievance_id=turn.call.grievance_id,
            person_id=turn.person.id if turn.person is not None else None,
            channel=MessageChannel.SMS,
            address=turn.e164,
            language=language,
            template=PIN_REPLY_TEMPLATE,
            body=body,
            status=MessageStatus.PENDING,
            available_at=turn.now,
        )
    )


def ask_filed(turn: CallTurn) -> None:
    """The reference and PIN, digit by digit, twice; 1 hears them again."""
    call = turn.call
    speech = turn.speech
    reference = _reference_of(turn)
    speech.prompt("filed")
    for time in range(2):
        if time:
            speech.prompt("once_more")
        read_numbers(speech, reference, call.pin or "")
    if call.contact_consent and not call.reprisal_feared and turn.e164:
        speech.prompt("sent_by_sms")
    speech.prompt("hear_again", speech.gather(call.turn))


def read_numbers(speech: Speech, reference: str, pin: str) -> None:
    speech.prompt("your_reference")
    speech.digits(reference)
    speech.response.pause(length=1)
    speech.prompt("your_pin")
    speech.digits(pin)
    speech.response.pause(length=1)


def _reference_of(turn: CallTurn) -> str:
    grievance = db.session.get(Grievance, turn.call.grievance_id)
    return grievance.reference if grievance is not None else ""


def answer_filed(turn: CallTurn) -> None:
    if turn.digit() != 1:
        turn.fire("finish")


STEPS: dict[str, Step] = {
    "language": Step(ask_language, answer_language),
    "main_menu": Step(ask_main_menu, answer_main_menu),
    "what_happened": recording_step(RecordingPurpose.WHAT_HAPPENED, "record_story"),
    "story_recorded": Step(ask_story_recorded, answer_story_recorded),
    "where": recording_step(RecordingPurpose.WHERE, "record_place"),
    "identity": yes_no_step("identity", "identity_withheld", "answer_identity"),
    "contact": yes_no_step("contact", "contact_consent", "answer_contact"),
    "reprisal": yes_no_step("reprisal", "reprisal_feared", "answer_reprisal"),
    "filed": Step(ask_filed, answer_filed),
    "team_message": recording_step(RecordingPurpose.MESSAGE, "record_message"),
    "forwarded": Step(ask_forwarded, _ignore),
    "ended": Step(ask_ended, _ignore),
}
