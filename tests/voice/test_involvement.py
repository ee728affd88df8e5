""" "Hear about my case" names each organisation and how it is involved, after the PIN,
with the team's words for the people."""

from __future__ import annotations

from remedy.models import TrackKind
from tests.involvement import EXPLANATION, classify_two_ways, sentences
from tests.voice.conftest import Caller
from tests.voice.test_case import form, open_by_phone, status_words
from tests.workflows.scenarios import Scenario


def test_the_status_names_each_organisation_and_its_involvement(
    scenario: Scenario, caller: Caller
) -> None:
    grievance = scenario.file(**form(caller))
    classify_two_ways(scenario, grievance, TrackKind.CONTRIBUTE)

    open_by_phone(caller, grievance)

    heard = caller.heard()
    assert heard.startswith(status_words(grievance))
    company, partner = sentences(scenario, TrackKind.CONTRIBUTE, "en")
    assert f"{company} {EXPLANATION}" in heard
    assert partner in heard
    assert "Staff notes" not in heard
