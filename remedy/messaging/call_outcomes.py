"""What became of a call the mechanism placed: heard, tried again, or sent by SMS.

A call on the voice channel is ``sent`` once Twilio took it. It is **heard** when the
person typed the PIN and the words were read (:func:`call_heard`, from the call itself):
``delivered``, provider status ``heard``. Otherwise Twilio's final status decides
(:func:`record_call_outcome`): ``no-answer``, ``busy``, ``failed``, or ``completed``
without the PIN (answered, perhaps by someone else, or by voicemail: **unheard**). The
call is tried again after each of the configured waits; an unheard call only once, as
whoever answered may not be the person. When no try is left, the same words go by SMS
(the SMS wording kept in ``sms_body``, discreet when the case is) if the person allows
it: contact consent given and no STOP; a contact hold still holds that SMS until it is
lifted. Otherwise the words stay on the web status page, where every message is.

A status callback is applied once: only to the call the row last placed and still waits
on (``sent``), or to a row whose send was never recorded (the worker died or timed out
after Twilio took the call). A retried callback, or one for an older call, changes
nothing. A missed-call call-back is only placed: answered or not, it is not tried again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.outbox_message import (
    MISSED_CALL_TEMPLATE,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from remedy.models.person import Person

# Twilio's final call statuses, and the code each leaves on the message.
HEARD = "heard"
UNHEARD = "unheard"
OUTCOMES = {
    "completed": UNHEARD,  # answered; heard calls are settled before this arrives
    "no-answer": "no-answer",
    "busy": "busy",
    "failed": "call-failed",
    "canceled": "call-failed",
}
# The code of a call nobody heard, after its last try.
BY_SMS = "by-sms"
NOT_HEARD = "not-heard"


def _locked(outbox_id: int) -> OutboxMessage | None:
    row = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.id == outbox_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return row if row is not None and row.channel is MessageChannel.VOICE else None


def _settled(row: OutboxMessage, call_sid: str, now: datetime) -> None:
    row.provider_id = call_sid
    row.claimed_by = None
    row.lease_expires_at = None
    row.sent_at = row.sent_at or now


def _waiting_on(row: OutboxMessage, call_sid: str) -> bool:
    """The call this row placed last and still waits on (or a send never recorded)."""
    if row.provider_id == call_sid:
        return row.status is MessageStatus.SENT
    return row.provider_id is None and row.status in (MessageStatus.PENDING, MessageStatus.SENDING)


def call_heard(outbox_id: int, call_sid: str, now: datetime) -> None:
    """The person typed the PIN and heard the words: delivered (in the call's unit of work)."""
    row = _locked(outbox_id)
    if row is None or row.status in (MessageStatus.DELIVERED, MessageStatus.FAILED):
        return
    if row.provider_id not in (None, call_sid):
        return  # heard on an older call after a newer one was placed: that one stands
    _settled(row, call_sid, now)
    row.status = MessageStatus.DELIVERED
    row.provider_status = HEARD
    row.error_code = None
    row.last_error = None


def record_call_outcome(
    outbox_id: int, call_sid: str, status: str, waits: Sequence[timedelta], now: datetime
) -> bool:
    """Apply Twilio's final status of a call; False when it changed nothing."""
    status = status.strip().lower()
    code = OUTCOMES.get(status)
    row = _locked(outbox_id) if code is not None else None
    if row is None or code is None or not _waiting_on(row, call_sid):
        return False
    _settled(row, call_sid, now)
    row.provider_status = status
    if row.template == MISSED_CALL_TEMPLATE:
        # Answered: the person is in the menu. Not answered: they may ring again.
        answered = status == "completed"
        row.status = MessageStatus.DELIVERED if answered else MessageStatus.FAILED
        row.error_code = None if answered else code
        return True
    unheard_before = row.error_code == UNHEARD
    row.error_code = code
    row.last_error = f"call {row.attempts}: {status}"
    tries = row.attempts  # calls placed, as the outbox counts its attempts
    if tries <= len(waits) and not (code == UNHEARD and unheard_before):
        row.status = MessageStatus.PENDING
        row.available_at = now + waits[max(tries, 1) - 1]
        return True
    row.status = MessageStatus.FAILED
    give_up_calling(row, now)
    return True


def give_up_calling(row: OutboxMessage, now: datetime) -> None:
    """No call was heard: the same words by SMS when the person allows it, else the web
    status page only (the call's own row is there already)."""
    if row.template == MISSED_CALL_TEMPLATE:
        return
    if row.sms_body is None or not sms_allowed(row):
        row.error_code = NOT_HEARD
        return
    row.error_code = BY_SMS
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.fallback_of_id == row.id)):
        return
    db.session.add(
        OutboxMessage(
            dedupe_key=f"sms-fallback:{row.id}",
            grievance_id=row.grievance_id,
            person_id=row.person_id,
            organisation_id=row.organisation_id,
            track_id=row.track_id,
            channel=MessageChannel.SMS,
            address=row.address,
            language=row.language,
            template=row.template,
            body=row.sms_body,
            status=MessageStatus.PENDING,
            available_at=now,
            fallback_of_id=row.id,
        )
    )


def give_up_calling_by_id(outbox_id: int, now: datetime) -> None:
    """The Calls API refused the call for good (the worker's final failure)."""
    row = _locked(outbox_id)
    if row is not None:
        give_up_calling(row, now)


def sms_allowed(row: OutboxMessage) -> bool:
    """The person agreed to be contacted on their phone and has not sent STOP."""
    person = db.session.get(Person, row.person_id) if row.person_id else None
    grievance = db.session.get(Grievance, row.grievance_id) if row.grievance_id else None
    return (
        person is not None
        and person.phone_opted_out_at is None
        and grievance is not None
        and bool(grievance.contact_consent)
    )
