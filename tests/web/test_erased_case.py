"""An erased case still opens with its reference and PIN: the person learns how it ended
and that its data was erased, and the page never fails on what is gone."""

from __future__ import annotations

from collections.abc import Callable

from remedy.cases import intake
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.identity.erasure import erase_case
from tests.web.conftest import DESCRIPTION, Case, WebVisitor
from tests.workflows.scenarios import Scenario


def test_an_erased_case_opens_without_its_texts(
    visitor: WebVisitor, filed_case: Callable[..., Case], scenario: Scenario
) -> None:
    case = filed_case()
    intake.withdraw(scenario.complainant(case.grievance), case.grievance)
    erase_case(OPERATOR, case.grievance, "request")
    db.session.commit()

    opened = visitor.open_case(case.reference, case.pin)
    assert opened.status_code == 302
    response = visitor.get(opened.location)

    assert response.status_code == 200
    assert "Your case was withdrawn." in response.text
    assert DESCRIPTION not in response.text
