"""Keywords people type on a phone, in the five shipped languages.

Every language has natural words for HELP, STATUS, STOP, START and LANG, and
the English ones always work too. Matching forgives what phones and people do
to words: any case, accents or none (``ARRÊT`` = ``ARRET``), Arabic letter
variants and diacritics, punctuation around the word, Arabic-Indic or
full-width digits. HELP, STOP and START count only as the whole message (so
"stop" inside a story stops nothing, as with Twilio's own opt-out words);
STATUS and LANG lead a message and take what follows.

A greeting in a known language ("HABARI", "BONJOUR", "HOLA", "مرحبا") as the
first message of a conversation chooses that language and skips the menu.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass

LANGUAGE_ORDER = ("en", "fr", "es", "sw", "ar")


class Keyword(enum.StrEnum):
    HELP = "help"
    STATUS = "status"
    STOP = "stop"
    START = "start"
    LANG = "lang"


# The first word of each language is the one the texts tell people to send.
KEYWORDS: dict[Keyword, dict[str, tuple[str, ...]]] = {
    Keyword.HELP: {
        "en": ("HELP", "INFO"),
        "fr": ("AIDE",),
        "es": ("AYUDA",),
        "sw": ("MSAADA", "SAIDIA"),
        "ar": ("مساعدة",),
    },
    Keyword.STATUS: {
        "en": ("STATUS",),
        "fr": ("STATUT", "ÉTAT"),
        "es": ("ESTADO",),
        "sw": ("HALI",),
        "ar": ("حالة",),
    },
    # The English ones are Twilio's own opt-out words, which Twilio acts on as well.
    Keyword.STOP: {
        "en": ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"),
        "fr": ("ARRET", "ARRETER"),
        "es": ("BAJA", "PARAR"),
        "sw": ("SITISHA", "ACHA"),
        "ar": ("توقف", "إيقاف"),
    },
    Keyword.START: {
        "en": ("START", "UNSTOP"),
        "fr": ("REPRENDRE",),
        "es": ("ALTA",),
        "sw": ("ANZA",),
        "ar": ("ابدأ",),
    },
    Keyword.LANG: {
        "en": ("LANG", "LANGUAGE"),
        "fr": ("LANGUE",),
        "es": ("IDIOMA",),
        "sw": ("LUGHA",),
        "ar": ("لغة",),
    },
}

GREETINGS: dict[str, tuple[str, ...]] = {
    "en": ("HELLO", "HI", "GOOD MORNING", "GOOD EVENING"),
    "fr": ("BONJOUR", "SALUT", "BONSOIR"),
    "es": ("HOLA", "BUENOS DIAS", "BUENAS TARDES", "BUENAS"),
    "sw": ("HABARI", "JAMBO", "HUJAMBO", "HABARI YAKO", "SHIKAMOO"),
    "ar": ("مرحبا", "أهلا", "السلام عليكم", "سلام"),
}

# A language may also be chosen by its code or its name, in itself or in English.
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("EN", "ENGLISH", "ANGLAIS", "INGLES", "KIINGEREZA"),
    "fr": ("FR", "FRANCAIS", "FRENCH", "FRANCES", "KIFARANSA"),
    "es": ("ES", "ESPANOL", "SPANISH", "ESPAGNOL", "KIHISPANIA"),
    "sw": ("SW", "KISWAHILI", "SWAHILI"),
    "ar": ("AR", "العربية", "عربي", "ARABIC", "ARABE", "KIARABU"),
}

_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_TATWEEL = "\u0640"


def fold(text: str) -> str:
    """The comparable form of a message: case, accents, letter variants, digits and
    punctuation all folded away, words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" or char == _TATWEEL:
            continue  # accents, Arabic diacritics, elongation
        if category == "Nd":
            kept.append(str(unicodedata.digit(char)))
        elif category[0] in "LN":
            kept.append(char)
        else:
            kept.append(" ")
    return " ".join("".join(kept).translate(_ARABIC_LETTERS).split())


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


def primary(keyword: Keyword, language: str) -> str:
    """The word the texts in ``language`` tell people to send."""
    return KEYWORDS[keyword].get(language, KEYWORDS[keyword]["en"])[0]


def greeting_language(text: str) -> str | None:
    """The language of a greeting that is the whole message, else None."""
    return _GREETING_INDEX.get(fold(text))


def choice(text: str, count: int) -> int | None:
    """A menu answer from 1 to ``count`` ("2", "٢", " 2. "), else None."""
    folded = fold(text)
    if folded.isdigit() and folded.isascii() and 1 <= int(folded) <= count:
        return int(folded)
    return None


# People answer "1 yes, 2 no" with the word too.
YES_WORDS = frozenset(
    fold(word) for word in ("YES", "Y", "OUI", "SÍ", "SI", "NDIYO", "NDIO", "نعم")
)
NO_WORDS = frozenset(fold(word) for word in ("NO", "N", "NON", "HAPANA", "لا"))


def yes_no(text: str) -> bool | None:
    """The answer to a "1 yes, 2 no" question, else None."""
    picked = choice(text, 2)
    if picked is not None:
        return picked == 1
    folded = fold(text)
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    return None


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
