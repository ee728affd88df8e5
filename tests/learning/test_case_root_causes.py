"""A grievance's root causes: set at assessment from the case page, and when the case
closes the page asks to confirm or change them; the confirmation records who and when.
Every change is audited; only the mechanism's handlers and supervisors set them."""

from __future__ import annotations

import pytest
from flask import Flask

from remedy.cases import case_root_causes
from remedy.core.errors import NotAllowed
from remedy.core.extensions import db
from tests.console.case_support import console_for, text_of, user_of
from tests.learning.support import cause, events
from tests.workflows.scenarios import Scenario

PATH = "/root-causes"


def test_a_handler_sets_the_root_causes_at_assessment(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.in_assessment()
    console = console_for(app, scenario.handler)
    assert "Set the root causes" in text_of(console.html(grievance))

    wages, land = cause("wages"), cause("land")
    answer = console.post(grievance, PATH, {"root_cause": [str(wages.id), str(land.id)]})

    assert answer.status_code == 302
    assert case_root_causes.causes_of(grievance) == [wages, land]
    assert case_root_causes.confirmation_of(grievance) is None
    (event,) = events("grievance.root_causes")
    assert event.subject_id == grievance.reference
    assert event.after == {
        "root_causes": ["wages", "land"],
        "added": ["wages", "land"],
        "removed": [],
    }
    page = text_of(console.html(grievance))
    assert "Wages and pay" in page
    assert "Land acquisition or use" in page


def test_not_before_assessment_and_not_by_others(app: Flask, scenario: Scenario) -> None:
    screening = scenario.file()
    assessed = scenario.in_assessment()
    wages = cause("wages")
    with pytest.raises(NotAllowed):
        case_root_causes.set_root_causes(scenario.handler, screening, [wages.id])
    for actor in (scenario.auditor, scenario.company_handler):
        with pytest.raises(NotAllowed):
            case_root_causes.set_root_causes(actor, assessed, [wages.id])
    console = console_for(app, scenario.handler)
    assert not console.offers(screening, PATH)
    answer = console.post(screening, PATH, {"root_cause": [str(wages.id)]})
    assert answer.status_code == 403
    assert case_root_causes.causes_of(screening) == []


def test_an_unknown_cause_is_a_clear_error(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.in_assessment()
    console = console_for(app, scenario.handler)
    for value in ("999999", "water"):
        answer = console.post(grievance, PATH, {"root_cause": [value]})
        assert answer.status_code == 422
        assert "Choose one of the listed root causes." in text_of(answer.get_data(as_text=True))


def test_closing_asks_to_confirm_or_change_and_records_who_and_when(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.to_grievance_state("in_remedy")
    case_root_causes.set_root_causes(scenario.handler, grievance, [cause("wages").id])
    (track,) = grievance.tracks
    scenario.remedied(track)
    db.session.refresh(grievance)
    assert grievance.state == "resolved"
    console = console_for(app, scenario.supervisor)
    page = text_of(console.html(grievance))
    assert "This case is closed: confirm or change its root causes." in page

    empty = console.post(grievance, PATH, {})
    assert empty.status_code == 422
    assert "Choose at least one root cause to confirm." in text_of(empty.get_data(as_text=True))
    working = cause("working_conditions")
    answer = console.post(grievance, PATH, {"root_cause": [str(working.id)]})

    assert answer.status_code == 302
    assert case_root_causes.causes_of(grievance) == [working]
    confirmation = case_root_causes.confirmation_of(grievance)
    assert confirmation is not None
    assert confirmation.confirmed_by_user_id == user_of(scenario.supervisor).id
    assert confirmation.confirmed_at is not None
    (event,) = events("grievance.root_causes_confirm")
    assert event.before == {"root_causes": ["wages"]}
    assert event.after == {
        "root_causes": ["working_conditions"],
        "added": ["working_conditions"],
        "removed": ["wages"],
    }
    page = text_of(console.html(grievance))
    assert "confirm or change its root causes" not in page
    assert "Confirmed at closing by" in page


def test_a_case_closed_without_involvement_asks_too(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.to_grievance_state("no_involvement")
    assert case_root_causes.awaits_confirmation(grievance)
    console = console_for(app, scenario.handler)
    answer = console.post(grievance, PATH, {"root_cause": [str(cause("land").id)]})
    assert answer.status_code == 302
    assert not case_root_causes.awaits_confirmation(grievance)
