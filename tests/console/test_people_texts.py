"""The console asks for the people's words in each language the case's people read,
names what is still missing ("Missing in: Français"), and takes a translation later,
audited; only the team handling a track writes them."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from remedy.cases import people_texts, tracks
from remedy.cases.people_writing import write_text
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.models import AuditEvent, TextField, TrackKind
from tests.console.case_support import Console, console_for, text_of
from tests.people_languages import ENGLISH, FIRST, FRENCH, TwoLanguages, french_and_english
from tests.workflows.scenarios import Scenario


@pytest.fixture
def handler(app: Flask, scenario: Scenario) -> Console:
    return console_for(app, scenario.handler)


def test_the_proposal_form_asks_for_each_language_of_the_cases_people(
    handler: Console, scenario: Scenario
) -> None:
    case = french_and_english(scenario, propose=False)

    html = handler.html(case.grievance)

    assert 'name="action-0-description-fr"' in html
    assert 'name="action-0-description-en"' in html
    assert 'name="action-0-description-es"' not in html  # nobody on the case reads Spanish
    assert "For the people, in Français" in html
    assert "For the people, in English" in html


def test_a_proposal_from_the_console_reaches_each_person_in_their_language(
    handler: Console, scenario: Scenario
) -> None:
    case = french_and_english(scenario, propose=False)
    row = {
        "action-0-type": "restitution",
        "action-0-owner": "this_organisation",
        "action-0-description": FIRST,
        "action-0-description-fr": FRENCH,
        "action-0-description-en": ENGLISH,
    }

    response = handler.post(case.grievance, f"/tracks/{case.track.id}/triggers/propose_remedy", row)

    assert response.status_code == 302, response.get_data(as_text=True)
    (french,) = case.told("remedy_proposed", "fr")
    (english,) = case.told("remedy_proposed", "en")
    assert FRENCH in french.body
    assert ENGLISH in english.body
    assert "Missing in:" not in text_of(handler.html(case.grievance))


def test_the_case_page_names_the_languages_still_missing(
    handler: Console, scenario: Scenario
) -> None:
    case = french_and_english(scenario, texts={"en": ENGLISH})

    page = text_of(handler.html(case.grievance))

    assert "Missing in: Français" in page
    assert "Missing in: English" not in page
    assert "Write it in Français" in page


def test_a_translation_added_later_is_read_from_then_on_and_audited(
    handler: Console, scenario: Scenario
) -> None:
    case = french_and_english(scenario, texts={"en": ENGLISH})
    (action,) = case.track.remedy_actions
    form = {"subject": "remedy_action", "subject_id": str(action.id), "language": "fr"}

    response = handler.post(
        case.grievance, f"/tracks/{case.track.id}/people-texts", {**form, "text": FRENCH}
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Missing in: Français" not in text_of(handler.html(case.grievance))
    assert people_texts.description(action, "fr") == FRENCH
    assert people_texts.description(action, "en") == ENGLISH
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "people_text.write")
        .order_by(AuditEvent.seq.desc())
    ).first()
    assert event is not None
    assert event.subject_id == str(case.track.id)
    assert FRENCH not in str(event.after)  # the words stay out of the audit log
    with force_locale("en"):
        assert "Words for the people written in their language" in text_of(
            handler.html(case.grievance)
        )


@pytest.mark.parametrize(
    ("language", "text"), [("xx", FRENCH), ("fr", ""), ("fr", "a\x00b"), ("fr", "x" * 5001)]
)
def test_a_bad_translation_is_refused_clearly(
    handler: Console, scenario: Scenario, language: str, text: str
) -> None:
    case = french_and_english(scenario, texts={"en": ENGLISH})
    (action,) = case.track.remedy_actions
    form = {"subject": "remedy_action", "subject_id": str(action.id), "language": language}

    response = handler.post(
        case.grievance, f"/tracks/{case.track.id}/people-texts", {**form, "text": text}
    )

    assert response.status_code in (400, 422)  # a clear refusal, never a 500
    assert people_texts.description(action, "fr") == FIRST


def test_a_decisions_reason_is_asked_in_each_language_and_told_in_each(
    handler: Console, scenario: Scenario
) -> None:
    case = french_and_english(scenario)
    tracks.decline_proposal(scenario.complainant(case.grievance), case.track, "Too little.")
    db.session.commit()
    assert 'name="reason-fr"' in handler.html(case.grievance)

    response = handler.post(
        case.grievance,
        f"/tracks/{case.track.id}/triggers/refer",
        {
            "reason": "Court is competent.",
            "reason-fr": "Un tribunal peut mieux vous aider.",
            "reason-en": "A court can help you better.",
            "referral": str(scenario.court()),
        },
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    (french,) = case.told("referred", "fr")
    (english,) = case.told("referred", "en")
    assert "Un tribunal peut mieux vous aider" in french.body
    assert "A court can help you better" in english.body


# Who may write them ----------------------------------------------------------------------


def _writer(scenario: Scenario, case: TwoLanguages, who: str) -> Actor:
    if who == "complainant":
        return scenario.complainant(case.grievance)
    return getattr(scenario, who)


@pytest.mark.parametrize("who", ["handler", "supervisor", "company_handler"])
def test_the_team_handling_the_track_writes_the_peoples_words(scenario: Scenario, who: str) -> None:
    case = french_and_english(scenario, texts={"en": ENGLISH})

    write_text(_writer(scenario, case, who), case.track, TextField.EXPLANATION, "fr", "Parce que.")

    with force_locale("fr"):
        assert people_texts.explanation(case.track) == "Parce que."


@pytest.mark.parametrize("who", ["partner_handler", "proxy", "auditor", "complainant"])
def test_nobody_else_writes_the_peoples_words(scenario: Scenario, who: str) -> None:
    case = french_and_english(scenario, texts={"en": ENGLISH})
    (action,) = case.track.remedy_actions

    with pytest.raises(NotAllowed):
        write_text(_writer(scenario, case, who), action, TextField.DESCRIPTION, "fr", FRENCH)


def test_a_remedy_action_has_no_explanation_to_translate(scenario: Scenario) -> None:
    case = french_and_english(scenario)
    (action,) = case.track.remedy_actions

    with pytest.raises(InvalidInput):
        write_text(scenario.handler, action, TextField.EXPLANATION, "fr", FRENCH)


def test_a_new_explanation_takes_the_old_ones_translations_with_it(scenario: Scenario) -> None:
    """A French person never reads the old explanation once the team wrote a new one."""
    case = french_and_english(scenario)
    new = {"en": "The company helped build the fence."}

    tracks.reclassify(
        scenario.handler, case.track, TrackKind.CONTRIBUTE, "New facts.", "It helped.", new
    )
    db.session.commit()

    with force_locale("fr"):
        assert people_texts.explanation(case.track) == "It helped."
    with force_locale("en"):
        assert people_texts.explanation(case.track) == new["en"]
    assert [m.languages for m in people_texts.missing(case.grievance)] == [("fr",)]
