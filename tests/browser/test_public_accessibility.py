"""axe-core finds no accessibility violation on any public page, in any language, in any
state worth seeing (errors shown, a proposal waiting, a question asked), and every
link and button on them is big enough for a finger."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page
from sqlalchemy import select

from remedy.cases import intake
from remedy.core.config import LANGUAGES
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.outbox_message import OutboxMessage
from tests.browser.axe import axe_violations
from tests.browser.test_public_pages import small_touch_targets
from tests.support import file_grievance
from tests.workflows.scenarios import Scenario

PHONE = "+254712000004"
Check = Callable[[str], None]


def submit(page: Page, button: Locator | None = None) -> None:
    """Send the form and wait for the page that answers it.

    A click only waits for the navigation to start; a check run straight after it could
    meet a page still loading (no links yet) or the page the form was on.
    """
    with page.expect_navigation():
        (button or page.locator("main form.form button[type=submit]").first).click()


def case_with_pin(scenario: Scenario, language: str) -> tuple[Grievance, str]:
    submitted = file_grievance(
        language=language,
        complainant=PersonDetails("Amina", PHONE, language),
        contact_consent=True,
    )
    return submitted.grievance, submitted.pin


def in_remedy(scenario: Scenario, grievance: Grievance) -> InvolvementTrack:
    intake.accept(scenario.handler, grievance)
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "We built the fence.")
    (track,) = intake.classify(scenario.handler, grievance, [plan], intake.Severity(2, 2, 1))
    db.session.commit()
    return track


def open_case(page: Page, grievance: Grievance, pin: str, path: str = "/case") -> None:
    page.goto(path)
    page.locator("#reference").fill(grievance.reference)
    page.locator("#pin").fill(pin)
    submit(page)


def walk(page: Page, scenario: Scenario, language: str, check: Check) -> None:
    """Every public page, as a person meets it, with ``check`` run on each."""
    page.goto(f"/?lang={language}")
    check("home")
    # Filing, with one step's errors on show.
    page.goto("/file/what")
    check("file: what")
    submit(page)
    check("file: what, with an error")
    page.locator("#description").fill("The fence blocks the path.")
    submit(page)
    answers: dict[str, Callable[[], None]] = {
        "category": lambda: page.locator("label[for=category-1]").click(),
        "where": lambda: page.locator("#location").fill("Kaptagat"),
        "when": lambda: page.locator("#harm_date").fill("2024-03-31"),
        "who": lambda: (
            page.locator("label[for=affected-1]").click(),
            page.locator("#people_affected").fill("40"),
        ),
        "identity": lambda: page.locator("label[for=identity-1]").click(),
        "contact": lambda: (
            page.locator("label[for=contact-1]").click(),
            page.locator("#phone").fill(PHONE),
        ),
        "safety": lambda: page.locator("label[for=reprisal-2]").click(),
    }
    for step, answer in answers.items():
        check(f"file: {step}")
        answer()
        submit(page)
    check("file: review")
    submit(page)
    check("file: done")
    page.goto("/file/receipt")
    check("file: receipt")
    # Check my case.
    page.goto("/case")
    check("case: form")
    page.locator("#reference").fill("12345674")
    page.locator("#pin").fill("000000")
    submit(page)
    check("case: form, with an error")
    grievance, pin = case_with_pin(scenario, language)
    track = in_remedy(scenario, grievance)
    scenario.propose(track)
    scenario.mandate(grievance)  # an NGO speaks for them: the page says so
    open_case(page, grievance, pin, "/answer")
    check("answer: what waits")
    page.goto(f"/case/{grievance.reference}")
    check("case")
    page.goto(f"/case/{grievance.reference}/proposal/{track.id}")
    check("case: proposal")
    submit(page, page.locator("button[value=decline]"))
    check("case: proposal, declined without a reason")
    page.goto(f"/case/{grievance.reference}/information")
    check("case: add information")
    page.goto(f"/case/{grievance.reference}/withdraw")
    check("case: withdraw")
    page.goto(f"/case/{grievance.reference}/mandates/{scenario.ngo.id}/withdraw")
    check("case: withdraw a mandate")
    page.goto(f"/case/{grievance.reference}/receipt")
    check("case: receipt")
    grievance, pin = case_with_pin(scenario, language)
    track = in_remedy(scenario, grievance)
    scenario.verify(track)
    (question,) = scenario.open_check_ins(track)
    open_case(page, grievance, pin)
    page.goto(f"/case/{grievance.reference}/question/{question.id}")
    check("case: question")
    grievance, pin = case_with_pin(scenario, language)
    intake.reject(scenario.handler, grievance, "Outside our operations.", scenario.court())
    open_case(page, grievance, pin)
    page.goto(f"/case/{grievance.reference}/appeal")
    check("case: appeal")
    page.goto(f"/case/{grievance.reference}/fairness")
    check("case: how fair it was")
    submit(page)
    check("case: how fair it was, without an answer")
    # A lost PIN.
    page.goto("/pin-reset")
    check("pin reset")
    page.locator("#reference").fill(grievance.reference)
    page.locator("#phone").fill(PHONE)
    submit(page)
    check("pin reset: code")
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "pin_reset_code")
    ).one()
    code = re.search(r"\b\d{6}\b", message.body)
    assert code is not None
    page.locator("#code").fill(code.group(0))
    submit(page)
    check("pin reset: new PIN")
    page.goto("/statistics")
    check("statistics")
    page.goto("/no/such/page")
    check("not found")


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_violation_on_any_public_page(
    page: Page, scenario: Scenario, language: str
) -> None:
    found: dict[str, list[str]] = {}
    seen: list[str] = []

    def check(name: str) -> None:
        assert page.locator("html").get_attribute("lang") == language, name
        seen.append(name)
        violations = axe_violations(page)
        if violations:
            found[f"{name} ({page.url})"] = [str(violation) for violation in violations]

    walk(page, scenario, language, check)

    assert len(seen) >= 31
    assert found == {}


def test_every_touch_target_on_the_public_pages_is_big_enough(
    page: Page, scenario: Scenario
) -> None:
    too_small: dict[str, list[tuple[str, int, int]]] = {}

    def check(name: str) -> None:
        small = small_touch_targets(page)
        if small:
            too_small[name] = small

    walk(page, scenario, "en", check)

    assert too_small == {}


def test_the_accessibility_check_can_fail(page: Page) -> None:
    """axe is really run on the page as the test left it: a broken page is caught."""
    page.goto("/")
    page.evaluate("document.documentElement.removeAttribute('lang')")

    rules = {violation.rule for violation in axe_violations(page)}

    assert "html-has-lang" in rules
