"""The NGO portal in a real browser without JavaScript: a member files for a group under a
mandate, follows the case, answers a proposal for the people, and is refused once the
people withdraw the mandate."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from remedy.cases import intake, tracks
from remedy.core.extensions import db
from remedy.core.references import normalise
from remedy.models import Grievance, RemedyType, TrackKind
from remedy.models.types import utcnow
from remedy.proxy.mandates import withdraw_mandate_as_person
from tests.proxy.portal import CONSENT_PDF, enrolled, in_a_year
from tests.support import Account
from tests.workflows.scenarios import Scenario


def sign_in_to_the_portal(page: Page, account: Account) -> None:
    """As a member does: open the portal, sign in with password and code, land on it."""
    page.goto("/proxy/")
    page.get_by_label("Email").fill(account.user.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("6-digit code from your authenticator app").fill(account.code())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/proxy/")


def file_for_a_group(page: Page, evidence: Path) -> str:
    """Fill in the filing form for a group; the reference the result page shows."""
    page.get_by_role("link", name="File a grievance for others").click()
    page.get_by_label("A group of people").check()
    # Optional sections are folded on a phone: the member opens those they need.
    for section in (
        "A group: the people and how many",
        "What it is about, where and when (optional)",
        "Witness and evidence (optional)",
    ):
        page.get_by_text(section).click()
    page.get_by_label("The people in the group (optional)").fill(
        "Amina Wanjiru, +254711100101\nJoseph Otieno, +254711100102\nGrace Achieng"
    )
    page.get_by_label("How many people are affected?").fill("12")
    page.get_by_label("Their language").select_option("sw")
    page.get_by_label("What happened?").fill("The quarry wall floods our fields when it rains.")
    page.get_by_label("What is it about? (optional)").select_option("land")
    page.get_by_label("Where did it happen? (optional)").fill("Kilima village")
    page.get_by_role("group", name="May the company know who they are?").get_by_label("Yes").check()
    page.get_by_role("group", name="Are they afraid of reprisals?").get_by_label("No").check()
    page.get_by_label("Both the people and our organisation").check()
    for scope in (
        "Accept or decline remedy proposals",
        "Answer check-ins (was the remedy delivered?)",
    ):
        page.get_by_label(scope).check()
    page.get_by_label("Thumbprint").check()
    page.get_by_label("The mandate is valid until").fill(in_a_year())
    page.get_by_label("Witness or other details (optional)").fill("The village elder.")
    page.get_by_label("Consent evidence (optional)").set_input_files(evidence)
    page.get_by_role("button", name="File the grievance").click()

    expect(page.locator("h1")).to_have_text("The grievance is filed")
    expect(page.locator("#pin")).to_have_text(re.compile(r"^\d{6}$"))
    return page.locator("#reference").inner_text()


def propose(scenario: Scenario, grievance: Grievance, what: str) -> None:
    db.session.expire_all()
    (track,) = grievance.tracks
    plan = tracks.RemedyActionPlan(RemedyType.RESTITUTION, what)
    tracks.propose_remedy(scenario.handler, track, [plan])


def test_a_member_files_for_a_group_answers_a_proposal_and_is_refused_after_withdrawal(
    page: Page, scenario: Scenario, tmp_path: Path
) -> None:
    evidence = tmp_path / "consent.pdf"
    evidence.write_bytes(CONSENT_PDF)
    sign_in_to_the_portal(page, enrolled(scenario.proxy))

    reference = file_for_a_group(page, evidence)
    page.screenshot(path=tmp_path / "filed.png", full_page=True)
    page.get_by_role("link", name="Open the case").click()
    expect(page.locator("h1")).to_have_text(f"Case {reference}")
    expect(page.locator(".people")).to_contain_text("Amina Wanjiru")

    # The team takes it up and proposes a remedy.
    grievance = db.session.scalars(
        select(Grievance).where(Grievance.reference == normalise(reference))
    ).one()
    intake.accept(scenario.handler, grievance)
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "The wall diverts the stream.")
    intake.classify(scenario.handler, grievance, [plan], intake.Severity(3, 2, 2))
    propose(scenario, grievance, "Pay for the lost harvest.")

    # The member follows the case from the dashboard and declines for the people.
    page.get_by_role("link", name="Your cases").click()
    expect(page.locator(".case-card")).to_contain_text("Waiting for your answer")
    page.get_by_role("link", name=f"Case {reference}").click()
    expect(page.locator(".proposal")).to_contain_text("Pay for the lost harvest.")
    decline = page.locator("form", has=page.get_by_role("button", name="Decline the proposal"))
    decline.get_by_label("Why?").fill("They also need the stream moved back.")
    # Declining for the whole group: how the people were consulted.
    decline.get_by_label("A meeting").check()
    decline.get_by_label("When?").fill(utcnow().date().isoformat())
    decline.get_by_label("How many of them took part?").fill("9")
    page.get_by_role("button", name="Decline the proposal").click()
    expect(page.locator(".flash-success")).to_have_text("You declined the proposal for the people.")
    db.session.expire_all()
    assert grievance.tracks[0].state == "dialogue"

    # A better proposal; the member opens it, but the people withdraw the mandate meanwhile.
    propose(scenario, grievance, "Move the stream back and pay for the harvest.")
    page.reload()
    expect(page.locator(".proposal")).to_contain_text("Move the stream back")
    withdraw_mandate_as_person(grievance, None)
    page.get_by_role("button", name="Accept the proposal").click()

    expect(page.locator(".flash-error")).to_contain_text("The mandate was withdrawn on")
    expect(page.locator(".flash-error")).to_contain_text("Nothing was changed.")
    expect(page.get_by_role("button", name="Accept the proposal")).to_have_count(0)
    page.screenshot(path=tmp_path / "refused.png", full_page=True)
    db.session.expire_all()
    assert grievance.tracks[0].state == "proposed"
