"""Words that suggest an urgency flag, per language: a list a translator keeps.

Why a data module and not the catalogues: a translator adds words people really use
(slang, spellings, the local word for a clinic), as many as they like, without a msgid
to match. Each entry is a word stem or a phrase, written in lower case; accents and
Arabic vowel marks are ignored when matching (see ``remedy.cases.triage``), so write
them either way. A stem matches the start of a word ("beat" finds "beaten"); a phrase
of several words matches as written. In Arabic and Swahili, whose words take prefixes
("wa-li-m-piga", "وال"), an entry matches anywhere inside a word.

What the words find is only ever a suggestion a person confirms or dismisses.
"""

from __future__ import annotations

from collections.abc import Mapping

from remedy.models.grievance import UrgencyFlag

V = UrgencyFlag.VIOLENCE
SV = UrgencyFlag.SEXUAL_VIOLENCE
C = UrgencyFlag.CHILD
L = UrgencyFlag.LIFE_OR_HEALTH
O = UrgencyFlag.ONGOING  # noqa: E741

ENGLISH: Mapping[UrgencyFlag, tuple[str, ...]] = {
    V: ("beat", "hit", "attack", "assault", "shot", "stabb", "threaten", "tortur", "violen"),
    SV: ("rape", "raping", "sexual", "molest", "grop"),
    C: ("child", "girl", "boy", "minor", "underage", "son", "daughter", "pupil", "infant"),
    L: ("hospital", "injur", "dying", "died", "dead", "death", "kill", "poison", "sick", "bleed"),
    O: ("still", "every day", "continu", "ongoing", "again and again", "keeps", "right now"),
}

FRENCH: Mapping[UrgencyFlag, tuple[str, ...]] = {
    V: ("frapp", "battu", "agress", "attaqu", "menac", "tortur", "violen", "coups"),
    SV: ("viol ", "viols ", "violee", "viole ", "violer", "sexuel", "attouchement"),
    C: ("enfant", "fille", "garcon", "mineur", "fils", "eleve", "bebe"),
    L: ("hopital", "bless", "mort", "mourir", "deces", "tue", "empoisonn", "malade", "saign"),
    O: ("toujours", "encore", "chaque jour", "continu", "en cours", "sans arret"),
}

SPANISH: Mapping[UrgencyFlag, tuple[str, ...]] = {
    V: ("golpe", "golpea", "pega", "agred", "atac", "amenaz", "tortur", "violen"),
    SV: ("violac", "violad", "sexual", "abuso", "acoso", "manose"),
    C: ("nino", "nina", "menor", "hijo", "hija", "bebe", "alumn"),
    L: ("hospital", "herid", "muert", "murio", "morir", "mata", "envenen", "enferm", "sangr"),
    O: ("todavia", "sigue", "cada dia", "continu", "aun ", "otra vez", "ahora mismo"),
}

SWAHILI: Mapping[UrgencyFlag, tuple[str, ...]] = {
    V: ("piga", "pigw", "shambul", "vurugu", "tishi", "tisho", "mateso"),
    SV: ("baka", "bakw", "ngono", "unyanyasaji wa kijinsia"),
    C: ("mtoto", "watoto", "msichana", "mvulana", "mwanafunzi"),
    L: ("hospitali", "jeruhi", "jeraha", "kufa", "kifo", "sumu", "mgonjwa", "damu"),
    O: ("bado", "kila siku", "kuendelea", "inaendelea", "mpaka sasa"),
}

ARABIC: Mapping[UrgencyFlag, tuple[str, ...]] = {
    V: ("ضرب", "اعتداء", "اعتدى", "هجوم", "تهديد", "هددو", "تعذيب", "عنف"),
    SV: ("اغتصاب", "اغتصب", "تحرش", "جنسي"),
    C: ("طفل", "أطفال", "اطفال", "طفلة", "قاصر", "ابني", "ابنتي", "تلميذ"),
    L: ("مستشفى", "جرح", "إصابة", "اصابة", "موت", "مات", "وفاة", "قتل", "تسمم", "مريض", "نزيف"),
    O: ("ما زال", "لا يزال", "مازال", "كل يوم", "مستمر", "حتى الآن", "حتى الان"),
}

WORDS: Mapping[str, Mapping[UrgencyFlag, tuple[str, ...]]] = {
    "en": ENGLISH,
    "fr": FRENCH,
    "es": SPANISH,
    "sw": SWAHILI,
    "ar": ARABIC,
}
