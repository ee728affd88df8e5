"""Every text a phone receives stays within its budget of SMS segments, and in GSM-7 in
English, French and Swahili, in every compiled catalogue, filled with realistic values.

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
from remedy.core.numbers import isolate_numbers
from remedy.messaging import sms_texts
from remedy.messaging.segments import GSM7_BASIC, GSM7_EXTENSION, is_gsm7, segments
from remedy.messaging.templates import DISCREET_BUDGET, TEMPLATES
from remedy.messaging.templates import SEGMENT_BUDGETS as TEMPLATE_BUDGETS
from remedy.models.grievance import Outcome
from remedy.sms.filing import QUESTION_TEXT, language_menu
from remedy.sms.keywords import Keyword, primary
from tests.support import test_overrides as settings_for

# Cheap checks of every catalogue: every language in local runs too.
pytestmark = pytest.mark.every_language

TEXT_BUDGETS = sms_texts.SEGMENT_BUDGETS
REFERENCE = "1234 5678"
MONTHS = [datetime(2026, month, 28, 12, tzinfo=UTC) for month in range(1, 13)]
# Values as staff type them and the directory holds them; long enough to be realistic.
VALUES = {
    "reason": "The harm happened outside the sites of the company",
    "referral": "Kenya National Commission on Human Rights (+254 20 3969000)",
    "question": "Where exactly is the new fence?",
    "organisation": "Verdeal Fresh Produce S.A.S.",
    "explanation": "The scoring software counted days without a badge scan as absences.",
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


def check(text: str, language: str, name: str, budget: int, gsm7: bool = True) -> None:
    info = segments(text)
    assert info.count <= budget, (
        f"{language} {name}: {info.count} segments ({info.encoding}, {info.units} units) "
        f"over its budget of {budget}: {text!r}"
    )
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
        shown = render(key, language, False, {**values, **VALUES, "date": month})
        check(shown, language, key, TEMPLATE_BUDGETS[key])


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_discreet_message_fits_in_every_language(texts_app: Flask, language: str) -> None:
    check(render("acknowledged", language, True, {}), language, "discreet", DISCREET_BUDGET)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_date_stays_in_the_alphabet_of_its_language(texts_app: Flask, language: str) -> None:
    for date in dates(language):
        check(f"Case {REFERENCE}: by {date}.", language, f"date {date}", 1)


def conversation_values(language: str) -> dict[str, str]:
    """Values as a phone reads them: in Arabic, numbers come isolated (LRI ... PDI)."""
    return isolate_numbers(
        {
            **_conversation_values(language),
            "contacts": "SMS +254 700 000 001, WhatsApp +254 700 000 002, "
            "Email help@remedy.example.org, P.O. Box 1234-00100 Nairobi",
        },
        language,
    )


def _conversation_values(language: str) -> dict[str, str]:
    return {
        "reference": REFERENCE,
        "pin": "123456",
        "code": "123456",
        # Organisations' names as the directory holds them: one, and a list of three.
        "organisation": "Friends of the River Association",
        # A directly linked organisation's business partner, as leverage actions name it.
        "partner": "Rift Valley Haulage Ltd",
        "choices": "1 Friends of the River, 2 Haki Watch, 3 Kituo cha Sheria",
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
        check(shown, language, name, TEXT_BUDGETS[name])
    again = {**QUESTION_TEXT, "resume_offer": sms_texts.RESUME_OFFER}
    for state, question in again.items():
        with force_locale(language):
            shown = f"{sms_texts.NOT_UNDERSTOOD} {question}"
        check(shown, language, f"again {state}", sms_texts.ASKED_AGAIN_BUDGET)
    with force_locale(language):
        check(str(NOT_FOUND_MESSAGE), language, "case not found", sms_texts.PROMPT)
        check(str(TooManyAttempts()), language, "too many attempts", sms_texts.PROMPT)


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
        check(text, language, name, TEXT_BUDGETS["status_outcome"])


def test_the_language_menu_fits(texts_app: Flask) -> None:
    """Each language's name in its own script makes it UCS-2; it must still fit."""
    menu, again = language_menu(), language_menu(again=True)
    for text in (menu, again):
        check(text, "ar", "language menu", TEXT_BUDGETS["language_menu"], gsm7=False)
    assert menu.splitlines()[1:] == [f"{n} {name}" for n, name in enumerate(LANGUAGES.values(), 1)]


def test_the_check_itself_catches_a_text_outside_gsm7() -> None:
    with pytest.raises(AssertionError, match="not GSM-7"):
        check("Votre réclamation est reçue.", "fr", "example", 1)
    with pytest.raises(AssertionError, match="over its budget"):
        check("x" * 161, "en", "example", 1)
    # One accent makes Spanish UCS-2: 70 characters a segment instead of 160.
    with pytest.raises(AssertionError, match="over its budget"):
        check(
            "Cuéntenos qué pasó. Puede enviar varios mensajes. Envíe 0 cuando termine.",
            "es",
            "x",
            1,
        )
    check(
        "Escriba lo ocurrido. Puede enviar varios mensajes. Mande 0 cuando termine.", "es", "x", 1
    )


def test_every_text_has_a_budget_of_one_to_three_segments() -> None:
    assert set(TEXT_BUDGETS) == set(sms_texts.CONVERSATION_TEXTS)
    assert set(TEMPLATE_BUDGETS) == set(TEMPLATES)
    budgets = [*TEXT_BUDGETS.values(), *TEMPLATE_BUDGETS.values(), DISCREET_BUDGET]
    assert set(budgets) <= {1, 2, 3}


def lazy_ids() -> list[str]:
    found = [text for text in sms_texts.CONVERSATION_TEXTS.values() if isinstance(text, LazyString)]
    return [text._args[0] for text in found]


def test_every_conversation_text_is_translatable() -> None:
    assert len(lazy_ids()) == len(sms_texts.CONVERSATION_TEXTS)
