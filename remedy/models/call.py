"""A phone call to the voice channel, and the recordings it made.

One ``Call`` row per Twilio ``CallSid``: the state of the call's workflow
(``remedy.workflows.call``), its language, the complaint's draft as it is told, and the
case opened with reference and PIN. Each step the call takes advances ``turn``; the
last step's key (turn and input, as a keyed hash: a PIN is among the inputs) and its
TwiML are kept, so a retried webhook gets the same answer and changes nothing twice.
That TwiML may read back a new PIN: it is encrypted, and forgotten when the call ends.
A call the mechanism placed (a call-back through the outbox) names its outbox message.

A ``CallRecording`` is what a ``<Record>`` made, kept at Twilio until the worker fetches
it (only from Twilio's hosts), stores it as an encrypted attachment of its grievance (or
in the row itself, for a message to the team without a case) and deletes it at Twilio.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedBytes, EncryptedText, UTCDateTime, enum_column, utcnow


class Call(Model):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(EncryptedText("calls.phone"))
    # A state of remedy.workflows.call.
    state: Mapped[str] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    turn: Mapped[int] = mapped_column(default=0)
    last_key: Mapped[str | None] = mapped_column(String(64))
    last_twiml: Mapped[str | None] = mapped_column(EncryptedText("calls.last_twiml"))
    # The complaint's draft; the recordings themselves are CallRecording rows.
    identity_withheld: Mapped[bool | None] = mapped_column()
    contact_consent: Mapped[bool | None] = mapped_column()
    reprisal_feared: Mapped[bool | None] = mapped_column()
    # The grievance this call filed, or the case it opened with reference and PIN.
    grievance_id: Mapped[int | None] = mapped_column(
        ForeignKey("grievances.id", ondelete="SET NULL"), index=True
    )
    # The new case's PIN, to read it again on request; forgotten when the call ends.
    pin: Mapped[str | None] = mapped_column(EncryptedText("calls.pin"))
    # The reference typed before the PIN (a reference is not a secret; the PIN never kept).
    reference: Mapped[str | None] = mapped_column(String(16))
    # The ask the caller is answering, and the organisations offered for a withdrawal.
    ask_id: Mapped[int | None] = mapped_column(ForeignKey("asks.id", ondelete="SET NULL"))
    choices: Mapped[str | None] = mapped_column(String(200))
    # A call the mechanism placed (a call-back): the outbox message it carries.
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    # Not stored: whether "speak to someone" finds the team in (the workflow's route).
    in_office_hours = False

    def __repr__(self) -> str:
        return f"<Call {self.id} {self.state}>"


class RecordingPurpose(enum.StrEnum):
    """What a recording says: part of a complaint, an answer, or a message to the team."""

    WHAT_HAPPENED = "what_happened"
    WHERE = "where"
    QUESTION = "question"  # an answer to the team's question
    DECLINE_REASON = "decline_reason"
    MISSING = "missing"  # what is missing, after a check-in
    APPEAL_REASON = "appeal_reason"
    CONTEST_REASON = "contest_reason"  # why they contest how an organisation is involved
    EXPLANATION_QUESTION = "explanation_question"  # what to explain of an automated decision
    FAIRNESS_COMMENT = "fairness_comment"  # a comment on how fair the handling was
    MESSAGE = "message"  # "speak to someone" outside office hours


class RecordingStatus(enum.StrEnum):
    PENDING = "pending"  # at Twilio; the worker will fetch it
    FETCHING = "fetching"  # a worker holds it until ``lease_expires_at``
    STORED = "stored"  # encrypted here, deleted at Twilio
    DISCARDED = "discarded"  # recorded again: deleted at Twilio, never stored
    FAILED = "failed"  # not fetched (a foreign host, or every attempt failed)


class CallRecording(Model):
    __tablename__ = "call_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(EncryptedText("call_recordings.url"))
    duration: Mapped[int | None] = mapped_column()
    purpose: Mapped[RecordingPurpose] = mapped_column(
        enum_column(RecordingPurpose, "recording_purpose")
    )
    # Set once the recording belongs to a case (filed, or opened with the PIN).
    grievance_id: Mapped[int | None] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    # A later recording of the same question (recorded again) replaces this one.
    replaced: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RecordingStatus] = mapped_column(
        enum_column(RecordingStatus, "recording_status"),
        default=RecordingStatus.PENDING,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )
    # A message to the team without a case is kept here, encrypted, instead.
    content: Mapped[bytes | None] = deferred(
        mapped_column(EncryptedBytes("call_recordings.content"))
    )
    # What a handler typed of what it says.
    transcript: Mapped[str | None] = mapped_column(EncryptedText("call_recordings.transcript"))
    deleted_at_provider: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
