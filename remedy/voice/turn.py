"""One request of a call being answered: what Twilio posted, the call, and its TwiML.

The steps (:mod:`remedy.voice.complaint`, :mod:`remedy.voice.case`) each take the
:class:`CallTurn`: ``answer`` reads the key pressed or the recording made and moves the
call on; ``ask`` writes the prompt of the state the call is in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.models.call import Call, CallRecording, RecordingPurpose
from remedy.models.person import Person
from remedy.models.types import keyring, utcnow
from remedy.voice.speech import Speech
from remedy.workflows.call import CALL


@dataclass(frozen=True)
class CallRequest:
    """What Twilio posted, as the call takes it."""

    call_sid: str
    # The person: E.164, or Twilio's word for a hidden number ("anonymous"); ``To`` of a
    # call the mechanism placed.
    caller: str
    turn: int | None = None  # None: the incoming call itself
    digits: str = ""
    recording_sid: str = ""
    recording_url: str = ""
    recording_duration: int | None = None


def _now() -> datetime:
    """The call's clock, read when the request comes in (looked up here: tests fix it)."""
    return utcnow()


@dataclass
class CallTurn:
    call: Call
    request: CallRequest
    now: datetime = field(default_factory=_now)

    @cached_property
    def speech(self) -> Speech:
        return Speech(self.language)

    @property
    def language(self) -> str:
        language = self.call.language
        if language is not None and language in settings().languages:
            return language
        default: str = settings().default_language
        return default

    @cached_property
    def e164(self) -> str | None:
        """The person's number when it is one: who called, or whom the mechanism called
        back (Twilio's ``From`` is then ours). Hidden numbers are not."""
        number = self.call.phone
        if not isinstance(number, str):
            return None
        return number if number.startswith("+") and number[1:].isdigit() else None

    @cached_property
    def hashes(self) -> list[str]:
        return keyring().lookup_hashes(self.e164) if self.e164 else [self.call.phone_hash]

    @cached_property
    def person(self) -> Person | None:
        if self.e164 is None:
            return None
        return db.session.scalar(
            select(Person).where(Person.phone_hash.in_(self.hashes)).order_by(Person.id).limit(1)
        )

    def digit(self) -> int | None:
        """The one key pressed, as a number (None for silence, # or *)."""
        digits = self.request.digits.strip()
        return int(digits) if len(digits) == 1 and digits.isdigit() else None

    def fire(self, trigger: str) -> None:
        """Move the call on; an ended call forgets the PIN it could read again."""
        CALL.advance(self.call, trigger)
        if CALL.state(self.call.state).ended:
            self.call.ended_at = self.now
            self.call.pin = None
        self.speech.language = self.language

    def keep_recording(self, purpose: RecordingPurpose) -> CallRecording | None:
        """The recording this request brought, kept for the worker to fetch (None when
        Twilio recorded nothing: the caller said nothing before the timeout)."""
        request = self.request
        if not request.recording_sid or not request.recording_url:
            return None
        recording = CallRecording(
            call_id=self.call.id,
            recording_sid=request.recording_sid,
            url=request.recording_url,
            duration=request.recording_duration,
            purpose=purpose,
            grievance_id=self.call.grievance_id,
        )
        db.session.add(recording)
        return recording


@dataclass(frozen=True)
class Step:
    """One state of the call: how its prompt is written and how its answer is read."""

    ask: Callable[[CallTurn], None]
    answer: Callable[[CallTurn], None]


def recording_prompt(name: str) -> Callable[[CallTurn], None]:
    """The prompt of a state that records: its words, a beep, up to three minutes."""

    def ask(turn: CallTurn) -> None:
        turn.speech.prompt(name)
        turn.speech.record(turn.call.turn)

    return ask


def not_understood(turn: CallTurn) -> None:
    """A key the prompt did not offer, or silence: said, and the prompt comes again."""
    turn.speech.prompt("not_understood" if turn.request.digits else "nothing_heard")
