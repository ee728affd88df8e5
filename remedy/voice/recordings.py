"""A call's recordings: fetched from Twilio by the worker, kept encrypted, deleted there.

The step that records only keeps the recording's address (``CallRecording``); Twilio's
recording status callback says when the file is ready. The worker then fetches it as
MP3 with the account's credentials, only from Twilio's hosts (``remedy.sms.media``
decides which, for SMS media and recordings alike: a recording URL never makes the
worker call another host), stores it as an encrypted attachment of its grievance (a
message to the team, or a complaint left unfinished, stays in the row, encrypted), and deletes it at
Twilio through the Recordings API, so it does not stay with the provider. A recording
the caller replaced by recording again is deleted without being kept. Until then the
case shows a recording as pending (:func:`pending_for`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from twilio.base.exceptions import TwilioRestException

from remedy.core.actors import SYSTEM
from remedy.core.errors import ConflictError, ServiceError
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import atomic
from remedy.filing.grievances import add_attachment
from remedy.messaging.senders import rest_client
from remedy.models.call import Call, CallRecording, RecordingPurpose, RecordingStatus
from remedy.models.grievance import Grievance
from remedy.models.types import utcnow
from remedy.sms.media import FetchFailed, download

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
BACKOFF = timedelta(minutes=1)
# Without Twilio's "completed" callback, a recording is fetched this long after the step.
READY_AFTER = timedelta(minutes=1)
AUDIO = "audio/mpeg"


def recording_ready(recording_sid: str, status: str) -> None:
    """Twilio's recording status callback: a completed recording may be fetched now."""
    if status != "completed":
        return
    with atomic():
        db.session.execute(
            update(CallRecording)
            .where(
                CallRecording.recording_sid == recording_sid,
                CallRecording.status == RecordingStatus.PENDING,
            )
            .values(available_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def pending_for(grievance_id: int) -> int:
    """How many of the case's recordings are still at Twilio, waiting to be fetched."""
    return int(
        db.session.scalar(
            select(func.count()).where(
                CallRecording.grievance_id == grievance_id,
                CallRecording.replaced.is_(False),
                CallRecording.status.in_((RecordingStatus.PENDING, RecordingStatus.FETCHING)),
            )
        )
        or 0
    )


def _due(now: datetime) -> list[int]:
    claimable = or_(
        (CallRecording.status == RecordingStatus.PENDING) & (CallRecording.available_at <= now),
        (CallRecording.status == RecordingStatus.FETCHING) & (CallRecording.lease_expires_at < now),
    )
    # A recording is fetched once it belongs somewhere: its case, or itself (a message to
    # the team, or the start of a complaint whose call ended before filing: the team may
    # hear it, as it reads an unfinished SMS draft).
    placed = or_(
        CallRecording.grievance_id.is_not(None),
        CallRecording.purpose == RecordingPurpose.MESSAGE,
        CallRecording.replaced.is_(True),
        CallRecording.call_id.in_(select(Call.id).where(Call.ended_at.is_not(None))),
    )
    return list(
        db.session.scalars(
            select(CallRecording.id).where(claimable, placed).order_by(CallRecording.id).limit(50)
        )
    )


def _claim(recording_id: int, now: datetime) -> bool:
    """Take one recording for this worker: one conditional UPDATE, committed first."""
    with atomic():
        result = db.session.execute(
            update(CallRecording)
            .where(
                CallRecording.id == recording_id,
                or_(
                    CallRecording.status == RecordingStatus.PENDING,
                    (CallRecording.status == RecordingStatus.FETCHING)
                    & (CallRecording.lease_expires_at < now),
                ),
            )
            .values(
                status=RecordingStatus.FETCHING,
                lease_expires_at=now + LEASE,
                attempts=CallRecording.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
    return bool(getattr(result, "rowcount", 0) == 1)


def fetch_recordings(now: datetime | None = None) -> int:
    """Periodic (the worker): fetch, keep and delete at Twilio; returns how many were kept."""
    now = now or utcnow()
    kept = 0
    for recording_id in _due(now):
        if not _claim(recording_id, now):
            continue  # another worker has it
        recording = db.session.get(CallRecording, recording_id)
        assert recording is not None
        try:
            if recording.replaced:
                _delete_at_twilio(recording.recording_sid)
                _settle(recording_id, RecordingStatus.DISCARDED, now)
                continue
            if recording.attachment_id is None and recording.content is None:
                # Stored already when only the deletion failed last time: not twice.
                _store(recording_id, download(_media_url(recording.url)).content)
                kept += 1
            _delete_at_twilio(recording.recording_sid)
            _settle(recording_id, RecordingStatus.STORED, now)
        except FetchFailed as failure:
            _failed(recording_id, failure, now)
        except ConflictError:
            raise  # someone changed the case meanwhile: the next run tries again
        except ServiceError as refusal:
            _failed(recording_id, FetchFailed(type(refusal).__name__, permanent=True), now)
    return kept


def _media_url(url: str) -> str:
    """Twilio serves a recording as MP3 when ``.mp3`` is appended to its address."""
    return url if url.endswith((".mp3", ".wav")) else f"{url}.mp3"


def _store(recording_id: int, content: bytes) -> None:
    with atomic():
        recording = db.session.get(CallRecording, recording_id)
        assert recording is not None
        if recording.grievance_id is None:
            recording.content = content  # a message to the team, with no case
            return
        grievance = db.session.get(Grievance, recording.grievance_id)
        assert grievance is not None
        filename = f"call-{recording.call_id}-{recording.purpose.value}.mp3"
        attachment = add_attachment(SYSTEM, grievance, filename, AUDIO, content)
        recording.attachment_id = attachment.id


def _delete_at_twilio(recording_sid: str) -> None:
    """Delete it at Twilio; one already gone (404) is as good as deleted."""
    twilio = settings().twilio
    client = rest_client(
        twilio.account_sid,
        twilio.auth_token,
        settings().outbox.send_timeout_seconds,
        twilio.api_base_url,
    )
    try:
        client.recordings(recording_sid).delete()
    except TwilioRestException as error:
        if error.status != 404:
            raise FetchFailed(f"delete: HTTP {error.status}") from error


def _settle(recording_id: int, status: RecordingStatus, now: datetime) -> None:
    with atomic():
        recording = db.session.get(CallRecording, recording_id)
        assert recording is not None
        recording.status = status
        recording.lease_expires_at = None
        recording.last_error = None
        recording.deleted_at_provider = now


def _failed(recording_id: int, failure: FetchFailed, now: datetime) -> None:
    with atomic():
        recording = db.session.get(CallRecording, recording_id)
        assert recording is not None
        give_up = failure.permanent or recording.attempts >= MAX_ATTEMPTS
        recording.status = RecordingStatus.FAILED if give_up else RecordingStatus.PENDING
        recording.available_at = now + BACKOFF * (2 ** max(0, recording.attempts - 1))
        recording.lease_expires_at = None
        recording.last_error = failure.reason[:200]
    # Ids and reasons only: the address names the account and the call.
    logger.warning("call recording %s not fetched: %s", recording_id, failure.reason)
