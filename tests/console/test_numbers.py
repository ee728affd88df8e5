"""The console in Arabic: the case's reference and the people's phone numbers read left to
right, isolated from the right-to-left page."""

from __future__ import annotations

from flask import Flask

from tests.console.case_support import console_for
from tests.workflows.scenarios import Scenario


def test_the_arabic_case_page_isolates_the_reference_and_phone_numbers(
    app: Flask, scenario: Scenario
) -> None:
    handler = console_for(app, scenario.handler)
    grievance = scenario.file(people=2)
    handler.client.get("/?lang=ar")

    html = handler.html(grievance)

    assert 'dir="rtl"' in html
    shown = f"{grievance.reference[:4]} {grievance.reference[4:]}"
    assert f'<bdi dir="ltr" class="ltr">{shown}</bdi>' in html
    assert '<bdi dir="ltr" class="ltr">+254700010000</bdi>' in html
