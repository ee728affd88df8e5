"""Recognising the words people type on a phone, in the five shipped languages.

The catalogue itself (keywords, greetings, yes, no and done words) is
:mod:`remedy.messaging.words`. Every language has natural words for HELP, STATUS,
STOP, START, LANG and APPEAL, and the English ones always work too. Matching
forgives what phones and people do to words: any case, accents or none
(``ARRÊT`` = ``ARRET``), Arabic letter variants and diacritics, punctuation
around the word, Arabic-Indic or full-width digits. HELP, STOP and START count
only as the whole message (so "stop" inside a story stops nothing, as with
Twilio's own opt-out words); STATUS, LANG and APPEAL lead a message and take
what follows.

A greeting in a known language ("HABARI", "BONJOUR", "HOLA", "مرحبا") as the
first message of a conversation chooses that language and skips the menu.
"""

from __future__ import annotations

from dataclasses import dataclass

from remedy.messaging.words import (
    DONE_WORDS,
    GREETINGS,
    KEYWORDS,
    LANGUAGE_NAMES,
    LANGUAGE_ORDER,
    NO_WORDS,
    YES_WORDS,
    Keyword,
    fold,
    primary,
)

__all__ = [
    "KEYWORDS",
    "Command",
    "Keyword",
    "choice",
    "digits",
    "done",
    "fold",
    "greeting_language",
    "is_status",
    "language_choice",
    "parse_command",
    "primary",
    "yes_no",
]

_KEYWORD_INDEX: dict[str, tuple[Keyword, str]] = {}
for _keyword, _by_language in KEYWORDS.items():
    for _language in LANGUAGE_ORDER:
        for _word in _by_language[_language]:
            _KEYWORD_INDEX.setdefault(fold(_word), (_keyword, _language))
_GREETING_INDEX = {
    fold(word): language for language in LANGUAGE_ORDER for word in GREETINGS[language]
}
_LANGUAGE_INDEX = {
    fold(word): language for language in LANGUAGE_ORDER for word in LANGUAGE_NAMES[language]
}
_WHOLE_MESSAGE = frozenset({Keyword.HELP, Keyword.STOP, Keyword.START})


@dataclass(frozen=True)
class Command:
    keyword: Keyword
    # The language of the word used: a reply's language when nothing better is known.
    language: str
    # What follows STATUS or LANG, folded.
    argument: str = ""


def parse_command(text: str) -> Command | None:
    """The keyword this message is, or None when it is something else."""
    folded = fold(text)
    if not folded:
        return None
    whole = _KEYWORD_INDEX.get(folded)
    if whole is not None:
        return Command(*whole)
    first, _, rest = folded.partition(" ")
    leading = _KEYWORD_INDEX.get(first)
    if leading is not None and leading[0] not in _WHOLE_MESSAGE:
        return Command(leading[0], leading[1], rest)
    return None


def greeting_language(text: str) -> str | None:
    """The language of a greeting that is the whole message, else None."""
    return _GREETING_INDEX.get(fold(text))


def choice(text: str, count: int) -> int | None:
    """A menu answer from 1 to ``count`` ("2", "٢", " 2. "), else None."""
    folded = fold(text)
    if folded.isdigit() and folded.isascii() and 1 <= int(folded) <= count:
        return int(folded)
    return None


def _folded(words: dict[str, tuple[str, ...]]) -> frozenset[str]:
    return frozenset(fold(word) for language in LANGUAGE_ORDER for word in words[language])


_YES, _NO, _DONE = _folded(YES_WORDS), _folded(NO_WORDS), _folded(DONE_WORDS)


def yes_no(text: str) -> bool | None:
    """The answer to a "1 yes, 2 no" question, else None."""
    picked = choice(text, 2)
    if picked is not None:
        return picked == 1
    folded = fold(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    return None


def done(text: str) -> bool:
    """The end of a story: 0, or a done word ("fini", "nimemaliza")."""
    folded = fold(text)
    return folded == "0" or folded in _DONE


def is_status(text: str) -> bool:
    """A reference and PIN sent without a keyword ("8548 7756 123456"): a STATUS request."""
    folded = fold(text)
    return len(digits(text)) == 14 and all(part.isdigit() for part in folded.split())


def language_choice(text: str, languages: list[str]) -> str | None:
    """A language from the menu by number, code, name or greeting, else None."""
    picked = choice(text, len(languages))
    if picked is not None:
        return languages[picked - 1]
    folded = fold(text)
    found = _LANGUAGE_INDEX.get(folded) or _GREETING_INDEX.get(folded)
    return found if found in languages else None


def digits(text: str) -> str:
    """Only the digits of ``text``, as ASCII: a reference and PIN typed any way."""
    return "".join(char for char in fold(text) if char.isascii() and char.isdigit())
