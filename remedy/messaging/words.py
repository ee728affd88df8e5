"""The words people type on a phone, in the five shipped languages: one catalogue.

Keywords (HELP, STATUS, STOP, START, LANG, APPEAL, WITHDRAW, CONTEST, EXPLAIN), greetings,
yes, no and done words, language names, and :func:`fold`, the comparable form of a message. The SMS
channel (:mod:`remedy.sms.keywords`) matches messages against them; the messages of
the workflow steps (:mod:`remedy.cases.notify`) name them in the reader's language
("send RECOURS", "reply NON"). The first word of each language is the one the texts
tell people to send; the English words always work too.
"""

from __future__ import annotations

import enum
import unicodedata

from remedy.core.numbers import ascii_digit

LANGUAGE_ORDER = ("en", "fr", "es", "sw", "ar")


class Keyword(enum.StrEnum):
    HELP = "help"
    STATUS = "status"
    STOP = "stop"
    START = "start"
    LANG = "lang"
    APPEAL = "appeal"
    WITHDRAW = "withdraw"
    CONTEST = "contest"
    EXPLAIN = "explain"


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
    # Appeal a decision; the reason follows, in the same message or the next one.
    Keyword.APPEAL: {
        "en": ("APPEAL",),
        "fr": ("RECOURS", "APPEL", "FAIRE APPEL"),
        "es": ("APELAR", "APELACION", "RECURSO"),
        "sw": ("RUFANI", "KATA RUFANI"),
        "ar": ("استئناف", "استئناف القرار"),
    },
    # Withdraw an organisation's mandate: reference and PIN follow, like STATUS.
    Keyword.WITHDRAW: {
        "en": ("WITHDRAW", "REVOKE"),
        "fr": ("RETIRER", "REVOQUER"),
        "es": ("RETIRAR", "REVOCAR"),
        "sw": ("ONDOA",),
        "ar": ("سحب", "اسحب"),
    },
    # Contest how an organisation is involved; the reason follows in the same message.
    Keyword.CONTEST: {
        "en": ("CONTEST", "DISAGREE"),
        "fr": ("CONTESTER", "CONTESTE"),
        "es": ("IMPUGNAR", "IMPUGNO"),
        "sw": ("PINGA", "PINGAMIZI"),
        "ar": ("اعتراض", "أعترض"),
    },
    # Ask why an automated decision was made; what to explain may follow.
    Keyword.EXPLAIN: {
        "en": ("EXPLAIN", "EXPLANATION"),
        "fr": ("EXPLIQUER", "EXPLICATION"),
        "es": ("EXPLICAR", "EXPLICACION"),
        "sw": ("ELEZA", "MAELEZO"),
        "ar": ("اشرح", "تفسير"),
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
            kept.append(ascii_digit(char))
        elif category[0] in "LN":
            kept.append(char)
        else:
            kept.append(" ")
    return " ".join("".join(kept).translate(_ARABIC_LETTERS).split())


# People answer "1 yes, 2 no" with the word too. The first of each language is the one the
# texts tell people to send.
YES_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("YES", "Y", "YEP", "YEAH", "OK", "ACCEPT", "I ACCEPT"),
    "fr": ("OUI", "OUAIS", "D'ACCORD", "J'ACCEPTE", "ACCEPTE"),
    "es": ("SÍ", "SI", "VALE", "ACEPTO", "DE ACUERDO"),
    "sw": ("NDIYO", "NDIO", "SAWA", "NAKUBALI", "KUBALI"),
    "ar": ("نعم", "أجل", "موافق", "أقبل"),
}
NO_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("NO", "N", "NOPE", "DECLINE", "I DECLINE", "NOT SOLVED"),
    "fr": ("NON", "JE REFUSE", "REFUSE", "PAS RÉGLÉ"),
    "es": ("NO", "RECHAZO", "NO ACEPTO"),
    "sw": ("HAPANA", "SIKUBALI", "KATAA"),
    "ar": ("لا", "كلا", "أرفض", "لا أقبل"),
}
# The end of a story, like 0 in the filing conversation.
DONE_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("DONE", "FINISHED", "THAT'S ALL", "THE END", "END OF STORY"),
    "fr": ("FINI", "TERMINÉ", "C'EST TOUT", "FIN"),
    "es": ("LISTO", "TERMINÉ", "ESO ES TODO", "YA ESTÁ"),
    "sw": ("NIMEMALIZA", "TAYARI", "MWISHO", "BASI"),
    "ar": ("انتهيت", "خلاص", "تم", "انتهى"),
}


def primary(keyword: Keyword, language: str) -> str:
    """The word the texts in ``language`` tell people to send."""
    return KEYWORDS[keyword].get(language, KEYWORDS[keyword]["en"])[0]


def first_word(words: dict[str, tuple[str, ...]], language: str) -> str:
    """The yes, no or done word the texts in ``language`` name."""
    return words.get(language, words["en"])[0]
