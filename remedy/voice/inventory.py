"""What a call will sound like in each language: which prompts are recorded, which are
spoken, and by which voice.

The operator installs recordings one file a prompt (``instance/voice/<lang>/<name>.mp3``);
a call plays the file when it is there (:func:`remedy.voice.speech.recorded_prompt`) and
speaks the text otherwise. A language the provider has no voice for (Swahili at Twilio)
is read by the nearest voice it has, so its prompts should be recorded: this says which
are still missing, for ``flask voice prompts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale

from remedy.core.settings import settings
from remedy.voice.prompts import PROMPTS
from remedy.voice.speech import PROMPTS_PATH, Voice, voice_for


@dataclass(frozen=True)
class PromptCopy:
    """One prompt in one language: its words, and the file that would replace them."""

    name: str
    language: str
    text: str
    path: Path  # where its recording is installed
    address: str  # where Twilio fetches the recording from
    recorded: bool
    spoken_only: bool  # carries a value (a digit, a name): no recording could say it

    @property
    def missing(self) -> bool:
        """Lacks a recording it could have."""
        return not self.recorded and not self.spoken_only


@dataclass(frozen=True)
class LanguageVoice:
    """A language's voice at the provider, or the nearest one standing in for it."""

    language: str
    name: str  # the language's own name
    voice: Voice
    own: bool  # False: the provider has no voice of this language

    @property
    def fallback(self) -> str:
        """What a call does for a prompt not recorded, in words for the operator."""
        said_by = f"{self.voice.name or 'the default voice'} ({self.voice.code})"
        if self.own:
            return f"spoken by {said_by}"
        return f"recorded prompts play; the others are read by the nearest voice, {said_by}"


def prompts_folder(language: str) -> Path:
    return Path(current_app.instance_path) / "voice" / language


def language_voices() -> list[LanguageVoice]:
    found = []
    for language, name in settings().languages.items():
        voice = voice_for(language)
        found.append(LanguageVoice(language, name, voice, own=not voice.nearest))
    return found


def prompt_copies(language: str) -> list[PromptCopy]:
    """Every prompt in ``language``, in the order of :data:`PROMPTS`."""
    base = settings().voice.prompts_url or settings().public_url + PROMPTS_PATH
    folder = prompts_folder(language)
    copies = []
    with force_locale(language):
        for name, text in PROMPTS.items():
            path = folder / f"{name}.mp3"
            words = str(text)
            copies.append(
                PromptCopy(
                    name=name,
                    language=language,
                    text=words,
                    path=path,
                    address=f"{base}/{language}/{name}.mp3",
                    recorded=path.is_file(),
                    spoken_only="%(" in words,
                )
            )
    return copies
