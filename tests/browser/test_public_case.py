"""Checking a case in a real browser without JavaScript, and confirming that a remedy
was delivered."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails
from remedy.models.grievance import Outcome
from remedy.models.involvement_track import TrackKind
from tests.support import file_grievance
from tests.workflows.scenarios import Scenario


def open_my_case(page: Page, reference: str, pin: str) -> None:
    page.goto("/")
    page.locator('main a[href="/case"]').click()
    page.get_by_label("Case number").fill(f"{reference[:4]} {reference[4:]}")
    page.get_by_label("PIN", exact=True).fill(pin)
    page.get_by_role("button", name="Open my case").click()
    page.wait_for_url(f"**/case/{reference}")


def test_a_person_checks_their_case_and_confirms_the_remedy_arrived(
    page: Page, scenario: Scenario, tmp_path: Path
) -> None:
    submitted = file_grievance(complainant=PersonDetails("Amina", "+254712000003", "en"))
    grievance, pin = submitted.grievance, submitted.pin
    intake.accept(scenario.handler, grievance)
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "We built the fence.")
    (track,) = intake.classify(scenario.handler, grievance, [plan], intake.Severity(2, 2, 1))
    scenario.verify(track)
    db.session.commit()

    open_my_case(page, grievance.reference, pin)
    assert "We are asking if the remedy arrived." in page.locator(".status").inner_text()
    page.screenshot(path=tmp_path / "case-verifying.png", full_page=True)
    page.get_by_role("link", name="Did the remedy reach you? Answer").click()
    assert "Remove the fence." in page.locator(".remedy-actions").inner_text()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_url(f"**/case/{grievance.reference}")

    assert "Thank you for your answer." in page.locator(".flash").inner_text()
    assert "Your case is closed." in page.locator(".status").inner_text()
    assert "Result: remedied." in page.locator(".status").inner_text()
    db.session.expire_all()
    assert track.state == "remedied"
    assert grievance.state == "resolved"
    assert grievance.outcome is Outcome.REMEDIED
    page.screenshot(path=tmp_path / "case-remedied.png", full_page=True)


def test_a_wrong_pin_is_explained_next_to_the_pin(page: Page) -> None:
    submitted = file_grievance()
    wrong = "000000" if submitted.pin != "000000" else "111111"

    page.goto("/case")
    page.get_by_label("Case number").fill(submitted.grievance.reference)
    page.get_by_label("PIN", exact=True).fill(wrong)
    page.get_by_role("button", name="Open my case").click()

    pin = page.get_by_label("PIN", exact=True)
    assert pin.get_attribute("aria-invalid") == "true"
    assert "We found no case" in page.locator("#pin-error").inner_text()
    assert page.locator(".error-summary a").get_attribute("href") == "#pin"
