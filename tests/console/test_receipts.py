"""A team member checks a paper receipt someone brings, in the console: a real filing
says so with its day and a link to the case; anything else says it is not verified."""

from __future__ import annotations

from flask import Flask

from remedy.core.references import display
from remedy.filing.receipts import receipt_for
from tests.console.case_support import console_for, text_of
from tests.workflows.scenarios import Scenario

PAGE = "/console/receipts"


def test_a_real_receipt_is_verified_with_its_day_and_a_link(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file()
    code = receipt_for(grievance).code
    team = console_for(app, scenario.handler)

    # As someone reads it off the paper: with spaces, in lower case.
    answer = team.client.get(
        PAGE, query_string={"reference": display(grievance.reference), "code": code.lower()}
    )

    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert f"Verified: case {display(grievance.reference)} was filed on" in text_of(html)
    assert f'href="/console/grievances/{grievance.reference}"' in html


def test_a_wrong_code_or_another_cases_code_is_not_verified(app: Flask, scenario: Scenario) -> None:
    first, second = scenario.file(), scenario.file()
    team = console_for(app, scenario.handler)

    for reference, code in (
        (first.reference, receipt_for(second).code),
        (first.reference, "AAAA-BBBB-CCCC"),
        ("1234", receipt_for(first).code),
    ):
        answer = team.client.get(PAGE, query_string={"reference": reference, "code": code})
        assert answer.status_code == 200
        assert "Not verified" in text_of(answer.get_data(as_text=True)), reference
        assert "/console/grievances/" not in answer.get_data(as_text=True)


def test_an_empty_form_says_what_is_missing(app: Flask, scenario: Scenario) -> None:
    team = console_for(app, scenario.handler)

    answer = team.client.get(PAGE, query_string={"reference": "", "code": ""})

    text = text_of(answer.get_data(as_text=True))
    assert "Type the case number printed on the receipt." in text
    assert "Type the verification code printed on the receipt." in text
    assert "Verified" not in text


def test_an_organisations_staff_may_not_check_receipts(app: Flask, scenario: Scenario) -> None:
    """It would tell them that a case exists, and when it was filed."""
    company = console_for(app, scenario.company_handler)

    assert company.client.get(PAGE).status_code == 403
    assert "Check a receipt" not in company.client.get("/console/").get_data(as_text=True)
    assert "Not verified" not in console_for(app, scenario.auditor).client.get(PAGE).text
    assert "Check a receipt" in console_for(app, scenario.handler).client.get("/console/").get_data(
        as_text=True
    )
