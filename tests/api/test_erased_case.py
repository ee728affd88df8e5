"""The API reads an erased case like any other: facts, and empty texts, never a 500."""

from __future__ import annotations

from remedy.cases import intake
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.identity.erasure import erase_case
from tests.api.conftest import Api
from tests.workflows.scenarios import Scenario


def test_an_erased_case_reads_as_facts_without_texts(handler_api: Api, scenario: Scenario) -> None:
    grievance = scenario.file(description="The fence blocks the well.")
    intake.withdraw(scenario.complainant(grievance), grievance)
    erase_case(OPERATOR, grievance, "request")
    db.session.commit()

    response = handler_api.get(f"/grievances/{grievance.reference}")
    messages = handler_api.get(f"/grievances/{grievance.reference}/messages")

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["state"], body["outcome"]) == ("withdrawn", "withdrawn")
    assert "The fence blocks the well." not in response.get_data(as_text=True)
    assert messages.status_code == 200
