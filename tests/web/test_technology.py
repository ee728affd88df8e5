"""Technology harms on the public pages: after a technology category the person is asked
whether they use the product and for an account, post or report number (and only then);
on a case about an automated decision they may ask why it was made, and read the team's
explanation on their case page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models import Category, Grievance, OutboxMessage
from remedy.models.grievance import TECHNOLOGY_CATEGORIES
from tests.console.case_support import console_for
from tests.web.conftest import ANSWERS, STEPS, Case, WebVisitor, in_remedy
from tests.web.test_case import opened
from tests.workflows.scenarios import Scenario

FiledCase = Callable[..., Case]
WHY = "The team read the scoring rules: days without a badge scan counted as absences."


def filed(reference: str) -> Grievance:
    grievance = db.session.scalar(select(Grievance).where(Grievance.reference == reference))
    assert grievance is not None
    return grievance


@pytest.mark.parametrize("category", [category.value for category in TECHNOLOGY_CATEGORIES])
def test_a_technology_category_asks_whether_the_person_uses_it(
    visitor: WebVisitor, category: str
) -> None:
    visitor.answer("what")

    chosen = visitor.answer("category", {"category": category})

    assert chosen.location.endswith("/file/technology")
    page = visitor.get("/file/technology").get_data(as_text=True)
    assert "Question 3 of 10" in page
    answered = visitor.answer(
        "technology", {"product_user": "no", "external_reference": "post 88121"}
    )
    assert answered.location.endswith("/file/where")
    for step in STEPS[2:]:
        assert visitor.answer(step).status_code == 302
    review = visitor.get("/file/review").get_data(as_text=True)
    assert "No, it affects me but I do not use it" in review
    assert "post 88121" in review
    sent = visitor.post("/file/review")
    assert sent.location.endswith("/file/done")
    (grievance,) = db.session.scalars(select(Grievance))
    assert (grievance.category, grievance.product_user) == (category, "no")
    assert grievance.external_reference == "post 88121"


def test_another_category_skips_the_question(visitor: WebVisitor) -> None:
    visitor.answer("what")

    chosen = visitor.answer("category", ANSWERS["category"])

    assert chosen.location.endswith("/file/where")
    assert visitor.get("/file/technology").status_code == 404
    assert "Question 2 of 9" in visitor.get("/file/category").get_data(as_text=True)


def test_a_category_changed_from_the_review_asks_the_new_question_first(
    visitor: WebVisitor,
) -> None:
    for step in STEPS:
        visitor.answer(step)

    changed = visitor.post(
        "/file/category?from=review", {"category": "privacy"}, page="/file/category?from=review"
    )

    assert changed.location.endswith("/file/technology?from=review")
    answered = visitor.post(
        "/file/technology?from=review",
        {"product_user": "unknown", "external_reference": ""},
        page="/file/technology?from=review",
    )
    assert answered.location.endswith("/file/review")


def test_an_external_reference_too_long_is_refused(visitor: WebVisitor) -> None:
    visitor.answer("what")
    visitor.answer("category", {"category": "online_content"})

    refused = visitor.answer("technology", {"product_user": "yes", "external_reference": "x" * 201})

    assert refused.status_code == 400
    assert "field-error" in refused.get_data(as_text=True)


def test_the_person_asks_why_and_reads_the_team_s_explanation(
    app: Flask, visitor: WebVisitor, filed_case: FiledCase, scenario: Scenario
) -> None:
    case = filed_case(category=Category.AUTOMATED_DECISION)
    track = in_remedy(scenario, case.grievance)
    page = opened(visitor, case)
    assert f"/case/{case.reference}/explain/{track.id}" in page

    asked = visitor.post(
        f"/case/{case.reference}/explain/{track.id}",
        {"question": "Why was I scored absent?"},
    )

    assert asked.status_code == 302, asked.get_data(as_text=True)
    db.session.expire_all()
    assert track.state == "explanation_requested"
    assert track.explanation_question == "Why was I scored absent?"
    after = visitor.get(asked.location).get_data(as_text=True)
    assert "You asked why the automated decision was made." in after
    assert f"/explain/{track.id}" not in after  # asked once, until explained

    console = console_for(app, scenario.handler)
    given = console.post(
        case.grievance,
        f"/tracks/{track.id}/triggers/give_explanation",
        {"explanation": WHY},
    )

    assert given.status_code == 302, given.get_data(as_text=True)
    db.session.expire_all()
    assert track.state == "planning"
    assert str(escape(WHY)) in visitor.get(f"/case/{case.reference}").get_data(as_text=True)
    to_phone = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == case.grievance.id,
            OutboxMessage.template == "explanation_given",
        )
    ).all()
    assert to_phone
    assert all(WHY in message.body for message in to_phone)


def test_no_explanation_is_offered_when_no_automated_decision_is_at_stake(
    visitor: WebVisitor, filed_case: FiledCase, scenario: Scenario
) -> None:
    case = filed_case(category=Category.LAND)
    track = in_remedy(scenario, case.grievance)

    page = opened(visitor, case)

    assert "/explain/" not in page
    assert visitor.get(f"/case/{case.reference}/explain/{track.id}").status_code == 404
