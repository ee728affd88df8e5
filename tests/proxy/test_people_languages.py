"""A proxy acting for people of several languages reads the remedy in the page's language
and sees what each of them was told, each language named; never the staff rationale."""

from __future__ import annotations

from flask.testing import FlaskClient
from markupsafe import escape

from remedy.core.extensions import db
from remedy.workflows.definition import MandateScope
from tests.people_languages import ENGLISH, FIRST, FRENCH, RATIONALE, french_and_english
from tests.proxy.test_acting import page_of
from tests.workflows.scenarios import Scenario


def test_the_proposal_names_what_each_persons_language_reads(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = french_and_english(scenario)
    scenario.mandate(case.grievance, (MandateScope.FOLLOW, MandateScope.ANSWER_PROPOSALS))
    db.session.commit()

    french = portal.get(f"{page_of(case.grievance)}?lang=fr").get_data(as_text=True)
    english = portal.get(f"{page_of(case.grievance)}?lang=en").get_data(as_text=True)

    assert f"<bdi>{escape(FRENCH)}</bdi>" in french.split("told-in")[0]
    assert f"<bdi>{ENGLISH}</bdi>" in english.split("told-in")[0]
    # Each person's version, named by their language.
    told = english.split('class="told-in', 1)[1].split("</ul>", 1)[0]
    assert f"In Français: <bdi>{escape(FRENCH)}</bdi>" in told
    assert f"In English: <bdi>{ENGLISH}</bdi>" in told
    for page in (french, english):
        assert str(escape(FRENCH)) in page
        assert ENGLISH in page
        assert FIRST not in page
        assert RATIONALE not in page


def test_a_missing_language_shows_the_text_as_first_written(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = french_and_english(scenario, texts={"en": ENGLISH})
    scenario.mandate(case.grievance, (MandateScope.FOLLOW, MandateScope.ANSWER_PROPOSALS))
    db.session.commit()

    french = portal.get(f"{page_of(case.grievance)}?lang=fr").get_data(as_text=True)

    assert f"<bdi>{escape(FIRST)}</bdi>" in french
