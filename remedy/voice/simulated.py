"""A simulated call: staff play the caller from the console, through the real call.

Each step goes through :func:`remedy.voice.calls.answer_call`, the use case Twilio's
webhook calls, in the same unit of work: the same state machine, the same services, the
same TwiML. Only what has no sound is simulated. A recording is the text typed for it:
it becomes the recording's transcript and a short silent WAV file named ``-simulated``
(the text in its comment), stored as if the worker had fetched it; nothing is ever asked
of Twilio for it. Simulated calls and recordings carry their own id prefixes, so the
simulator never shows a real call (whose TwiML may read a PIN).
"""

from __future__ import annotations

import secrets
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from remedy.core.actors import SYSTEM
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.filing.grievances import add_attachment
from remedy.models.call import Call, CallRecording, RecordingPurpose, RecordingStatus
from remedy.models.grievance import Grievance
from remedy.models.types import utcnow
from remedy.voice.calls import answer_call, call_ended
from remedy.voice.transcripts import SIMULATED_SUFFIX
from remedy.voice.turn import CallRequest

CALL_PREFIX = "CASIM"
RECORDING_PREFIX = "RESIM"
# Never fetched from anywhere: the worker refuses any host but Twilio's, and never sees it.
SIMULATED_URL = "simulated:recording"
# Kept from the worker until the call files it (then stored here, in the same step).
NOT_FOR_THE_WORKER = timedelta(days=3650)
MAX_SAID = 2000
SILENCE_SECONDS = 0.5
RATE = 8000


def new_call_sid() -> str:
    return CALL_PREFIX + secrets.token_hex(14)


def is_simulated(call_sid: str) -> bool:
    return call_sid.startswith(CALL_PREFIX)


def simulated_call(call_sid: str) -> Call | None:
    if not is_simulated(call_sid):
        return None
    return db.session.scalar(select(Call).where(Call.call_sid == call_sid))


@transactional
def place_step(call_sid: str, caller: str, digits: str = "", said: str = "") -> str:
    """One step of a simulated call (the first one rings): the TwiML answered."""
    if not is_simulated(call_sid):
        raise ValueError("not a simulated call")
    call = simulated_call(call_sid)
    said = said.strip()[:MAX_SAID]
    recording_sid = RECORDING_PREFIX + secrets.token_hex(14) if said else ""
    request = CallRequest(
        call_sid=call_sid,
        caller=caller,
        turn=None if call is None else call.turn,
        digits=digits,
        recording_sid=recording_sid,
        recording_url=SIMULATED_URL if said else "",
        recording_duration=max(1, len(said.split()) // 2) if said else None,
    )
    twiml = answer_call(request)
    call = simulated_call(call_sid)
    assert call is not None
    if recording_sid:
        made = db.session.scalar(
            select(CallRecording).where(CallRecording.recording_sid == recording_sid)
        )
        if made is not None:  # the step recorded (a keypad step ignores the text)
            made.transcript = said
    _settle(call)
    return twiml


@transactional
def hang_up(call_sid: str) -> None:
    """The simulated caller hangs up: Twilio's status callback, as the channel takes it."""
    call = simulated_call(call_sid)
    if call is None:
        return
    call_ended(call_sid, "completed")
    _settle(call)


def _settle(call: Call) -> None:
    """Store the call's simulated recordings as the worker would have, once placed."""
    db.session.flush()
    for recording in db.session.scalars(
        select(CallRecording).where(
            CallRecording.call_id == call.id,
            CallRecording.recording_sid.startswith(RECORDING_PREFIX),
            CallRecording.status == RecordingStatus.PENDING,
        )
    ):
        now = utcnow()
        content = placeholder(recording.transcript or "")
        if recording.replaced:
            recording.status = RecordingStatus.DISCARDED
        elif recording.grievance_id is not None:
            grievance = db.session.get(Grievance, recording.grievance_id)
            assert grievance is not None
            name = f"call-{call.id}-{recording.purpose.value}{SIMULATED_SUFFIX}"
            attachment = add_attachment(SYSTEM, grievance, name, "audio/wav", content)
            recording.attachment_id = attachment.id
            recording.status = RecordingStatus.STORED
        elif recording.purpose is RecordingPurpose.MESSAGE or call.ended_at is not None:
            recording.content = content
            recording.status = RecordingStatus.STORED
        else:
            recording.available_at = now + NOT_FOR_THE_WORKER
            continue
        recording.lease_expires_at = None


def placeholder(said: str) -> bytes:
    """Half a second of silence as a WAV file, the words in its comment: no audio exists."""
    comment = f"Simulated recording (no audio): {said}".encode()[: MAX_SAID * 4] + b"\0"
    if len(comment) % 2:
        comment += b"\0"
    info = b"INFO" + b"ICMT" + struct.pack("<I", len(comment)) + comment
    samples = b"\x80" * int(RATE * SILENCE_SECONDS)  # 8-bit unsigned: 0x80 is silence
    fmt = struct.pack("<HHIIHH", 1, 1, RATE, RATE, 1, 8)
    chunks = (
        b"fmt " + struct.pack("<I", len(fmt)) + fmt
        + b"LIST" + struct.pack("<I", len(info)) + info
        + b"data" + struct.pack("<I", len(samples)) + samples
    )  # fmt: skip
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


# The TwiML as it would be heard ------------------------------------------------------------


@dataclass(frozen=True)
class Heard:
    """One thing the caller hears, or the call waits for, in order."""

    verb: str  # say, play, pause, gather, record, dial, hangup, redirect
    text: str = ""
    language: str = ""
    seconds: int | None = None
    keys: int | None = None  # a <Gather>'s number of digits
    finish_on: str = ""


def heard(twiml: str) -> list[Heard]:
    """The verbs of our own TwiML, flattened in the order Twilio runs them."""
    found: list[Heard] = []

    def walk(element: ET.Element) -> None:
        for child in element:
            tag = child.tag.lower()
            if tag == "say":
                found.append(Heard("say", child.text or "", child.get("language", "")))
            elif tag == "play":
                found.append(Heard("play", child.text or ""))
            elif tag == "pause":
                found.append(Heard("pause", seconds=int(child.get("length", "1"))))
            elif tag == "gather":
                found.append(
                    Heard(
                        "gather",
                        keys=int(child.get("numDigits", "1")),
                        seconds=int(child.get("timeout", "5")),
                    )
                )
                walk(child)
            elif tag == "record":
                found.append(
                    Heard(
                        "record",
                        seconds=int(child.get("maxLength", "3600")),
                        finish_on=child.get("finishOnKey", ""),
                    )
                )
            elif tag in ("dial", "redirect", "hangup"):
                found.append(Heard(tag, (child.text or "").strip()))

    walk(ET.fromstring(twiml))  # noqa: S314 - our own TwiML, written by this process
    return found
