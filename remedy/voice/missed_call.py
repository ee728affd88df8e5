"""The missed-call call-back: a known number rings, is rejected, and is called back.

With ``REMEDY_VOICE_CALLBACK=on``, a call from a number known from an earlier case is
answered with ``<Reject>``: the caller hears it ring out and pays nothing. A call back
is queued through the outbox at once (a voice message, template ``missed_call``), and
lands in the main menu in the person's language (``remedy.voice.callbacks``). Unknown
and hidden numbers are answered as always.

Nobody can make the mechanism call someone again and again by ringing with their number:
one call-back per number in ``REMEDY_VOICE_CALLBACK_MINUTES``; a second call within that
time is answered normally. A number whose case has its contact on hold (after a
reprisal incident) is never called back: its call is answered normally too. A retried
webhook of the same call is rejected again and queues nothing more.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import exists, select

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.outbox_message import (
    MISSED_CALL_TEMPLATE,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from remedy.models.person import Person
from remedy.models.types import keyring
from remedy.voice.prompts import PROMPTS
from remedy.voice.turn import CallRequest


def _key(call_sid: str) -> str:
    return f"missed-call:{call_sid}"


def called_back_instead(request: CallRequest, now: datetime) -> bool:
    """Whether to reject this incoming call: a call back is queued (or was, for a retry)."""
    if not settings().voice.missed_call_callback:
        return False
    if db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == _key(request.call_sid))
    ):
        return True  # Twilio retried the webhook: the same answer, nothing queued again
    caller = request.caller
    if not (caller.startswith("+") and caller[1:].isdigit()):
        return False
    people = list(
        db.session.scalars(
            select(Person.id).where(Person.phone_hash.in_(keyring().lookup_hashes(caller)))
        )
    )
    if not people or _held(people) or _called_back_lately(people, now):
        return False
    _queue(request, people, now)
    return True


def _held(people: list[int]) -> bool:
    """A case of this number has its contact on hold: no call goes to it."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    GrievancePerson.person_id.in_(people),
                    Grievance.id == GrievancePerson.grievance_id,
                    Grievance.contact_held_since.is_not(None),
                )
            )
        )
    )


def _called_back_lately(people: list[int], now: datetime) -> bool:
    since = now - settings().voice.callback_every
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    OutboxMessage.template == MISSED_CALL_TEMPLATE,
                    OutboxMessage.person_id.in_(people),
                    OutboxMessage.created_at >= since,
                )
            )
        )
    )


def _queue(request: CallRequest, people: list[int], now: datetime) -> None:
    """The call back, about the number's latest case (a later hold on it holds the call)."""
    latest = db.session.execute(
        select(GrievancePerson.person_id, Grievance.id, Grievance.language)
        .join(Grievance, Grievance.id == GrievancePerson.grievance_id)
        .where(GrievancePerson.person_id.in_(people))
        .order_by(Grievance.id.desc())
        .limit(1)
    ).first()
    person_id = latest.person_id if latest is not None else max(people)
    person = db.session.get(Person, person_id)
    language = (person.language if person is not None else None) or (
        latest.language if latest is not None else settings().default_language
    )
    if language not in settings().languages:
        language = settings().default_language
    with force_locale(language):
        body = str(PROMPTS["called_back"])
    db.session.add(
        OutboxMessage(
            dedupe_key=_key(request.call_sid),
            grievance_id=latest.id if latest is not None else None,
            person_id=person_id,
            channel=MessageChannel.VOICE,
            address=request.caller,
            language=language,
            template=MISSED_CALL_TEMPLATE,
            body=body,
            status=MessageStatus.PENDING,
            available_at=now,
            created_at=now,
        )
    )
