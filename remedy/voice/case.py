""" "Hear about my case": the reference and PIN by keypad through ``open_case`` (the same
lockout and limits as every channel; a call-back knows the case and asks only the PIN,
then reads its news, ``remedy.voice.callbacks``), the status in plain words (``case_status``, as
SMS and the web say it), then what the case waits for from the person, by keypad or a
recording: a proposal (1 accept, 2 decline and say why), a check-in (1, 2, 3 and what is
missing), the team's question, an appeal, a mandate withdrawn, whether an
organisation the mechanism does not serve may know who they are (1 yes, 2 no), and
contesting how an organisation is involved or asking why an automated decision was made
(``remedy.voice.track_requests``), how fair an ended case was (``remedy.voice.fairness``).

Each step goes through the same service as the web status page and SMS, as
``Actor.complainant`` with the caller's own person when their number is on file (mandate
scopes and guards apply), in a savepoint: a refusal changes nothing and is said. An
answer given as a recording is the text "[voice recording]" with the recording as the
case's attachment once the worker has fetched it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import force_locale

from remedy.access.case_access import CaseNotFound, TooManyAttempts, open_case
from remedy.cases import asks, complainant_view, identity_consent, people_texts
from remedy.cases.check_ins import answer_check_in, tell_what_is_missing
from remedy.cases.intake import appeal, provide_information
from remedy.cases.message_context import answered_in_reply
from remedy.cases.representation import representatives
from remedy.cases.status import case_status
from remedy.cases.tracks import accept_proposal, decline_proposal
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.models.ask import AskKind
from remedy.models.call import RecordingPurpose
from remedy.models.check_in import Answer, CheckIn
from remedy.models.grievance import Channel, Grievance
from remedy.models.identity_consent import ConsentVia, IdentityConsent
from remedy.models.involvement_track import InvolvementTrack
from remedy.proxy.mandates import withdraw_mandate_as_person
from remedy.sms.turn import allowed
from remedy.voice.callbacks import read_news
from remedy.voice.prompts import TOLD_IN_RECORDING
from remedy.voice.turn import CallTurn, Step, not_understood, recording_prompt
from remedy.workflows.states import IntakeState

REFERENCE_DIGITS, PIN_DIGITS = 8, 6
CHECK_IN_ANSWERS = {1: Answer.YES, 2: Answer.PARTLY, 3: Answer.NO}


def grievance_of(turn: CallTurn) -> Grievance:
    grievance = db.session.get(Grievance, turn.call.grievance_id)
    assert grievance is not None, "a case step without an opened case"
    return grievance


def speaker_of(turn: CallTurn, grievance: Grievance) -> int | None:
    """The caller's own person in the case, when the number is on file."""
    hashes = set(turn.hashes)
    return next(
        (link.person_id for link in grievance.people if link.person.phone_hash in hashes), None
    )


def actor_of(turn: CallTurn, grievance: Grievance) -> Actor:
    return Actor.complainant(grievance.reference, speaker_of(turn, grievance))


def take(turn: CallTurn, grievance: Grievance, step: Callable[[], object]) -> bool:
    """Run the step as the caller; the spoken thanks is their one acknowledgement."""
    with answered_in_reply(speaker_of(turn, grievance)):
        done = allowed(step)
    if not done:
        turn.speech.prompt("step_closed")
    return done


def told() -> str:
    with force_locale(settings().default_language):
        return str(TOLD_IN_RECORDING)


# Reference and PIN -----------------------------------------------------------------------


def ask_reference(turn: CallTurn) -> None:
    turn.speech.prompt("enter_reference", turn.speech.gather(turn.call.turn, REFERENCE_DIGITS))


def answer_reference(turn: CallTurn) -> None:
    typed = turn.request.digits.strip()
    if len(typed) != REFERENCE_DIGITS or not typed.isdigit():
        not_understood(turn)
        return
    turn.call.reference = typed
    turn.fire("give_reference")


def ask_pin(turn: CallTurn) -> None:
    turn.speech.prompt("enter_pin", turn.speech.gather(turn.call.turn, PIN_DIGITS))


def answer_pin(turn: CallTurn) -> None:
    call = turn.call
    try:
        grievance = open_case(
            call.reference or "",
            turn.request.digits.strip(),
            source=f"voice:{call.phone_hash}",
            phone_hash=call.phone_hash,
        )
    except CaseNotFound:
        turn.speech.prompt("no_case")
        turn.speech.prompt("way_in")
        call.grievance_id = None
        turn.fire("give_pin")  # back to the case number (a call-back: to the PIN)
        return
    except TooManyAttempts:
        turn.speech.prompt("too_many")
        turn.fire("finish")
        return
    call.grievance_id = grievance.id
    if call.outbox_id is not None:
        read_news(turn)  # a call-back: its words first, then the case
    turn.fire("give_pin")


# The status and the menu of what waits -----------------------------------------------------


def _options(turn: CallTurn, grievance: Grievance) -> list[str]:
    """What the caller can do now, as the workflow allows it: the call's triggers."""
    actor = actor_of(turn, grievance)
    actions = complainant_view.case_actions(grievance, actor)
    found = []
    if actions.proposals:
        found.append("answer_proposal")
    if actions.questions:
        found.append("answer_check_in")
    if grievance.state == IntakeState.AWAITING_COMPLAINANT and actions.add_information:
        found.append("answer_question")
    if actions.appeal:
        found.append("appeal")
    if representatives(grievance, speaker_of(turn, grievance)):
        found.append("withdraw_mandate")
    if actions.consents:
        found.append("answer_consent")
    if complainant_view.contestable(grievance, actor):
        found.append("contest")
    if complainant_view.explainable(grievance, actor):
        found.append("explain")
    if actions.fairness:
        found.append("answer_fairness")
    return found


def ask_case_open(turn: CallTurn) -> None:
    grievance = grievance_of(turn)
    with force_locale(turn.language):
        status = case_status(grievance)
        turn.speech.say(f"{status.now} {status.next}")
        for item in status.involvement:
            turn.speech.say(" ".join(filter(None, (item.sentence, item.explanation))))
    options = _options(turn, grievance)
    turn.call.choices = ",".join(options)
    if not options:
        turn.speech.hang_up()
        return
    gather = turn.speech.gather(turn.call.turn)
    for digit, option in enumerate(options, 1):
        turn.speech.prompt(option, gather, digit=digit)


def answer_case_open(turn: CallTurn) -> None:
    options = (turn.call.choices or "").split(",")
    picked = turn.digit()
    if picked is None or not 1 <= picked <= len(options) or not options[0]:
        turn.fire("finish")
        return
    chosen = options[picked - 1]
    grievance = grievance_of(turn)
    actor = actor_of(turn, grievance)
    if chosen == "answer_proposal":
        turn.call.choices = str(complainant_view.proposals(grievance, actor)[0].track.id)
    elif chosen == "answer_check_in":
        turn.call.choices = str(complainant_view.open_questions(grievance)[0].id)
    elif chosen == "withdraw_mandate":
        speaking = representatives(grievance, speaker_of(turn, grievance))
        turn.call.choices = ",".join(str(item.organisation_id) for item in speaking)
    elif chosen == "answer_consent":
        consents = complainant_view.case_actions(grievance, actor).consents
        turn.call.choices = str(consents[0].id)
    elif chosen in ("contest", "explain"):
        offered = (
            complainant_view.contestable(grievance, actor)
            if chosen == "contest"
            else complainant_view.explainable(grievance, actor)
        )
        turn.call.choices = ",".join(str(track.id) for track in offered)
    turn.fire(chosen)


# A proposal ----------------------------------------------------------------------------------


def _track(turn: CallTurn) -> InvolvementTrack:
    track = db.session.get(InvolvementTrack, int(turn.call.choices or 0))
    assert track is not None
    return track


def ask_proposal(turn: CallTurn) -> None:
    track = _track(turn)
    remedy = " ".join(
        people_texts.description(action, turn.language)
        for action in track.remedy_actions
        if action.is_active
    )
    turn.speech.prompt("proposed", remedy=remedy)
    turn.speech.prompt("proposal", turn.speech.gather(turn.call.turn))


def answer_proposal(turn: CallTurn) -> None:
    picked = turn.digit()
    if picked not in (1, 2):
        not_understood(turn)
        return
    track, grievance = _track(turn), grievance_of(turn)
    if picked == 2:
        turn.fire("decline_proposal")
        return
    if take(turn, grievance, lambda: accept_proposal(actor_of(turn, grievance), track)):
        asks.supersede(AskKind.PROPOSAL, turn.hashes, grievance.id, track, turn.now)
        turn.speech.prompt("accepted")
    turn.fire("accept_proposal")


def answer_decline_reason(turn: CallTurn) -> None:
    if turn.keep_recording(RecordingPurpose.DECLINE_REASON) is None:
        turn.speech.prompt("nothing_heard")
        return
    track, grievance = _track(turn), grievance_of(turn)
    if take(turn, grievance, lambda: decline_proposal(actor_of(turn, grievance), track, told())):
        asks.supersede(AskKind.PROPOSAL, turn.hashes, grievance.id, track, turn.now)
        turn.speech.prompt("answered")
    turn.fire("give_decline_reason")


# A check-in ----------------------------------------------------------------------------------


def _check_in(turn: CallTurn) -> CheckIn:
    check_in = db.session.get(CheckIn, int(turn.call.choices or 0))
    assert check_in is not None
    return check_in


def ask_check_in(turn: CallTurn) -> None:
    turn.speech.prompt("check_in", turn.speech.gather(turn.call.turn))


def answer_check_in_step(turn: CallTurn) -> None:
    picked = turn.digit()
    if picked not in CHECK_IN_ANSWERS:
        not_understood(turn)
        return
    answer = CHECK_IN_ANSWERS[picked]
    check_in, grievance = _check_in(turn), grievance_of(turn)
    actor = actor_of(turn, grievance)
    if not take(turn, grievance, lambda: answer_check_in(actor, check_in, answer)):
        turn.fire("confirm_delivery")
        return
    asks.supersede(AskKind.CHECK_IN, turn.hashes, grievance.id, check_in.track, turn.now)
    if answer is Answer.YES:
        turn.speech.prompt("answered")
        turn.fire("confirm_delivery")
    else:
        turn.fire("report_gap")


def answer_missing(turn: CallTurn) -> None:
    if turn.keep_recording(RecordingPurpose.MISSING) is None:
        turn.speech.prompt("nothing_heard")
        return
    check_in, grievance = _check_in(turn), grievance_of(turn)
    actor = actor_of(turn, grievance)
    if take(turn, grievance, lambda: tell_what_is_missing(actor, check_in, told())):
        turn.speech.prompt("answered")
    turn.fire("tell_missing")


# The team's question, an appeal ------------------------------------------------------------


def recorded_answer(purpose: RecordingPurpose, trigger: str) -> Step:
    """A recording that answers the case: "[voice recording]" through the service."""
    services = {
        RecordingPurpose.QUESTION: provide_information,
        RecordingPurpose.APPEAL_REASON: appeal,
    }
    service = services[purpose]

    def answer(turn: CallTurn) -> None:
        if turn.keep_recording(purpose) is None:
            turn.speech.prompt("nothing_heard")
            return
        grievance = grievance_of(turn)
        actor = actor_of(turn, grievance)
        if take(turn, grievance, lambda: service(actor, grievance, told())):
            turn.speech.prompt("answered")
        turn.fire(trigger)

    return Step(recording_prompt(purpose.value), answer)


# A mandate withdrawn ------------------------------------------------------------------------


def ask_withdraw(turn: CallTurn) -> None:
    grievance = grievance_of(turn)
    names = {item.organisation_id: item.name for item in representatives(grievance)}
    gather = turn.speech.gather(turn.call.turn)
    for digit, organisation_id in enumerate(_listed(turn), 1):
        name = names.get(organisation_id, "")
        turn.speech.prompt("organisation", gather, organisation=name, digit=digit)


def _listed(turn: CallTurn) -> list[int]:
    return [int(part) for part in (turn.call.choices or "").split(",") if part.isdigit()]


def answer_withdraw(turn: CallTurn) -> None:
    listed = _listed(turn)
    picked = turn.digit()
    if picked is None or not 1 <= picked <= len(listed):
        not_understood(turn)
        return
    grievance = grievance_of(turn)
    person_id = speaker_of(turn, grievance)
    wanted = listed[picked - 1]
    chosen = next(
        (item for item in representatives(grievance, person_id) if item.organisation_id == wanted),
        None,
    )
    if chosen is not None and take(
        turn,
        grievance,
        lambda: withdraw_mandate_as_person(grievance, person_id, Channel.VOICE, wanted),
    ):
        turn.speech.prompt("mandate_withdrawn", organisation=chosen.name)
    elif chosen is None:
        turn.speech.prompt("step_closed")
    turn.fire("choose_organisation")


# Whether an organisation may know who they are -------------------------------------------


def _consent(turn: CallTurn) -> IdentityConsent:
    consent = db.session.get(IdentityConsent, int(turn.call.choices or 0))
    assert consent is not None
    return consent


def ask_consent(turn: CallTurn) -> None:
    name = _consent(turn).organisation.name
    turn.speech.prompt("consent_question", turn.speech.gather(turn.call.turn), organisation=name)


def answer_consent(turn: CallTurn) -> None:
    picked = turn.digit()
    if picked not in (1, 2):
        not_understood(turn)
        return
    consent, grievance = _consent(turn), grievance_of(turn)
    actor = actor_of(turn, grievance)
    if take(
        turn,
        grievance,
        lambda: identity_consent.answer(actor, consent, picked == 1, ConsentVia.VOICE),
    ):
        turn.speech.prompt("answered")
    turn.fire("give_consent")


STEPS: dict[str, Step] = {
    "case_reference": Step(ask_reference, answer_reference),
    "case_pin": Step(ask_pin, answer_pin),
    "case_open": Step(ask_case_open, answer_case_open),
    "proposal": Step(ask_proposal, answer_proposal),
    "decline_reason": Step(recording_prompt("decline_reason"), answer_decline_reason),
    "check_in": Step(ask_check_in, answer_check_in_step),
    "missing": Step(recording_prompt("missing"), answer_missing),
    "question": recorded_answer(RecordingPurpose.QUESTION, "record_answer"),
    "appeal_reason": recorded_answer(RecordingPurpose.APPEAL_REASON, "give_appeal_reason"),
    "withdraw": Step(ask_withdraw, answer_withdraw),
    "consent": Step(ask_consent, answer_consent),
}
