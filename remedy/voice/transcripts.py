"""A case's call recordings for its team: heard from the encrypted copy, typed out.

A recording is what the person said, in their own voice: it is the case's description
(or an answer) in another form, so it follows the description's rule on sensitive
cases (:func:`remedy.cases.sensitive.may_read_contents`). A voice can also tell who is
speaking, so when the person withheld their identity, an organisation's staff read the
transcript but do not hear the voice. The console plays it from the attachment the
worker stored, never from Twilio (where it is deleted). A handler types what it says:
the transcript is encrypted at rest, and the audit says that it changed, not what it says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases.sensitive import may_read_contents
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_change, may_see_grievance
from remedy.models.attachment import Attachment
from remedy.models.call import CallRecording, RecordingPurpose, RecordingStatus
from remedy.models.grievance import Grievance
from remedy.models.user import Role

MAX_TRANSCRIPT = 5000
# The mechanism's own case workers type transcripts (as they write the case's notes).
TRANSCRIBERS = frozenset({Role.SUPERVISOR, Role.HANDLER, Role.PROTECTION_OFFICER})
# What a simulated call's recording is named (``remedy.voice.simulated``): no audio.
SIMULATED_SUFFIX = "-simulated.wav"

PURPOSES: dict[RecordingPurpose, LazyString] = {
    RecordingPurpose.WHAT_HAPPENED: _l("What happened"),
    RecordingPurpose.WHERE: _l("Where it happened"),
    RecordingPurpose.QUESTION: _l("Answer to the team's question"),
    RecordingPurpose.DECLINE_REASON: _l("Why the proposal was declined"),
    RecordingPurpose.MISSING: _l("What is missing"),
    RecordingPurpose.APPEAL_REASON: _l("Why they appeal"),
    RecordingPurpose.CONTEST_REASON: _l("Why they contest how an organisation is involved"),
    RecordingPurpose.EXPLANATION_QUESTION: _l("What they want explained of the decision"),
    RecordingPurpose.MESSAGE: _l("Message for the team"),
}


@dataclass(frozen=True)
class CaseRecording:
    """One stored recording of the case, as its page lists it (never its content)."""

    id: int
    purpose: str
    duration: int | None
    content_type: str
    transcript: str | None
    simulated: bool
    made_at: datetime


def may_hear(actor: Actor, grievance: Grievance) -> bool:
    """The recordings' sound: who reads the description, but not an organisation's staff
    when the person withheld who they are (a voice can tell)."""
    if not may_read_contents(actor, grievance):
        return False
    return actor.organisation_id is None or not grievance.identity_withheld


def may_transcribe(actor: Actor, grievance: Grievance) -> bool:
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in TRANSCRIBERS
        and may_change(actor)
        and may_see_grievance(actor, grievance)
        and may_read_contents(actor, grievance)
    )


def recordings_of(grievance: Grievance) -> list[CaseRecording]:
    """The case's recordings stored here, oldest first (replaced ones were never kept)."""
    rows = db.session.execute(
        select(CallRecording, Attachment.content_type, Attachment.filename)
        .join(Attachment, Attachment.id == CallRecording.attachment_id)
        .where(
            CallRecording.grievance_id == grievance.id,
            CallRecording.status == RecordingStatus.STORED,
        )
        .order_by(CallRecording.id)
    ).all()
    return [
        CaseRecording(
            id=recording.id,
            purpose=str(PURPOSES[recording.purpose]),
            duration=recording.duration,
            content_type=content_type,
            transcript=recording.transcript,
            simulated=(filename or "").endswith(SIMULATED_SUFFIX),
            made_at=recording.created_at,
        )
        for recording, content_type, filename in rows
    ]


def recording_of(grievance: Grievance, recording_id: int) -> CallRecording:
    recording = db.session.get(CallRecording, recording_id)
    if (
        recording is None
        or recording.grievance_id != grievance.id
        or recording.attachment_id is None
        or recording.status is not RecordingStatus.STORED
    ):
        raise NotFound(_("There is no such recording."))
    return recording


def audio_of(actor: Actor, grievance: Grievance, recording_id: int) -> Attachment:
    """The stored file to play, for those who may hear it."""
    if not may_hear(actor, grievance):
        raise NotAllowed(_("You may not listen to the recordings of this case."))
    recording = recording_of(grievance, recording_id)
    attachment = db.session.get(Attachment, recording.attachment_id)
    assert attachment is not None
    return attachment


def is_recording(attachment_id: int) -> bool:
    """Whether a case file is a call's recording (it then follows :func:`may_hear`)."""
    return (
        db.session.scalar(
            select(CallRecording.id).where(CallRecording.attachment_id == attachment_id)
        )
        is not None
    )


@transactional
def type_transcript(
    actor: Actor, grievance: Grievance, recording_id: int, text: str | None
) -> CallRecording:
    """What the recording says, typed by the team; empty clears it."""
    if not may_transcribe(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    recording = recording_of(grievance, recording_id)
    cleaned = (text or "").strip()
    if len(cleaned) > MAX_TRANSCRIPT:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_TRANSCRIPT), "transcript"
        )
    before = {"recording_id": recording.id, "transcribed": recording.transcript is not None}
    recording.transcript = cleaned or None
    audit.record(
        actor,
        "recording.transcript",
        "grievance",
        grievance.reference,
        before=before,
        after={"recording_id": recording.id, "transcribed": bool(cleaned)},
    )
    return recording
