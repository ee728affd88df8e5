"""The root-cause taxonomy: seeded on the first run with translated labels; administrators
add, rename and retire causes from the console (audited); nobody else may; a retired cause
is no longer offered and stays on the cases that carry it."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from remedy.cases import case_root_causes, root_causes
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.models.root_cause import SEEDED_LABELS
from tests.console.case_support import console_for, text_of
from tests.learning.support import admin, cause, events, post
from tests.workflows.scenarios import Scenario

PAGE = "/console/root-causes"


def test_the_first_run_seeds_seven_causes_with_translated_labels(app: Flask) -> None:
    keys = [item.key for item in root_causes.all_causes()]
    assert keys == list(SEEDED_LABELS)
    wages = cause("wages")
    assert wages.label is None  # the catalogue's label, in each language
    assert wages.label_in("en") == "Wages and pay"
    with force_locale("fr"):
        assert wages.label_in("fr") not in ("", "Wages and pay")


def test_an_administrator_adds_renames_and_retires_causes_from_the_console(
    app: Flask, scenario: Scenario
) -> None:
    console = console_for(app, admin())

    added = post(
        console.client, PAGE, {"label": "Grievance  handling itself", "label-fr": "Le traitement"}
    )
    assert added.status_code == 302
    new = cause("grievance_handling_itself")
    assert (new.label, new.translations) == ("Grievance handling itself", {"fr": "Le traitement"})
    assert "Le traitement" in text_of(console.client.get(PAGE + "?lang=fr").get_data(as_text=True))

    renamed = post(
        console.client,
        PAGE,
        {"label": "Wages, overtime and pay slips"},
        f"{PAGE}/{cause('wages').id}",
    )
    assert renamed.status_code == 302
    assert cause("wages").label_in("en") == "Wages, overtime and pay slips"

    retired = post(console.client, PAGE, {"retire": "yes"}, f"{PAGE}/{new.id}/retire")
    assert retired.status_code == 302
    db.session.refresh(new)
    assert new.is_retired
    assert new not in root_causes.offered_causes()
    assert [event.subject_id for event in events("root_cause.create")] == [str(new.id)]
    (rename,) = events("root_cause.rename")
    assert rename.before == {"label": None, "translations": {}}
    assert rename.after is not None
    assert rename.after["label"] == "Wages, overtime and pay slips"
    assert len(events("root_cause.retire")) == 1


def test_a_label_must_be_given_and_new(app: Flask) -> None:
    console = console_for(app, admin())
    empty = post(console.client, PAGE, {"label": "  "})
    assert empty.status_code == 422
    assert "A root cause needs a label" in text_of(empty.get_data(as_text=True))
    taken = post(console.client, PAGE, {"label": "wages and PAY"})
    assert taken.status_code == 422
    assert "A root cause with this label already exists." in text_of(taken.get_data(as_text=True))


def test_a_handler_supervisor_or_auditor_cannot_edit_the_taxonomy(
    app: Flask, scenario: Scenario
) -> None:
    for actor in (scenario.handler, scenario.supervisor, scenario.auditor):
        console = console_for(app, actor)
        assert console.client.get(PAGE).status_code == 403
        answer = post(console.client, "/console/lessons", {"label": "X"}, PAGE)
        assert answer.status_code == 403
        with pytest.raises(NotAllowed):
            root_causes.create_root_cause(actor, "Something")
    assert len(root_causes.all_causes()) == len(SEEDED_LABELS)


def test_a_retired_cause_stays_on_the_cases_that_carry_it(scenario: Scenario) -> None:
    water = cause("water")
    grievance = scenario.in_assessment()
    case_root_causes.set_root_causes(scenario.handler, grievance, [water.id])
    root_causes.retire_root_cause(admin(), water)

    assert case_root_causes.causes_of(grievance) == [water]
    # Saved again with it ticked, it stays; given to another case, it is refused.
    case_root_causes.set_root_causes(scenario.handler, grievance, [water.id, cause("land").id])
    assert water in case_root_causes.causes_of(grievance)
    other = scenario.in_assessment()
    with pytest.raises(InvalidInput):
        case_root_causes.set_root_causes(scenario.handler, other, [water.id])
