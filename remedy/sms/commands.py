"""Keywords, in any of the five languages: HELP, STATUS <reference> <PIN>, STOP, START
and LANG (Twilio's ``OptOutType`` counts as the keyword it names); WITHDRAW <reference>
<PIN> is :mod:`remedy.sms.withdrawing`'s, with the same PIN check.

STOP and START are mirrored on the person. Nothing about a case is told to a number
that has not given its PIN in the message that asks (STATUS).
"""

from __future__ import annotations

from flask_babel import LazyString, force_locale

from remedy.access.case_access import (
    NOT_FOUND_MESSAGE,
    WAY_IN_MESSAGE,
    CaseNotFound,
    TooManyAttempts,
    open_case,
)
from remedy.audit import log as audit
from remedy.cases.status import case_status
from remedy.core.actors import Actor, ActorKind
from remedy.core.numbers import isolate_numbers
from remedy.core.references import display
from remedy.core.settings import settings
from remedy.identity.people import register_person
from remedy.messaging import sms_texts
from remedy.messaging.opt_outs import ReportedBy, record_opt_out
from remedy.models.grievance import Grievance
from remedy.sms.drafts import fire
from remedy.sms.filing import go_on, language_menu, new_conversation, set_language
from remedy.sms.keywords import Command, Keyword, digits, language_choice
from remedy.sms.pending import pending_step
from remedy.sms.turn import Turn, autoflush


def help_text(turn: Turn) -> str:
    """How to use the number, then how to reach the team when the operator said how."""
    told = turn.say(
        sms_texts.HELP,
        status=turn.keyword(Keyword.STATUS),
        lang=turn.keyword(Keyword.LANG),
        stop=turn.keyword(Keyword.STOP),
    )
    with force_locale(turn.language):
        reach = sms_texts.contact_points(settings().contacts, turn.language)
    return f"{told}\n{reach}" if reach else told


def stop(turn: Turn) -> str:
    """No more SMS or WhatsApp messages to this number; an open draft is kept."""
    with autoflush():
        person = turn.person or register_person(phone=turn.e164, language=turn.language)
        record_opt_out(person, turn.now, ReportedBy.PERSON)
    if turn.conversation is not None:
        fire(turn.conversation, "stop", turn.now)
    if (turn.message.opt_out or "").strip().upper() == "STOP":
        return ""  # the provider acted on it, confirmed it, and would block any answer
    turn.confirms_opt_out = True
    return turn.say(sms_texts.STOPPED, start=turn.keyword(Keyword.START))


def start(turn: Turn) -> None:
    person = turn.person
    if person is not None and person.phone_opted_out_at is not None:
        person.phone_opted_out_at = None
        with autoflush():
            audit.record(Actor(ActorKind.COMPLAINANT), "person.opt_in", "person", person.id)


def status(turn: Turn, command: Command) -> str:
    """What is happening in the case, for whoever gives its reference and PIN."""
    found = case_by_pin(turn, command, sms_texts.STATUS_HOW)
    return found if isinstance(found, str) else tell_status(turn, found)


def case_by_pin(turn: Turn, command: Command, how: LazyString) -> Grievance | str:
    """The case the reference and PIN after a keyword (STATUS, WITHDRAW) open, else the
    reply: ``how`` to send them, or the one answer to a wrong PIN or too many tries."""
    given = digits(command.argument)
    word = turn.keyword(command.keyword)
    # The PIN is never kept, not even encrypted: only the reference stays in the record.
    turn.inbound.body = " ".join(
        part for part in (word, given[:8], "******" * (len(given) > 8)) if part
    )
    if len(given) != 14:
        return turn.say(how, **{command.keyword.value: word})
    reference, pin = given[:8], given[8:]
    # Counting a wrong PIN commits on its own; if this request dies after that, a
    # retried webhook still gets this answer, which is the answer to every wrong PIN.
    turn.inbound.reply = pin_refused(turn)
    turn.record_now()
    try:
        return open_case(
            reference, pin, source=f"sms:{turn.phone_hash}", phone_hash=turn.phone_hash
        )
    except CaseNotFound:
        return pin_refused(turn)
    except TooManyAttempts:
        with force_locale(turn.language):
            return str(TooManyAttempts())


def pin_refused(turn: Turn) -> str:
    """The one answer to a wrong PIN, an unknown reference or a locked one, with the ways
    in that no lock closes (the recovery code, the NGO, the team and how to reach it)."""
    told = turn.say(NOT_FOUND_MESSAGE, WAY_IN_MESSAGE)
    with force_locale(turn.language):
        reach = sms_texts.contact_points(settings().contacts, turn.language)
    return f"{told}\n{reach}" if reach else told


def tell_status(turn: Turn, grievance: Grievance) -> str:
    with force_locale(turn.language):
        status = case_status(grievance)
        values = {"reference": display(grievance.reference), "now": status.now}
        if status.outcome is not None:
            text = sms_texts.STATUS_OUTCOME
            values["outcome"] = status.outcome.label
        elif status.due_at is not None:
            text = sms_texts.STATUS_DUE
            values["date"] = sms_texts.phone_date(status.due_at, turn.language)
        else:
            text = sms_texts.STATUS
        told = str(text) % isolate_numbers({**values, "next": status.next}, turn.language)
        # One line per organisation, each within its own budget (sms_texts).
        told = "\n".join((told, *(item.sentence for item in status.involvement)))
    pending = pending_step(turn, grievance)
    return f"{told}\n{pending}" if pending else told


def change_language(turn: Turn, command: Command) -> str:
    """LANG: the menu (or LANG with a language: that one), then back to the question."""
    chosen = language_choice(command.argument, turn.languages) if command.argument else None
    conversation = turn.conversation
    if conversation is not None and conversation.state == "resume_offered":
        go_on(conversation, turn.now)  # changing the language is going on with the draft
    if chosen is None:
        if conversation is None:
            conversation = turn.conversation = new_conversation(turn)
        elif conversation.state != "language":
            conversation.resume_state = conversation.state
            fire(conversation, "change_language", turn.now)
        conversation.last_message_at = turn.now
        return language_menu()
    if turn.person is not None:
        turn.person.language = chosen
    if conversation is None:
        conversation = turn.conversation = new_conversation(turn)
    conversation.last_message_at = turn.now
    return set_language(turn, conversation, chosen)
