"""Lessons learned and measures of non-repetition: administrators and supervisors write
them, handlers and auditors read them; each has root causes, an owner, a due date and a
status, optionally an organisation and the grievances that taught it. Bad input is a
clear error, and an open measure past its due date is marked overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import lessons
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.models import Lesson, LessonStatus
from remedy.models.types import utcnow
from tests.console.case_support import console_for, text_of, user_of
from tests.learning.support import admin, cause, events, post
from tests.workflows.scenarios import Scenario

NEW = "/console/lessons/new"
TEXT = "Pay slips list overtime hours; the payroll team checks them every month."


def form(scenario: Scenario, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "text": TEXT,
        "root_cause": [str(cause("wages").id)],
        "owner": str(user_of(scenario.supervisor).id),
        "due_on": "2031-03-31",
        "status": "planned",
        "organisation": str(scenario.company.id),
        "grievances": "",
    }
    return {**values, **changes}


def only_lesson() -> Lesson:
    return db.session.scalars(select(Lesson)).one()


def test_a_supervisor_records_and_updates_a_lesson(app: Flask, scenario: Scenario) -> None:
    taught = scenario.in_assessment()
    console = console_for(app, scenario.supervisor)
    page = text_of(console.client.get(NEW).get_data(as_text=True))
    assert "never about people" in page

    created = post(
        console.client,
        NEW,
        form(scenario, grievances=display(taught.reference)),
        "/console/lessons",
    )

    assert created.status_code == 302
    lesson = only_lesson()
    assert (lesson.text, lesson.due_on, lesson.status) == (
        TEXT,
        date(2031, 3, 31),
        LessonStatus.PLANNED,
    )
    assert lesson.root_causes == [cause("wages")]
    assert lesson.organisation_id == scenario.company.id
    assert lesson.grievances == [taught]
    (event,) = events("lesson.create")
    assert event.after is not None
    assert TEXT not in str(event.after)
    assert event.after["text_length"] == len(TEXT)

    path = f"/console/lessons/{lesson.id}"
    updated = post(
        console.client,
        path,
        form(
            scenario,
            status="in_progress",
            organisation="",
            root_cause=[str(cause("wages").id), str(cause("working_conditions").id)],
        ),
    )
    assert updated.status_code == 302
    db.session.refresh(lesson)
    assert lesson.status is LessonStatus.IN_PROGRESS
    assert lesson.organisation_id is None
    assert [item.key for item in lesson.root_causes] == ["wages", "working_conditions"]
    (change,) = events("lesson.update")
    assert change.before is not None
    assert change.before["status"] == "planned"
    listing = text_of(console.client.get("/console/lessons").get_data(as_text=True))
    assert "Wages and pay, Working conditions" in listing
    assert "In progress" in listing


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"due_on": "31/03/2031"}, "Write the date as year-month-day, such as 2027-03-31."),
        ({"due_on": "2031-02-30"}, "Write the date as year-month-day, such as 2027-03-31."),
        ({"due_on": ""}, "Give a due date, such as 2027-03-31."),
        ({"text": "  "}, "Say what was learned and what will change."),
        ({"root_cause": []}, "Choose at least one root cause."),
        ({"owner": ""}, "Choose who owns this measure."),
        ({"owner": "abc"}, "Choose one of the listed options."),
        ({"status": "finished"}, "Choose one of the listed options."),
        ({"grievances": "9999 9999"}, "No case has the reference 99999999."),
    ],
)
def test_bad_input_is_a_clear_error_and_saves_nothing(
    app: Flask, scenario: Scenario, changes: dict[str, object], field_error: str
) -> None:
    console = console_for(app, scenario.supervisor)
    answer = post(console.client, NEW, form(scenario, **changes), "/console/lessons")
    assert answer.status_code == 422
    assert field_error in text_of(answer.get_data(as_text=True))
    assert db.session.scalars(select(Lesson)).all() == []


def test_handlers_and_auditors_read_but_do_not_write(app: Flask, scenario: Scenario) -> None:
    lesson = lessons.create_lesson(
        admin(),
        lessons.LessonInput(
            TEXT, [cause("wages").id], user_of(scenario.handler).id, date(2031, 1, 1)
        ),
    )
    db.session.commit()
    for actor in (scenario.handler, scenario.auditor):
        console = console_for(app, actor)
        assert TEXT in console.client.get(f"/console/lessons/{lesson.id}").get_data(as_text=True)
        assert console.client.get(NEW).status_code == 403
        answer = post(
            console.client, "/console/lessons", form(scenario), f"/console/lessons/{lesson.id}"
        )
        assert answer.status_code == 403
        with pytest.raises(NotAllowed):
            lessons.update_lesson(actor, lesson, lessons.LessonInput("x", [1], None, None))
    company = console_for(app, scenario.company_handler)
    assert company.client.get("/console/lessons").status_code == 403


def test_an_open_measure_past_its_due_date_is_marked_overdue(
    app: Flask, scenario: Scenario
) -> None:
    today = utcnow().date()
    owner = user_of(scenario.supervisor).id
    late = lessons.create_lesson(
        scenario.supervisor,
        lessons.LessonInput("Late measure.", [cause("land").id], owner, today - timedelta(days=1)),
    )
    done = lessons.create_lesson(
        scenario.supervisor,
        lessons.LessonInput(
            "Finished measure.",
            [cause("land").id],
            owner,
            today - timedelta(days=1),
            LessonStatus.DONE,
        ),
    )
    lessons.create_lesson(
        scenario.supervisor,
        lessons.LessonInput(
            "Future measure.", [cause("land").id], owner, today + timedelta(days=9)
        ),
    )
    db.session.commit()
    console = console_for(app, scenario.handler)

    html = console.client.get("/console/lessons").get_data(as_text=True)

    rows = {part.split('"')[0]: part.split("</tr>")[0] for part in html.split('id="lesson-')[1:]}
    assert "Overdue" in rows[str(late.id)]
    assert "Overdue" not in rows[str(done.id)]
    assert sum("Overdue" in row for row in rows.values()) == 1
    # Open ones first, the soonest due first.
    assert [item.text for item in lessons.list_lessons(scenario.handler)] == [
        "Late measure.",
        "Future measure.",
        "Finished measure.",
    ]


def test_a_retired_cause_cannot_be_given_to_a_new_lesson(scenario: Scenario) -> None:
    from remedy.cases.root_causes import retire_root_cause

    retire_root_cause(admin(), cause("water"))
    with pytest.raises(InvalidInput):
        lessons.create_lesson(
            scenario.supervisor,
            lessons.LessonInput(
                TEXT, [cause("water").id], user_of(scenario.supervisor).id, date(2031, 1, 1)
            ),
        )
