"""Triage at screening on the case page: words suggest flags in the complaint's language,
a person confirms or dismisses them (never applied silently), a severe or urgent case
gets shorter deadlines, the supervisor page alerts until a senior reviewer is named."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import triage
from remedy.cases.intake import Severity
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.models import AuditEvent, Grievance
from remedy.models.grievance import Category, UrgencyFlag
from remedy.models.outbox_message import OutboxMessage
from remedy.workflows.deadlines import POLICIES
from tests.console.case_support import console_for, text_of
from tests.workflows.scenarios import Scenario

PATH = "/triage"
FRENCH = "Les gardes ont frappé mon fils de douze ans. Cela continue chaque jour."
SWAHILI = "Walinzi walimpiga mtoto wangu, bado wanatishia kila siku."
ARABIC = "الحراس ضربوا طفلي وما زال التهديد مستمراً."


def events(grievance: Grievance) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.subject_id == grievance.reference, AuditEvent.action == "grievance.triage"
    )
    return list(db.session.scalars(query))


@pytest.mark.parametrize(
    ("language", "words", "expected"),
    [
        ("fr", FRENCH, {UrgencyFlag.VIOLENCE, UrgencyFlag.CHILD, UrgencyFlag.ONGOING}),
        ("sw", SWAHILI, {UrgencyFlag.VIOLENCE, UrgencyFlag.CHILD, UrgencyFlag.ONGOING}),
        ("ar", ARABIC, {UrgencyFlag.VIOLENCE, UrgencyFlag.CHILD, UrgencyFlag.ONGOING}),
        (
            "es",
            "Golpearon a mi hija y sigue sangrando.",
            set(UrgencyFlag) - {UrgencyFlag.SEXUAL_VIOLENCE},
        ),
        ("fr", "Une violation du contrat de travail.", set()),  # "viol" only as a whole word
    ],
)
def test_words_suggest_flags_in_each_language(
    language: str, words: str, expected: set[UrgencyFlag]
) -> None:
    assert triage.words_suggest(words, language) == expected


def test_words_suggest_flags_for_a_person_to_confirm_on_the_page(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file(language="fr", description=FRENCH)
    console = console_for(app, scenario.handler)

    page = text_of(console.html(grievance))

    assert "Suggested: Violence, A child involved, Harm still going on. Confirm?" in page
    assert grievance.flags == ()  # nothing applied silently
    assert grievance.priority == 0
    assert events(grievance) == []


def test_a_handler_confirms_one_dismisses_the_rest_and_deadlines_shorten(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file(language="sw", description=SWAHILI)
    usual_due = grievance.due_at
    assert usual_due is not None
    console = console_for(app, scenario.handler)

    answer = console.post(
        grievance,
        PATH,
        {
            "flag": ["violence", "child"],
            "severity-scale": "4",
            "severity-scope": "1",
            "severity-irremediability": "3",
        },
    )

    assert answer.status_code == 302
    db.session.refresh(grievance)
    assert grievance.flags == (UrgencyFlag.VIOLENCE, UrgencyFlag.CHILD)
    assert (grievance.severity_scale, grievance.severity_irremediability) == (4, 3)
    # Screening within 3 days instead of 14, counted from when screening began.
    policy = POLICIES["default"]
    assert policy.deadline_for("screening", urgent=True) == timedelta(days=3)
    assert grievance.due_at == usual_due - timedelta(days=14) + timedelta(days=3)
    (event,) = events(grievance)
    assert event.after is not None
    assert event.after["confirmed"] == ["violence", "child"]
    assert event.after["dismissed"] == ["ongoing"]
    # The dismissed suggestion is not offered again.
    assert triage.suggested_flags(scenario.handler, grievance) == ()
    assert "Confirm?" not in text_of(console.html(grievance))


def test_the_category_suggests_a_flag_too(scenario: Scenario) -> None:
    grievance = scenario.file(category=Category.CHILDREN)
    assert UrgencyFlag.CHILD in triage.suggested_flags(scenario.supervisor, grievance)


def test_each_scale_is_explained_with_examples_in_the_persons_language(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file()
    console = console_for(app, scenario.handler)
    page = text_of(console.html(grievance))
    assert "How many people are or could be harmed. 1: one person." in page
    for language, words in (("fr", "Combien de personnes"), ("sw", "Watu wangapi")):
        shown = console.client.get(f"/console/grievances/{grievance.reference}?lang={language}")
        assert words in text_of(shown.get_data(as_text=True))


def test_an_organisations_staff_and_auditors_may_not_triage(scenario: Scenario) -> None:
    grievance = scenario.file()
    for actor in (scenario.auditor, scenario.company_handler):
        with pytest.raises(NotAllowed):
            triage.triage(actor, grievance, [UrgencyFlag.VIOLENCE], None)
    assert grievance.flags == ()


def test_the_supervisor_page_alerts_until_a_senior_reviewer_is_named(
    app: Flask, scenario: Scenario
) -> None:
    calm = scenario.file()
    urgent = scenario.file()
    triage.triage(scenario.handler, urgent, [UrgencyFlag.LIFE_OR_HEALTH], Severity(2, 2, 2))
    assign_handler(scenario, urgent)
    db.session.commit()
    # The handler on the case cannot review it; the other supervisor can.
    with pytest.raises(InvalidInput):
        triage.name_reviewer(scenario.supervisor, urgent, user_id(scenario.handler))
    console = console_for(app, scenario.supervisor)

    page = console.client.get("/console/supervisor").get_data(as_text=True)
    section = page.split('id="awaiting-reviewer"')[1].split("</section>")[0]
    assert urgent.reference in section
    # Each supervisor of the mechanism was told, once, in the console.
    told = db.session.scalars(
        select(OutboxMessage.user_id).where(
            OutboxMessage.grievance_id == urgent.id,
            OutboxMessage.template == "staff_senior_review",
        )
    ).all()
    assert set(told) == {user_id(scenario.supervisor), user_id(scenario.other_supervisor)}
    assert calm.reference not in section

    answer = console.post(
        urgent, "/reviewer", {"reviewer": str(user_id(scenario.other_supervisor))}
    )
    assert answer.status_code == 302
    db.session.refresh(urgent)
    assert urgent.reviewer_user_id == user_id(scenario.other_supervisor)
    assert "Senior reviewer:" in text_of(console.html(urgent))
    page = console.client.get("/console/supervisor").get_data(as_text=True)
    section = page.split('id="awaiting-reviewer"')[1].split("</section>")[0]
    assert urgent.reference not in section
    named = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "grievance.reviewer")
    ).one()
    assert named.after == {"reviewer_user_id": user_id(scenario.other_supervisor)}


def user_id(actor: object) -> int:
    return int(str(actor.id))  # type: ignore[attr-defined]


def assign_handler(scenario: Scenario, grievance: Grievance) -> None:
    from remedy.queue.assignment import assign

    assign(scenario.supervisor, grievance, user_id(scenario.handler))
