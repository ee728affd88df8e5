"""A call's recordings: the worker fetches each from Twilio with the account's
credentials, only from Twilio's hosts, keeps it encrypted as an attachment of the case,
then deletes it at Twilio."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models import Attachment, CallRecording, RecordingStatus
from remedy.models.types import utcnow
from remedy.voice.recordings import fetch_recordings, pending_for
from tests.fake_twilio import MP3, FakeTwilio
from tests.voice.conftest import Caller
from tests.voice.test_filing import complain, filed


def recordings_of(grievance_id: int) -> list[CallRecording]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(CallRecording)
            .where(CallRecording.grievance_id == grievance_id)
            .order_by(CallRecording.id)
        )
    )


def test_a_recording_is_stored_encrypted_then_deleted_at_twilio(
    caller: Caller, fake_twilio: FakeTwilio
) -> None:
    caller.call()
    caller.press("1")
    complain(caller)
    grievance = filed(caller)
    assert pending_for(grievance.id) == 2  # the case says recordings are pending
    sids = [r.recording_sid for r in recordings_of(grievance.id)]

    assert fetch_recordings() == 2

    recordings = recordings_of(grievance.id)
    assert [r.status for r in recordings] == [RecordingStatus.STORED] * 2
    attachments = [db.session.get(Attachment, r.attachment_id) for r in recordings]
    assert [a.content for a in attachments if a is not None] == [MP3, MP3]
    assert {a.content_type for a in attachments if a is not None} == {"audio/mpeg"}
    assert fake_twilio.deleted_recordings == sids
    assert fake_twilio.recordings == {}
    assert pending_for(grievance.id) == 0
    assert fetch_recordings() == 0  # nothing twice


def test_a_recording_on_a_foreign_host_is_refused(caller: Caller, fake_twilio: FakeTwilio) -> None:
    caller.call()
    caller.press("1")
    caller.press("1")
    caller.record("https://evil.example.org/2010-04-01/Recordings/RE1")
    caller.press("1")
    caller.record()
    for key in ("1", "1", "2"):
        caller.press(key)
    grievance = filed(caller)

    fetch_recordings()

    foreign, twilios = recordings_of(grievance.id)
    assert foreign.status is RecordingStatus.FAILED
    assert foreign.attachment_id is None
    assert foreign.last_error == "not a Twilio media address: not fetched"
    assert foreign.recording_sid not in fake_twilio.deleted_recordings
    assert twilios.status is RecordingStatus.STORED


def test_a_replaced_recording_is_deleted_without_being_kept(
    caller: Caller, fake_twilio: FakeTwilio
) -> None:
    caller.call()
    caller.press("1")
    caller.press("1")
    caller.record()
    caller.press("2")  # record it again
    caller.record()
    caller.press("1")
    caller.record()
    for key in ("1", "1", "2"):
        caller.press(key)
    grievance = filed(caller)

    assert fetch_recordings() == 2

    kept = [r for r in recordings_of(grievance.id) if r.attachment_id is not None]
    assert len(kept) == 2
    assert len(fake_twilio.deleted_recordings) == 3
    assert pending_for(grievance.id) == 0


def test_an_unfinished_complaint_is_kept_for_the_team_and_deleted_at_twilio(
    caller: Caller, fake_twilio: FakeTwilio
) -> None:
    caller.call()
    caller.press("1")
    caller.press("1")
    sid, url = fake_twilio.new_recording()
    path = caller._action("Record")
    caller._step(path, caller.params(RecordingUrl=url, RecordingSid=sid, RecordingDuration="9"))

    # No status callback yet, and the call goes on: the recording waits.
    assert fetch_recordings() == 0
    assert sid in fake_twilio.recordings

    # The caller hangs up before filing: kept for the team, in the row, and gone at Twilio.
    caller.hang_up()
    assert fetch_recordings(utcnow() + timedelta(minutes=5)) == 1
    (recording,) = db.session.scalars(
        select(CallRecording).where(CallRecording.recording_sid == sid)
    ).all()
    db.session.refresh(recording)
    assert recording.content == MP3
    assert recording.status is RecordingStatus.STORED
    assert fake_twilio.deleted_recordings == [sid]
