"""A whole case by SMS, in each language, as the phone sees it: the transcripts of docs/sms.md.

The person files by SMS, answers the team's question, accepts the proposed remedy,
answers a check-in ``3`` (and says what is missing), then ``1`` after the team delivered
again. Everything goes through the real path: signed webhooks, the inbox, the workflows
driven by the team's services, the outbox, and the fake Twilio API; the transcript is
what the fake API took for the phone, in order, with the team's steps between.

``tests/sms/test_transcripts.py`` runs this and compares it with docs/sms.md; run
``make docs-sms`` to write the document again after a change of wording.

The case number, PIN and dates of a run are random or today's: they are replaced by
fixed ones (``8548 7756``, ``123456`` and dates counted from 2 March 2026) so that the
document does not change from one run to the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import force_locale, format_date

from remedy.cases import intake, tracks
from remedy.core.references import display
from remedy.messaging.words import DONE_WORDS, KEYWORDS, NO_WORDS, YES_WORDS, Keyword
from remedy.messaging.words import GREETINGS as GREETING_WORDS
from remedy.models import Grievance, InvolvementTrack, RemedyType, TrackKind
from remedy.models.types import utcnow
from tests.sms.conftest import GREETINGS, PIN_AND_REFERENCE, Phone
from tests.workflows.scenarios import Scenario

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "sw": "Kiswahili",
    "ar": "العربية",
}
FIXED_REFERENCE = "8548 7756"
FIXED_PIN = "123456"
FIXED_TODAY = date(2026, 3, 2)


@dataclass(frozen=True)
class Words:
    """What the person and the team write, in one language."""

    story: str
    place: str
    question: str
    answer: str
    actions: tuple[tuple[RemedyType, str], ...]
    missing: str
    fix: str


WORDS: dict[str, Words] = {
    "en": Words(
        story="The new fence of the mine blocks the path to our well.",
        place="Kilifi, near the school",
        question="Since when is the path blocked, and how many families use the well?",
        answer="Since March. About 40 families use the well.",
        actions=(
            (RemedyType.CESSATION, "Open a gate in the fence on the path to the well."),
            (RemedyType.APOLOGY, "A public apology at the village meeting."),
        ),
        missing="The gate is locked at night.",
        fix="Keep the gate open day and night.",
    ),
    "fr": Words(
        story="La nouvelle clôture de la mine bloque le chemin de notre puits.",
        place="Kilifi, près de l'école",
        question=(
            "Depuis quand le chemin est-il bloqué, et combien de familles utilisent le puits ?"
        ),
        answer="Depuis mars. Environ 40 familles utilisent le puits.",
        actions=(
            (RemedyType.CESSATION, "Ouvrir une porte dans la clôture, sur le chemin du puits."),
            (RemedyType.APOLOGY, "Des excuses publiques à la réunion du village."),
        ),
        missing="La porte est fermée à clé la nuit.",
        fix="Laisser la porte ouverte jour et nuit.",
    ),
    "es": Words(
        story="La nueva cerca de la mina bloquea el camino a nuestro pozo.",
        place="Kilifi, cerca de la escuela",
        question="¿Desde cuándo está bloqueado el camino y cuántas familias usan el pozo?",
        answer="Desde marzo. Unas 40 familias usan el pozo.",
        actions=(
            (RemedyType.CESSATION, "Abrir una puerta en la cerca, en el camino al pozo."),
            (RemedyType.APOLOGY, "Una disculpa pública en la reunión del pueblo."),
        ),
        missing="La puerta está cerrada con llave por la noche.",
        fix="Dejar la puerta abierta de día y de noche.",
    ),
    "sw": Words(
        story="Uzio mpya wa mgodi unazuia njia ya kwenda kisimani kwetu.",
        place="Kilifi, karibu na shule",
        question="Njia imezuiwa tangu lini, na familia ngapi zinatumia kisima?",
        answer="Tangu Machi. Takriban familia 40 zinatumia kisima.",
        actions=(
            (RemedyType.CESSATION, "Kufungua lango kwenye uzio, kwenye njia ya kisima."),
            (RemedyType.APOLOGY, "Kuomba msamaha hadharani kwenye mkutano wa kijiji."),
        ),
        missing="Lango limefungwa kwa kufuli usiku.",
        fix="Kuacha lango wazi mchana na usiku.",
    ),
    "ar": Words(
        story="السياج الجديد للمنجم يغلق الطريق إلى بئرنا.",
        place="كيليفي، قرب المدرسة",
        question="منذ متى الطريق مغلق، وكم عائلة تستخدم البئر؟",
        answer="منذ مارس. حوالي 40 عائلة تستخدم البئر.",
        actions=(
            (RemedyType.CESSATION, "فتح بوابة في السياج على طريق البئر."),
            (RemedyType.APOLOGY, "اعتذار علني في اجتماع القرية."),
        ),
        missing="البوابة مقفلة في الليل.",
        fix="إبقاء البوابة مفتوحة ليلاً ونهاراً.",
    ),
}


@dataclass(frozen=True)
class Line:
    """One line of a transcript: the phone sent it, the phone received it, or the team did
    something (in English: the document's language)."""

    who: str  # "phone", "remedy" or "team"
    text: str


class Transcript:
    """Records a conversation: what the phone sends, receives, and the team's steps."""

    def __init__(self, phone: Phone) -> None:
        self.phone = phone
        self.lines: list[Line] = []
        self._seen = 0

    def collect(self) -> None:
        """What the fake Twilio API took for this phone since the last look."""
        received = self.phone.received()
        for text in received[self._seen :]:
            self.lines.append(Line("remedy", text))
        self._seen = len(received)

    def send(self, text: str) -> None:
        self.collect()
        self.lines.append(Line("phone", text))
        self.phone.send(text)
        self.collect()

    def team(self, what: str) -> None:
        self.lines.append(Line("team", what))
        self.collect()


def whole_case(scenario: Scenario, phone: Phone, language: str) -> list[Line]:
    """The case of the module docstring, by SMS in ``language``."""
    words = WORDS[language]
    transcript = Transcript(phone)
    for text in (GREETINGS[language], words.story, "0", words.place, "1", "2", "1"):
        transcript.send(text)
    (grievance,) = phone.grievances()
    pin = next(
        found.group(2)
        for line in transcript.lines
        if (found := PIN_AND_REFERENCE.search(line.text)) is not None
    )
    handler = scenario.handler

    intake.request_info(handler, grievance, words.question)
    transcript.team("The team asks a question.")
    transcript.send(words.answer)
    intake.accept(handler, grievance)
    transcript.team("The team accepts the case.")

    (track,) = intake.classify(
        handler,
        grievance,
        [intake.TrackPlan(scenario.company, TrackKind.CAUSE, "The fence is the mine's.")],
        intake.Severity(2, 2, 1),
    )
    transcript.team("The team finds that the company caused the harm.")
    plans = [tracks.RemedyActionPlan(kind, text) for kind, text in words.actions]
    tracks.propose_remedy(handler, track, plans)
    transcript.team("The team proposes a remedy of two actions.")
    transcript.send("1")

    _deliver(handler, track)
    transcript.team("The team reports both actions delivered.")
    transcript.send("3")
    transcript.send(words.missing)

    added = tracks.add_remedy_action(
        handler, track, tracks.RemedyActionPlan(RemedyType.CESSATION, words.fix)
    )
    _deliver(handler, track)
    assert added.is_delivered
    transcript.team("The team adds what was missing to the remedy, and delivers it.")
    transcript.send("1")
    return [_fixed(line, grievance, pin, language) for line in transcript.lines]


def _deliver(handler: object, track: InvolvementTrack) -> None:
    for action in track.remedy_actions:
        if action.is_active and not action.is_delivered:
            tracks.report_delivered(handler, action, "Seen on the spot.")  # type: ignore[arg-type]


# Fixed values, so the document stays the same from run to run ---------------------------


def _fixed(line: Line, grievance: Grievance, pin: str, language: str) -> Line:
    text = line.text.replace(display(grievance.reference), FIXED_REFERENCE)
    text = re.sub(rf"(?<!\d){pin}(?!\d)", FIXED_PIN, text)
    return Line(line.who, _fixed_dates(text, language))


def _fixed_dates(text: str, language: str) -> str:
    today = utcnow().date()
    shown: dict[str, str] = {}
    with force_locale(language):
        for offset in range(-5, 400):
            real, fixed = today + timedelta(days=offset), FIXED_TODAY + timedelta(days=offset)
            for form in ("medium", "short"):
                shown[str(format_date(_noon(real), form))] = str(format_date(_noon(fixed), form))
    found = sorted((d for d in shown if d in text), key=len, reverse=True)
    if not found:
        return text
    pattern = re.compile("(?<![\\w/.])(" + "|".join(map(re.escape, found)) + ")(?![\\w/])")
    return pattern.sub(lambda match: shown[match.group(1)], text)


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


# The document ---------------------------------------------------------------------------


def word_table() -> str:
    """The words people may type, from the one catalogue (``remedy.messaging.words``); the
    first of each cell is the one the messages tell people to send."""
    rows: list[tuple[str, dict[str, tuple[str, ...]]]] = [
        (keyword.name, KEYWORDS[keyword]) for keyword in Keyword
    ]
    rows += [("yes", YES_WORDS), ("no", NO_WORDS), ("done", DONE_WORDS), ("hello", GREETING_WORDS)]
    lines = [
        "| | " + " | ".join(f"`{code}`" for code in LANGUAGE_NAMES) + " |",
        "|---|" + "---|" * len(LANGUAGE_NAMES),
    ]
    for name, words in rows:
        cells = [", ".join(words.get(code, ())) for code in LANGUAGE_NAMES]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


WHO = {"phone": "📱", "remedy": "💬"}


def markdown(language: str, lines: list[Line]) -> str:
    """One language's transcript, as docs/sms.md shows it."""
    out = [f"### {LANGUAGE_NAMES[language]} (`{language}`)", ""]
    for line in lines:
        if line.who == "team":
            out.append(f"*{line.text}*")
        else:
            text = line.text.replace("\n", " ")
            out.append(f"{WHO[line.who]} {text}")
        out.append("")
    return "\n".join(out)
