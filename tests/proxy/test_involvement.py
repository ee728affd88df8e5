"""The proxy portal names each organisation and how it is involved, in the member's
language, and a member whose mandate lets it answer proposals contests a classification
for the people."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from remedy.models import TrackKind
from remedy.workflows.definition import MandateScope
from tests.involvement import EXPLANATION, LANGUAGES, classify_two_ways, sentences
from tests.proxy.test_acting import act, fresh, page_of
from tests.workflows.scenarios import Scenario


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_case_page_names_each_organisation_and_its_involvement(
    portal: FlaskClient, scenario: Scenario, language: str
) -> None:
    grievance = scenario.file()
    scenario.mandate(grievance, (MandateScope.FOLLOW,))
    classify_two_ways(scenario, grievance, TrackKind.CONTRIBUTE)

    html = portal.get(f"{page_of(grievance)}?lang={language}").get_data(as_text=True)

    for sentence in sentences(scenario, TrackKind.CONTRIBUTE, language):
        assert str(escape(sentence)) in html
    assert str(escape(EXPLANATION)) in html
    assert "Staff notes" not in html
    assert "contest" not in html  # following only: no step for the people


def test_the_member_contests_a_classification_for_the_people(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = scenario.file()
    scenario.mandate(grievance)
    _company, partner = classify_two_ways(scenario, grievance)

    page = act(portal, grievance, f"/tracks/{partner.id}/contest", {"reason": "Their trucks."})

    assert "You contested how this organisation is involved, for the people." in page
    track = next(t for t in fresh(grievance).tracks if t.id == partner.id)
    assert track.state == "classification_contested"
    assert track.contest_reason == "Their trucks."
