"""Every text a phone receives fits three SMS segments, and stays in GSM-7 in English,
French and Swahili, in every compiled catalogue, filled with realistic values.

Covered: the conversation's texts (``remedy.messaging.sms_texts``), the workflow
messages (``TEMPLATES``) and the discreet one, the STATUS answer for every state a case
can be in, and the case-access answers a phone can get. Spanish (accents outside
GSM-7) and Arabic are sent as UCS-2 and only have to fit; the language menu names every
language in its own script, so it is UCS-2 by nature and only has to fit too. Dates are
tried in every month: French "août" is not GSM-7 and must not slip into a message.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import LazyString, force_locale

from remedy import create_app
from remedy.access.case_access import NOT_FOUND_MESSAGE, TooManyAttempts
from remedy.cases.notify import render
from remedy.cases.status import IN_REMEDY, INTAKE_WORDING, TRACK_WORDING
from remedy.core.config import LANGUAGES
from remedy.messaging import sms_texts
from remedy.messaging.segments import GSM7_BASIC, GSM7_EXTENSION, is_gsm7, segments
from remedy.messaging.templates import TEMPLATES
from remedy.models.grievance import Outcome
from remedy.sms.filing import QUESTION_TEXT, language_menu
from remedy.sms.keywords import Keyword, primary
from tests.support import test_overrides as settings_for

MAX_SEGMENTS = 3
REFERENCE = "1234 5678"
MONTHS = [datetime(2026, month, 28, 12, tzinfo=UTC) for month in range(1, 13)]
# Values as staff type them and the directory holds them; long enough to be realistic.
VALUES = {
    "reason": "The harm happened outside the sites of the company",
    "referral": "Kenya National Commission on Human Rights (+254 20 3969000)",
    "question": "Where exactly is the new fence?",
}


@pytest.fixture(scope="module")
def texts_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app for its catalogues only: no database is opened."""
    folder = tmp_path_factory.mktemp("texts")
    app = create_app(settings_for(f"sqlite:///{Path(folder) / 'unused.db'}", folder))
    with app.app_context():
        yield app


def outside_gsm7(text: str) -> set[str]:
    return {char for char in text if char not in GSM7_BASIC and char not in GSM7_EXTENSION}


def check(
    text: str, language: str, name: str, gsm7: bool = True, max_segments: int = MAX_SEGMENTS
) -> None:
    info = segments(text)
    assert info.count <= max_segments, f"{language} {name}: {info.count} segments: {text!r}"
    if gsm7 and language in sms_texts.GSM7_LANGUAGES:
        assert is_gsm7(text), f"{language} {name}: not GSM-7 {outside_gsm7(text)}: {text!r}"


def longest_outcome(language: str) -> str:
    with force_locale(language):
        return max((str(outcome.label) for outcome in Outcome), key=len)


def dates(language: str) -> list[str]:
    with force_locale(language):
        return [sms_texts.phone_date(moment, language) for moment in MONTHS]


@pytest.mark.parametrize("key", sorted(TEMPLATES))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_workflow_message_fits_in_every_language(
    texts_app: Flask, language: str, key: str
) -> None:
    values: dict[str, Any] = {"reference": REFERENCE, "outcome": longest_outcome(language)}
    for month in MONTHS:
        check(render(key, language, False, {**values, **VALUES, "date": month}), language, key)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_discreet_message_fits_in_every_language(texts_app: Flask, language: str) -> None:
    check(render("acknowledged", language, True, {}), language, "discreet")


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_date_stays_in_the_alphabet_of_its_language(texts_app: Flask, language: str) -> None:
    for date in dates(language):
        check(f"Case {REFERENCE}: by {date}.", language, f"date {date}")


def conversation_values(language: str) -> dict[str, str]:
    return {
        "reference": REFERENCE,
        "pin": "123456",
        **{keyword.value: primary(keyword, language) for keyword in Keyword},
    }


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_conversation_text_fits_in_every_language(texts_app: Flask, language: str) -> None:
    values = conversation_values(language)
    skipped = {"status", "status_due", "status_outcome", "language_menu"}
    for name, text in sms_texts.CONVERSATION_TEXTS.items():
        if name in skipped:
            continue
        with force_locale(language):
            shown = str(text) % values if "%(" in text._args[0] else str(text)
        check(shown, language, name)
    for state, question in QUESTION_TEXT.items():
        with force_locale(language):
            check(f"{sms_texts.NOT_UNDERSTOOD} {question}", language, f"again {state}")
    with force_locale(language):
        check(str(NOT_FOUND_MESSAGE), language, "case not found")
        check(str(TooManyAttempts()), language, "too many attempts")


def status_texts(language: str) -> Iterator[tuple[str, str]]:
    wordings = [*INTAKE_WORDING.items(), *TRACK_WORDING.items(), ("in_remedy", IN_REMEDY)]
    with force_locale(language):
        for state, wording in wordings:
            now, following = str(wording.now), str(wording.next)
            base = {"reference": REFERENCE, "now": now, "next": following}
            yield state, str(sms_texts.STATUS) % base
            for date in dates(language):
                yield f"{state} due", str(sms_texts.STATUS_DUE) % {**base, "date": date}
            for outcome in Outcome:
                yield (
                    f"{state} {outcome}",
                    str(sms_texts.STATUS_OUTCOME) % {**base, "outcome": outcome.label},
                )


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_status_answer_fits_in_every_language(texts_app: Flask, language: str) -> None:
    for name, text in status_texts(language):
        check(text, language, name)


def test_the_language_menu_fits(texts_app: Flask) -> None:
    """Each language's name in its own script makes it UCS-2; it must still fit."""
    menu, again = language_menu(), language_menu(again=True)
    for text in (menu, again):
        check(text, "ar", "language menu", gsm7=False)
    assert menu.splitlines()[1:] == [f"{n} {name}" for n, name in enumerate(LANGUAGES.values(), 1)]


def test_the_check_itself_catches_a_text_outside_gsm7() -> None:
    with pytest.raises(AssertionError, match="not GSM-7"):
        check("Votre réclamation est reçue.", "fr", "example")
    with pytest.raises(AssertionError, match="segments"):
        check("x" * 460, "en", "example")
    check("Recibimos su queja. Gracias por la información.", "es", "example")


def lazy_ids() -> list[str]:
    found = [text for text in sms_texts.CONVERSATION_TEXTS.values() if isinstance(text, LazyString)]
    return [text._args[0] for text in found]


def test_every_conversation_text_is_translatable() -> None:
    assert len(lazy_ids()) == len(sms_texts.CONVERSATION_TEXTS)
