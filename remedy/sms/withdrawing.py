"""Withdrawing an organisation's mandate by SMS: WITHDRAW (RETIRER, RETIRAR, ONDOA, سحب),
the case number and the PIN, checked like STATUS (the same look-up, lockout and limits;
the PIN is not kept in the message's record).

With one organisation acting for the people, its mandate ends at once. With several,
the reply lists them ("1 Friends of the River, 2 Haki Watch") and the number chosen in
the next message ends that one (an ask, :data:`AskKind.WITHDRAW_MANDATE`, open for the
number that gave the PIN). The mandates that end are those
:func:`remedy.proxy.mandates.withdraw_mandate_as_person` ends: the sender's own and the
group's when the number is one of the case's people, every one of that organisation on
the case otherwise (the holder of the PIN speaks for the case).
"""

from __future__ import annotations

from remedy.cases import asks
from remedy.cases.representation import Representative, representatives
from remedy.core.references import display
from remedy.core.settings import settings
from remedy.messaging import sms_texts
from remedy.models.ask import Ask, AskKind
from remedy.models.grievance import Channel, Grievance
from remedy.proxy.mandates import withdraw_mandate_as_person
from remedy.sms.commands import case_by_pin
from remedy.sms.keywords import Command, choice
from remedy.sms.turn import Turn, allowed


def withdraw_by_keyword(turn: Turn, command: Command) -> str:
    """WITHDRAW with the case number and PIN: end the mandate, or ask whose."""
    found = case_by_pin(turn, command, sms_texts.WITHDRAW_HOW)
    if isinstance(found, str):
        return found
    grievance = found
    person_id = _speaker(turn, grievance)
    speaking = representatives(grievance, person_id)
    if not speaking:
        return turn.say(sms_texts.NO_MANDATE, reference=display(grievance.reference))
    if len(speaking) == 1:
        return _withdraw(turn, grievance, person_id, speaking[0])
    asks.open_ask(
        AskKind.WITHDRAW_MANDATE,
        turn.phone_hash,
        grievance=grievance,
        person_id=person_id,
        # The organisations as listed, so that a number chosen later means the same one.
        held_text=",".join(str(item.organisation_id) for item in speaking),
        unlocked_until=turn.now + settings().asks.unlock_window,
        now=turn.now,
    )
    choices = ", ".join(f"{number} {item.name}" for number, item in enumerate(speaking, 1))
    return turn.say(sms_texts.WHICH_MANDATE, choices=choices)


def answer_which_mandate(turn: Turn, ask: Ask) -> str | None:
    """The number of the organisation to withdraw, from the list the reply gave."""
    grievance = ask.grievance
    listed = [int(part) for part in (ask.held_text or "").split(",") if part.isdigit()]
    picked = choice(turn.body, len(listed))
    if grievance is None or picked is None:
        return None
    asks.close(ask, "answered", turn.now)
    wanted = listed[picked - 1]
    speaking = representatives(grievance, ask.person_id)
    chosen = next((item for item in speaking if item.organisation_id == wanted), None)
    if chosen is None:  # withdrawn or ended meanwhile
        return turn.say(sms_texts.NO_MANDATE, reference=display(grievance.reference))
    return _withdraw(turn, grievance, ask.person_id, chosen)


def _speaker(turn: Turn, grievance: Grievance) -> int | None:
    """The person of the case writing, when the number is theirs; None for anyone else
    with the PIN."""
    hashes = set(turn.hashes)
    for link in grievance.people:
        if link.person.phone_hash in hashes:
            return link.person_id
    return None


def _withdraw(
    turn: Turn, grievance: Grievance, person_id: int | None, chosen: Representative
) -> str:
    reference = display(grievance.reference)
    if not allowed(
        lambda: withdraw_mandate_as_person(
            grievance, person_id, Channel.SMS, chosen.organisation_id
        )
    ):
        return turn.say(sms_texts.NO_MANDATE, reference=reference)
    return turn.say(
        sms_texts.MANDATE_WITHDRAWN,
        organisation=chosen.name,
        reference=reference,
    )
