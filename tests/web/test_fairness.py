"""Once the case is over, the case page (reference and PIN) asks how fair the way we
handled the complaint was: an open ask leading to a form of five radio buttons and an
optional comment, which works without any script; a wrong answer is said on the form,
never a server error."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.models import MechanismFeedback
from remedy.models.mechanism_feedback import FeedbackVia
from tests.fairness_support import answers_to_fairness
from tests.web.conftest import Case, WebVisitor
from tests.workflows.scenarios import Scenario

QUESTION = "How fair was the way we handled your complaint?"
RANGE = "Choose a number from 1 (not at all) to 5 (very)."


@pytest.fixture
def ended_case(scenario: Scenario, filed_case: Callable[..., Case]) -> Case:
    case = filed_case()
    intake.reject(scenario.handler, case.grievance, "Outside our operations.", scenario.court())
    db.session.commit()
    return case


def page(case: Case) -> str:
    return f"/case/{case.reference}/fairness"


def feedback(case: Case) -> list[MechanismFeedback]:
    return answers_to_fairness(case.grievance)


def test_the_case_page_shows_the_question_as_an_open_ask(
    visitor: WebVisitor, ended_case: Case
) -> None:
    visitor.open_case(ended_case.reference, ended_case.pin)

    html = visitor.get(f"/case/{ended_case.reference}").text

    assert "Waiting for your answer" in html
    assert f'href="{page(ended_case)}"' in html


def test_the_form_is_five_labelled_radio_buttons_and_a_comment_box(
    visitor: WebVisitor, ended_case: Case
) -> None:
    visitor.open_case(ended_case.reference, ended_case.pin)

    html = visitor.get(page(ended_case)).text

    assert QUESTION in html
    radios = re.findall(r'<input[^>]*type="radio"[^>]*>', html)
    assert sorted(re.search(r'value="(\d)"', radio)[1] for radio in radios) == list("12345")
    assert all('name="score"' in radio for radio in radios)
    assert html.count("<label for=") == 6  # five options and the comment
    assert re.search(r'<textarea[^>]*name="comment"', html)
    assert "<fieldset" in html
    assert "<legend>" in html
    assert "<script" not in html.split("<main", 1)[1]  # the form needs no script


def test_an_answer_with_a_comment_is_recorded_and_the_ask_goes(
    visitor: WebVisitor, ended_case: Case
) -> None:
    visitor.open_case(ended_case.reference, ended_case.pin)

    response = visitor.post(page(ended_case), {"score": "4", "comment": "They listened."})

    assert response.status_code == 302
    html = visitor.get(response.location).text
    assert "Thank you. Your answer helps us do better." in html
    assert f'href="{page(ended_case)}"' not in html
    (given,) = feedback(ended_case)
    assert (given.score, given.comment, given.via) == (4, "They listened.", FeedbackVia.WEB)
    assert given.person_id == ended_case.grievance.people[0].person_id
    assert visitor.get(page(ended_case)).status_code == 404  # answered: nothing waits


@pytest.mark.parametrize(
    "data",
    [{}, {"score": "9"}, {"score": "four"}, {"score": "3", "comment": "x" * 2001}],
    ids=["none", "out of range", "not a number", "comment too long"],
)
def test_a_wrong_answer_is_said_on_the_form_and_changes_nothing(
    visitor: WebVisitor, ended_case: Case, data: dict[str, str]
) -> None:
    visitor.open_case(ended_case.reference, ended_case.pin)

    response = visitor.post(page(ended_case), data)

    assert response.status_code == 400
    assert 'class="error"' in response.text
    assert RANGE in response.text or "2000" in response.text
    assert feedback(ended_case) == []


def test_not_asked_while_the_case_is_open(
    visitor: WebVisitor, filed_case: Callable[..., Case]
) -> None:
    case = filed_case()
    visitor.open_case(case.reference, case.pin)

    assert page(case) not in visitor.get(f"/case/{case.reference}").text
    assert visitor.get(page(case)).status_code == 404


def test_not_asked_when_the_case_was_withdrawn(
    visitor: WebVisitor, filed_case: Callable[..., Case], scenario: Scenario
) -> None:
    case = filed_case()
    intake.withdraw(scenario.complainant(case.grievance), case.grievance)
    db.session.commit()
    visitor.open_case(case.reference, case.pin)

    assert page(case) not in visitor.get(f"/case/{case.reference}").text
    assert visitor.get(page(case)).status_code == 404
