"""The phone wording of the workflow messages (how to answer by SMS) fits its budget and
stays in GSM-7 where the language allows, in every language, with realistic values: a
proposal or a check-in names its remedy actions, so it may take a few more segments."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from remedy.cases.notify import render
from remedy.core.config import LANGUAGES
from remedy.messaging.remedy_words import RemedyWords
from remedy.messaging.templates import PHONE_TEMPLATES, TEMPLATES
from remedy.messaging.templates import SEGMENT_BUDGETS as TEMPLATE_BUDGETS
from remedy.models import RemedyAction, RemedyType
from tests.sms.test_texts import MONTHS, REFERENCE, VALUES, check, longest_outcome, texts_app

__all__ = ["texts_app"]

# Cheap checks of every catalogue: every language in local runs too.
pytestmark = pytest.mark.every_language

# Segments a message may take: the proposal and the check-ins list the remedy.
BUDGET = {"remedy_proposed": 5, "check_in": 5, "follow_up": 5}
ACTIONS = (
    (RemedyType.CESSATION, "Remove the fence and open the path to the well again."),
    (RemedyType.COMPENSATION, "Pay for the two goats lost and the water bought in May."),
    (RemedyType.NON_REPETITION, "No fence without asking the village committee first."),
    (RemedyType.APOLOGY, "A public apology at the village meeting."),
)


def remedy(count: int) -> RemedyWords:
    return RemedyWords.of(
        RemedyAction(type=kind, description=text) for kind, text in ACTIONS[:count]
    )


def values(language: str, count: int) -> dict[str, Any]:
    return {
        "reference": REFERENCE,
        "outcome": longest_outcome(language),
        **VALUES,
        "remedy": remedy(count),
    }


@pytest.mark.parametrize("key", sorted(PHONE_TEMPLATES.keys() | {"check_in", "follow_up"}))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_phone_message_fits_in_every_language(
    texts_app: Flask, language: str, key: str
) -> None:
    assert key in TEMPLATES
    for count in (1, len(ACTIONS)):
        for month in MONTHS:
            body = render(
                key, language, False, {**values(language, count), "date": month}, phone=True
            )
            check(body, language, key, BUDGET.get(key, TEMPLATE_BUDGETS[key]))


def test_long_descriptions_are_cut_and_only_three_actions_listed(texts_app: Flask) -> None:
    long = RemedyAction(type=RemedyType.OTHER, description="word " * 40)
    with force_locale("en"):
        assert str(RemedyWords.of([long])).endswith("...")
        shown = str(remedy(4))
    assert shown.startswith("1) Stopping the harm: Remove the fence")
    assert "3) Steps so it does not happen again" in shown
    assert "Guarantee of non-repetition" not in shown  # the legal term is for the team
    assert "A public apology" not in shown
    assert shown.endswith("(+1)")
