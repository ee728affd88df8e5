"""Messages that answer what the number is being asked (:mod:`remedy.cases.asks`).

A message answers the newest open ask of its number that it fits: any text answers
the team's question, 1 or 2 (or a yes or no word) a proposal, 1, 2 or 3 a check-in,
a no word a closing without confirmation, the APPEAL keyword a decision that can be
appealed, 1 or 2 (or a yes or no word) whether an organisation may know who they are,
1 to 5 and a comment how fair the handling of their ended case was.
An ask the number's filing conversation has moved on from (the conversation spoke
last) leaves the message to the conversation; a greeting answers nothing. A
discreet case's ask is answered from the phone only while STATUS with the PIN has
unlocked it.

Each step goes through the same service as on the web status page, on the
complainant's behalf (``Actor.complainant`` with the person: mandate scopes and
guards apply). When the service refuses, the ask is closed and the message is
handled as an ordinary one. The reply is the person's one acknowledgement.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import gettext as _

from remedy.cases import asks, identity_consent
from remedy.cases.check_ins import answer_check_in, reopen_unconfirmed, tell_what_is_missing
from remedy.cases.intake import provide_information
from remedy.cases.phone_information import extend_information
from remedy.cases.tracks import accept_proposal, decline_proposal
from remedy.cases.triggers import allowed_transitions
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.messaging import sms_texts
from remedy.models.added_information import AddedInformation
from remedy.models.ask import Ask, AskKind
from remedy.models.check_in import Answer, CheckIn
from remedy.models.identity_consent import ConsentVia
from remedy.sms.appealing import answer_appeal, answer_appeal_reason
from remedy.sms.asked_steps import actor_of, take
from remedy.sms.fairness import answer_fairness
from remedy.sms.keywords import choice, done, greeting_language, yes_no
from remedy.sms.turn import Turn, autoflush
from remedy.sms.unclear import answer_which_case
from remedy.sms.withdrawing import answer_which_mandate
from remedy.workflows.states import IntakeState

Handler = Callable[[Turn, Ask], "str | None"]

# The check-in's answers, as its message numbers them; a yes or no word counts too.
CHECK_IN_ANSWERS = {1: Answer.YES, 2: Answer.PARTLY, 3: Answer.NO}


def answer_ask(turn: Turn) -> str | None:
    """The reply when this message answers one of the number's open asks, else None."""
    if greeting_language(turn.body) is not None:
        return None
    for ask in asks.open_asks(turn.hashes, turn.now):
        if not phone_may_answer(ask, turn) or _conversation_spoke_last(turn, ask):
            continue
        reply = HANDLERS[ask.kind](turn, ask)
        if reply is not None:
            return reply
    return None


def phone_may_answer(ask: Ask, turn: Turn) -> bool:
    """A discreet case's phone heard only that there is news: its asks wait for STATUS
    (the number's own unclear message excepted)."""
    if ask.kind is AskKind.WHICH_CASE:
        return True
    if ask.grievance is None or not ask.grievance.discreet_messages:
        return True
    return ask.unlocked_until is not None and ask.unlocked_until > turn.now


def _conversation_spoke_last(turn: Turn, ask: Ask) -> bool:
    conversation = turn.conversation
    return conversation is not None and conversation.last_message_at > ask.opened_at


# The team's question --------------------------------------------------------------------


def _question(turn: Turn, ask: Ask) -> str | None:
    grievance = ask.grievance
    if grievance is None:
        return None
    actor = actor_of(ask)
    if ask.added_information_id is not None:
        return _more_of_the_answer(turn, ask, actor)
    if not turn.body and not turn.message.media:
        return None
    if grievance.state != IntakeState.AWAITING_COMPLAINANT:
        asks.close(ask, "answered elsewhere", turn.now)
        return None
    given: list[AddedInformation] = []
    # A photo alone answers too ("send us a photo of the fence"): its files join the case.
    text = turn.kept_body or _files_only()
    if not take(turn, ask, lambda: given.append(provide_information(actor, grievance, text))):
        return None
    # Further messages in the next hours join this answer.
    ask.added_information_id = given[0].id
    ask.outcome = "answered"
    ask.expires_at = turn.now + settings().asks.answer_window
    turn.answered_grievance_id = grievance.id
    return turn.say(sms_texts.INFORMATION_THANKS)


def _files_only() -> str:
    """What the team reads for an answer given only in files, like a filing's."""
    with force_locale(settings().default_language):
        return _("Told only in the photos or recordings attached.")


def _more_of_the_answer(turn: Turn, ask: Ask, actor: Actor) -> str | None:
    added = db.session.get(AddedInformation, ask.added_information_id)
    if added is None or _for_the_draft(turn):
        return None
    if turn.body and not take(turn, ask, lambda: extend_information(actor, added, turn.kept_body)):
        return None
    turn.answered_grievance_id = added.grievance_id
    return turn.say(sms_texts.ANSWER_ADDED)


def _for_the_draft(turn: Turn) -> bool:
    """A draft is open and this is one of its answers (0, a done word, a menu number)."""
    body = turn.body
    answers_draft = done(body) or choice(body, 3) is not None or yes_no(body) is not None
    return turn.conversation is not None and answers_draft


# A proposal --------------------------------------------------------------------------


def _proposal(turn: Turn, ask: Ask) -> str | None:
    accepted = yes_no(turn.body)
    track = ask.track
    if accepted is None or track is None:
        return None
    actor = actor_of(ask)
    if accepted:
        if not take(turn, ask, lambda: accept_proposal(actor, track)):
            return None
        asks.close(ask, "accepted", turn.now)
        return turn.say(sms_texts.PROPOSAL_ACCEPTED)
    with autoflush():
        offered = {t.trigger for t in allowed_transitions(track, actor)}
    if "decline_proposal" not in offered:
        asks.close(ask, "refused", turn.now)
        return None
    asks.close(ask, "declining", turn.now)
    asks.follow_up(ask, AskKind.DECLINE_REASON, turn.now)
    return turn.say(sms_texts.TELL_WHY)


def _decline_reason(turn: Turn, ask: Ask) -> str | None:
    track = ask.track
    if not turn.body or track is None:
        return None
    actor = actor_of(ask)
    if not take(turn, ask, lambda: decline_proposal(actor, track, turn.kept_body)):
        return None
    asks.close(ask, "declined", turn.now)
    return turn.say(sms_texts.PROPOSAL_DECLINED)


# A check-in ----------------------------------------------------------------------------


def check_in_answer(text: str) -> Answer | None:
    picked = choice(text, len(CHECK_IN_ANSWERS))
    if picked is not None:
        return CHECK_IN_ANSWERS[picked]
    said = yes_no(text)
    return None if said is None else (Answer.YES if said else Answer.NO)


def _open_check_in(ask: Ask) -> CheckIn | None:
    if ask.check_in is not None:
        return ask.check_in if ask.check_in.is_open else None
    if ask.track is None:
        return None
    found = [c for c in ask.track.check_ins if c.is_open and c.person_id == ask.person_id]
    return max(found, key=lambda c: (c.opened_at, c.id), default=None)


def _check_in(turn: Turn, ask: Ask) -> str | None:
    answer = check_in_answer(turn.body)
    if answer is None or turn.message.media:
        return None
    check_in = _open_check_in(ask)
    if check_in is None:
        asks.close(ask, "closed", turn.now)
        return None
    if not take(turn, ask, lambda: answer_check_in(actor_of(ask), check_in, answer)):
        return None
    asks.close(ask, "answered", turn.now)
    if answer is Answer.YES:
        return turn.say(sms_texts.CHECK_IN_THANKS)
    missing = asks.follow_up(ask, AskKind.MISSING, turn.now)
    missing.check_in = check_in
    return turn.say(sms_texts.CHECK_IN_THANKS, sms_texts.WHAT_IS_MISSING)


def _missing(turn: Turn, ask: Ask) -> str | None:
    check_in = ask.check_in
    if not turn.body or check_in is None:
        return None
    if not take(turn, ask, lambda: tell_what_is_missing(actor_of(ask), check_in, turn.kept_body)):
        return None
    asks.close(ask, "answered", turn.now)
    return turn.say(sms_texts.MISSING_THANKS)


# Closing without confirmation ------------------------------------------------------------


def _reopen(turn: Turn, ask: Ask) -> str | None:
    said_no = yes_no(turn.body) is False and choice(turn.body, 2) is None
    track = ask.track
    if not said_no or track is None:
        return None
    if not take(turn, ask, lambda: reopen_unconfirmed(actor_of(ask), track)):
        return None
    asks.close(ask, "reopened", turn.now)
    return turn.say(sms_texts.REOPENED)


# May an organisation know who you are ---------------------------------------------------


def _consent(turn: Turn, ask: Ask) -> str | None:
    said = yes_no(turn.body)
    consent = identity_consent.consent_of_ask(ask)
    if said is None or turn.message.media:
        return None
    if consent is None:
        asks.close(ask, "closed", turn.now)
        return None
    actor = actor_of(ask)
    if not take(turn, ask, lambda: identity_consent.answer(actor, consent, said, ConsentVia.SMS)):
        return None
    asks.close(ask, "answered", turn.now)
    return turn.say(sms_texts.CONSENT_GIVEN if said else sms_texts.CONSENT_REFUSED)


HANDLERS: dict[AskKind, Handler] = {
    AskKind.QUESTION: _question,
    AskKind.PROPOSAL: _proposal,
    AskKind.DECLINE_REASON: _decline_reason,
    AskKind.CHECK_IN: _check_in,
    AskKind.MISSING: _missing,
    AskKind.APPEAL: answer_appeal,
    AskKind.APPEAL_REASON: answer_appeal_reason,
    AskKind.REOPEN: _reopen,
    AskKind.WHICH_CASE: answer_which_case,
    AskKind.CONSENT: _consent,
    AskKind.WITHDRAW_MANDATE: answer_which_mandate,
    AskKind.FAIRNESS: answer_fairness,
}
