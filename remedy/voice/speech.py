"""Writing a call's TwiML: prompts played or spoken in the caller's language.

A prompt plays its recording when one is installed (``instance/voice/<lang>/<name>.mp3``,
served by the channel, or under ``REMEDY_VOICE_PROMPTS_URL``), and is otherwise spoken
with the language's voice. Twilio lists voices for English, French, Spanish and Arabic;
it has none for Swahili, so Swahili prompts should be recorded: until they are, the
Swahili text is read by the nearest voice Twilio has (an English one, which reads the
Latin-script text letter for letter), and ``Voice.nearest`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale
from twilio.twiml.voice_response import Gather, VoiceResponse

from remedy.core.settings import settings
from remedy.messaging.senders import CALL_STATUS_PATH
from remedy.voice.prompts import PROMPTS

# The channel's addresses (``channels/voice.py`` routes them; TwiML names them).
VOICE_PATH = "/twilio/voice"
STEP_PATH = f"{VOICE_PATH}/step"
RECORDING_PATH = f"{VOICE_PATH}/recording"
STATUS_PATH = CALL_STATUS_PATH  # also the status callback of the calls the worker places
PROMPTS_PATH = f"{VOICE_PATH}/prompts"
RECORD_SECONDS = 180
GATHER_SECONDS = 8


@dataclass(frozen=True)
class Voice:
    name: str | None  # Twilio's voice ("Polly.Lea"); None: Twilio's default one
    code: str  # <Say language="...">
    nearest: bool = False  # the provider has no voice of this language


DEFAULT_VOICES: dict[str, Voice] = {
    "en": Voice("Polly.Joanna", "en-US"),
    "fr": Voice("Polly.Lea", "fr-FR"),
    "es": Voice("Polly.Lucia", "es-ES"),
    "ar": Voice("Polly.Zeina", "arb"),
    "sw": Voice("Polly.Joanna", "en-US", nearest=True),
}


@lru_cache(maxsize=8)
def _voices(configured: str) -> dict[str, Voice]:
    """``fr=Polly.Lea:fr-FR,...`` over the defaults; a configured voice is the language's own."""
    found = dict(DEFAULT_VOICES)
    for item in configured.split(","):
        language, _sep, spec = item.strip().partition("=")
        name, _sep, code = spec.partition(":")
        if language and code:
            found[language.strip()] = Voice(name.strip() or None, code.strip())
    return found


def voice_for(language: str) -> Voice:
    voices = _voices(settings().voice.voices)
    voice = voices.get(language)
    if voice is None:  # a language without any voice: the nearest is English's
        return Voice(voices["en"].name, voices["en"].code, nearest=True)
    return voice


def recorded_prompt(language: str, name: str) -> str | None:
    """The address of the prompt's recording in ``language``, when one is installed."""
    path = Path(current_app.instance_path) / "voice" / language / f"{name}.mp3"
    if not path.is_file():
        return None
    base = settings().voice.prompts_url or settings().public_url + PROMPTS_PATH
    return f"{base}/{language}/{name}.mp3"


class Speech:
    """One TwiML answer being written, in the caller's language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.response = VoiceResponse()

    def __str__(self) -> str:
        return str(self.response)

    def text(self, name: str, language: str | None = None, **values: Any) -> str:
        with force_locale(language or self.language):
            text = str(PROMPTS[name])
            return text % values if values else text

    def prompt(
        self, name: str, into: Any = None, language: str | None = None, **values: Any
    ) -> None:
        """Play the prompt's recording, or speak its text (always, for one with values)."""
        language = language or self.language
        target = self.response if into is None else into
        recording = None if values else recorded_prompt(language, name)
        if recording is not None:
            target.play(recording)
            return
        self.say(self.text(name, language, **values), target, language)

    def say(self, text: str, into: Any = None, language: str | None = None) -> None:
        voice = voice_for(language or self.language)
        target = self.response if into is None else into
        if voice.name:
            target.say(text, voice=voice.name, language=voice.code)
        else:
            target.say(text, language=voice.code)

    def digits(self, number: str, into: Any = None) -> None:
        """A number read slowly, one digit at a time, a pause after each."""
        target = self.response if into is None else into
        for digit in number:
            self.say(digit, target)
            target.pause(length=1)

    def gather(self, turn: int, digits: int = 1) -> Gather:
        """Keys pressed go to the next step; silence too (with no digits: the prompt again)."""
        return self.response.gather(
            input="dtmf",
            num_digits=digits,
            timeout=GATHER_SECONDS if digits == 1 else GATHER_SECONDS * 2,
            action=step_url(turn),
            method="POST",
            action_on_empty_result=True,
        )

    def record(self, turn: int) -> None:
        """Record after a beep, up to three minutes, # to finish; silence comes back here."""
        self.response.record(
            action=step_url(turn),
            method="POST",
            finish_on_key="#",
            max_length=RECORD_SECONDS,
            play_beep=True,
            recording_status_callback=RECORDING_PATH,
            recording_status_callback_method="POST",
            recording_status_callback_event="completed",
        )
        self.response.redirect(step_url(turn), method="POST")

    def forward(self, number: str) -> None:
        self.response.dial(number)

    def hang_up(self) -> None:
        self.prompt("goodbye")
        self.response.hangup()


def step_url(turn: int) -> str:
    """The next step's address; the turn tells a retried request from a new one."""
    return f"{STEP_PATH}?turn={turn}"
