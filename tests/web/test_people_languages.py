"""Each person reads the people's words in their own language: a French complainant and an
English neighbour on one case each get the remedy's description in theirs, by SMS and on
the web, and the decision's reason too; the staff rationale never reaches them, and a
language nobody wrote falls back to the text as first written."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale
from markupsafe import escape

from remedy.cases import people_texts, tracks
from remedy.cases.people_writing import decide_in_languages
from remedy.cases.referrals import get_mechanism
from remedy.core.extensions import db
from remedy.models import PeopleText, RemedyType
from remedy.models.remedy_action import PLAIN_REMEDY_TYPE_LABELS
from tests.people_languages import (
    ENGLISH,
    EXPLAINED,
    FIRST,
    FRENCH,
    RATIONALE,
    french_and_english,
)
from tests.web.conftest import WebVisitor
from tests.workflows.scenarios import Scenario


def test_each_person_gets_the_proposal_by_sms_in_their_own_language(scenario: Scenario) -> None:
    case = french_and_english(scenario)

    (french,) = case.told("remedy_proposed", "fr")
    (english,) = case.told("remedy_proposed", "en")

    assert FRENCH in french.body
    assert ENGLISH not in french.body
    assert ENGLISH in english.body
    assert FRENCH not in english.body
    # The team's first wording is not what either of them reads: both have their own.
    assert FIRST not in french.body + english.body


def test_a_language_nobody_wrote_gets_the_text_as_first_written(scenario: Scenario) -> None:
    case = french_and_english(scenario, texts={"en": ENGLISH})

    (french,) = case.told("remedy_proposed", "fr")
    (english,) = case.told("remedy_proposed", "en")

    assert "Remove the fence (contractor ticket 4471)." in french.body
    assert ENGLISH in english.body


def test_the_staff_rationale_never_reaches_the_people(scenario: Scenario) -> None:
    case = french_and_english(scenario)

    bodies = " ".join(
        message.body + (message.sms_body or "") for message in case.grievance_messages()
    )

    assert RATIONALE not in bodies
    for language, words in EXPLAINED.items():
        with force_locale(language):
            assert people_texts.explanation(case.track) == words


def test_the_web_page_shows_the_remedy_in_the_language_it_is_read_in(
    visitor: WebVisitor, scenario: Scenario
) -> None:
    case = french_and_english(scenario)
    visitor.open_case(case.grievance.reference, case.pin)
    page = f"/case/{case.grievance.reference}/proposal/{case.track.id}"

    french = visitor.get(f"{page}?lang=fr").text
    english = visitor.get(f"{page}?lang=en").text
    spanish = visitor.get(f"{page}?lang=es").text

    assert str(escape(FRENCH)) in french
    assert ENGLISH not in french
    assert ENGLISH in english
    assert str(escape(FRENCH)) not in english
    assert FIRST in spanish  # nobody wrote it in Spanish: as first written
    assert RATIONALE not in french + english + spanish


def test_the_case_page_explains_the_involvement_in_the_readers_language(
    visitor: WebVisitor, scenario: Scenario
) -> None:
    case = french_and_english(scenario, propose=False)
    visitor.open_case(case.grievance.reference, case.pin)

    french = visitor.get(f"/case/{case.grievance.reference}?lang=fr").text

    assert str(escape(EXPLAINED["fr"])) in french
    assert RATIONALE not in french


def test_a_decisions_reason_is_told_to_each_person_in_theirs(scenario: Scenario) -> None:
    case = french_and_english(scenario)
    tracks.decline_proposal(scenario.complainant(case.grievance), case.track, "Too little.")
    court = get_mechanism(scenario.court())
    reasons = {"fr": "Un tribunal peut mieux vous aider.", "en": "A court can help you better."}

    decide_in_languages(
        scenario.handler,
        case.track,
        reasons,
        lambda: tracks.refer(scenario.handler, case.track, court.id, "Court is competent."),
    )
    db.session.commit()

    (french,) = case.told("referred", "fr")
    (english,) = case.told("referred", "en")
    assert "Un tribunal peut mieux vous aider" in french.body
    assert "A court can help you better" in english.body
    assert "Court is competent" not in french.body + english.body
    kept = db.session.query(PeopleText).filter_by(grievance_id=case.grievance.id).all()
    assert {(row.field.value, row.language) for row in kept} >= {("reason", "fr"), ("reason", "en")}


@pytest.mark.parametrize("language", ["fr", "es", "sw", "ar"])
def test_every_remedy_type_has_plain_words_in_every_language(app: Flask, language: str) -> None:
    for kind in RemedyType:
        with force_locale("en"):
            english = str(PLAIN_REMEDY_TYPE_LABELS[kind])
        with force_locale(language):
            assert kind.plain_label != english, (kind, language)
