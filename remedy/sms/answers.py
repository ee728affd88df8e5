"""Messages that answer what the mechanism asked: a bare 1, 2 or 3 answers the person's
open check-in; a message from the number of someone whose case waits for their answer
(asked by SMS) is that answer, added to the case as on the web.

Each answer goes through the service on the complainant's behalf; when the service
refuses, the message is handled as an ordinary one.
"""

from __future__ import annotations

from sqlalchemy import select

from remedy.cases.check_ins import answer_check_in
from remedy.cases.intake import provide_information
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.messaging import sms_texts
from remedy.models.check_in import Answer, CheckIn, CheckInResponse
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.person import Person
from remedy.sms.turn import Turn, allowed
from remedy.workflows.states import IntakeState

# The check-in's answers, as the SMS asking for them numbers them.
ANSWERS = {1: Answer.YES, 2: Answer.PARTLY, 3: Answer.NO}


def answer_open_check_in(turn: Turn, answer: Answer) -> str | None:
    """A bare number answers the newest open question put to this number's person."""
    check_in = db.session.scalar(
        select(CheckIn)
        .join(Person, Person.id == CheckIn.person_id)
        .outerjoin(CheckInResponse, CheckInResponse.check_in_id == CheckIn.id)
        .where(
            Person.phone_hash.in_(turn.hashes),
            CheckIn.opened_at.is_not(None),
            CheckIn.cancelled_at.is_(None),
            CheckInResponse.id.is_(None),
        )
        .order_by(CheckIn.opened_at.desc(), CheckIn.id.desc())
        .limit(1)
    )
    if check_in is None or check_in.person_id is None:
        return None
    grievance = check_in.track.grievance
    actor = Actor.complainant(grievance.reference, check_in.person_id)
    if not allowed(lambda: answer_check_in(actor, check_in, answer)):
        return None  # not this person's to answer after all: an ordinary message
    return turn.say(sms_texts.CHECK_IN_THANKS)


def answer_awaiting_case(turn: Turn) -> str | None:
    """The team asked this number's person a question (their case waits for the answer,
    the SMS said "please answer by ..."): the message is the answer, not a new complaint.
    Files sent with it join the case. The reply names no case: the number proved no PIN.
    Not for a discreet case: its phone was told only that there is news, the question
    waits behind the PIN, and a message from the phone proves nothing about who holds it."""
    if not turn.body:
        return None
    found = db.session.execute(
        select(Grievance, GrievancePerson.person_id)
        .join(GrievancePerson, GrievancePerson.grievance_id == Grievance.id)
        .join(Person, Person.id == GrievancePerson.person_id)
        .where(
            Person.phone_hash.in_(turn.hashes),
            GrievancePerson.receives_messages.is_(True),
            Grievance.state == IntakeState.AWAITING_COMPLAINANT,
            Grievance.discreet_messages.is_(False),
        )
        .order_by(Grievance.updated_at.desc(), Grievance.id.desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    grievance, person_id = found
    actor = Actor.complainant(grievance.reference, person_id)
    if not allowed(lambda: provide_information(actor, grievance, turn.body)):
        return None  # refused: the message is handled as usual
    turn.answered_grievance_id = grievance.id
    return turn.say(sms_texts.INFORMATION_THANKS)
