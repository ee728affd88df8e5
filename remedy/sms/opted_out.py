"""What a number that sent STOP sends afterwards: kept for the team, never answered.

After STOP the provider blocks every message to the number, replies included (Twilio's
error 21610), until it sends START. A conversation the person cannot see would ask
questions nobody reads and file half a complaint, so none is run. What they send is
kept where the team reads it: on their newest open case (as added information, no
workflow step, its files joining the case), otherwise in the inbound message's record.
The team sees the opt-out on the case page. START and STOP themselves still work.
"""

from __future__ import annotations

from remedy.cases.phone_information import keep_message
from remedy.core.actors import Actor
from remedy.sms.keywords import Keyword, parse_command
from remedy.sms.open_case import newest_open_case
from remedy.sms.turn import Turn, allowed

STILL_WORKS = frozenset({Keyword.STOP, Keyword.START})


def keep_unseen(turn: Turn) -> str | None:
    """Keep the message of an opted-out number for the team; "" (no reply) when kept."""
    person = turn.person
    if person is None or person.phone_opted_out_at is None:
        return None
    command = parse_command(turn.body)
    if command is not None and command.keyword in STILL_WORKS:
        return None
    if (turn.message.opt_out or "").strip().upper() in ("START", "STOP"):
        return None
    found = newest_open_case(turn.hashes)
    if found is not None:
        grievance, link = found
        actor = Actor.complainant(grievance.reference, link.person_id)
        text = turn.kept_body
        if not text or allowed(lambda: keep_message(actor, grievance, text)):
            turn.answered_grievance_id = grievance.id  # its files join the case
    return ""
