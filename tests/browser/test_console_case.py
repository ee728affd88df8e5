"""A handler takes one grievance on each track kind from screening to remedied, entirely
through the console, in a real browser without JavaScript.

Every team step is a click and a form on the case page. What the affected people do
(accepting a proposal, confirming delivery) happens on other channels, so the test
does it through the services, as those channels would.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from remedy.cases import check_ins, tracks
from remedy.core.extensions import db
from remedy.models import Answer, Grievance, InvolvementTrack, TrackKind
from remedy.models.types import utcnow
from tests.console.case_support import enrolled, user_of
from tests.workflows.scenarios import Scenario

DUE = (utcnow().date() + timedelta(days=45)).isoformat()


def sign_in(page: Page, scenario: Scenario) -> None:
    account = enrolled(user_of(scenario.handler))
    page.goto("/sign-in")
    page.get_by_label("Email").fill(account.user.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("6-digit code from your authenticator app").fill(account.code())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/**")


def done(page: Page, step: str) -> None:
    expect(page.locator(".flash-success")).to_have_text(step)


def open_form(page: Page, summary: str) -> Locator:
    """Unfold a step (a <details>, no script needed) and return its form."""
    details = page.locator("details.trigger", has=page.locator("summary", has_text=summary)).first
    details.locator("summary").click()
    return details.locator("form")


def fill_action(form: Locator, group: str, description: str) -> None:
    row = form.get_by_role("group", name=group)
    row.get_by_label("Type of remedy").select_option(label="Stopping the harm")
    row.get_by_label("What will be done").fill(description)
    row.get_by_label("Who does it").select_option(label="This organisation")
    row.get_by_label("Due date").fill(DUE)


def fill_leverage(form: Locator, group: str) -> None:
    row = form.get_by_role("group", name=group)
    row.get_by_label("Type of leverage").select_option(label="Contractual demand")
    row.get_by_label("Business relationship").fill("Rift Haulage")
    row.get_by_label("What will be done").fill("Require the haulier to reroute its lorries.")


def the_track(grievance: Grievance) -> InvolvementTrack:
    db.session.rollback()  # end this thread's snapshot: see what the server committed
    return db.session.scalars(
        select(InvolvementTrack).where(InvolvementTrack.grievance_id == grievance.id)
    ).one()


@pytest.mark.parametrize("kind", list(TrackKind), ids=[kind.value for kind in TrackKind])
def test_a_handler_takes_a_grievance_from_screening_to_remedied_through_the_console(
    app: Flask, page: Page, tmp_path: Path, kind: TrackKind
) -> None:
    scenario = Scenario.create()
    grievance = scenario.file()
    reference = grievance.reference
    sign_in(page, scenario)
    page.goto(f"/console/grievances/{reference}")
    expect(page.locator(".lead .state")).to_have_text("Screening")

    # Screening: accept.
    page.locator("#trigger-accept-form").get_by_role("button", name="Accept").click()
    done(page, "Done: Accept.")
    expect(page.locator(".lead .state")).to_have_text("Assessment")

    # Assessment: classify the company's involvement, with the severity.
    form = open_form(page, "Classify involvement")
    first = form.get_by_role("group", name="Organisation 1")
    first.get_by_label("Organisation").select_option(label="Acme Mining")
    first.get_by_label("Involvement").select_option(value=kind.value)
    first.get_by_label("Why", exact=True).fill("Its fence cuts the path; assessed on site.")
    first.get_by_label("Why, as the people are told it").fill("Its fence blocks your path.")
    severity = form.get_by_role("group", name="Severity")
    severity.get_by_label("Scale").select_option(label="3 high")
    severity.get_by_label("Scope").select_option(label="2 medium")
    severity.get_by_label("Irremediability").select_option(label="2 medium")
    form.get_by_role("button", name="Classify involvement").click()
    done(page, "Done: Classify involvement.")
    expect(page.locator(".lead .state")).to_have_text("In remedy")
    track_box = page.locator("article.track")
    expect(track_box.locator("h3")).to_have_text(f"Acme Mining · {kind.label}")

    if kind is TrackKind.DIRECTLY_LINKED:
        # Leverage on the partner, then the partner commits to a remedy.
        form = open_form(page, "Record leverage")
        fill_leverage(form, "Leverage action")
        form.get_by_role("button", name="Record leverage").click()
        done(page, "Done: Record leverage.")
        form = open_form(page, "Partner commits to remedy")
        fill_action(form, "Remedy action 1", "The haulier rebuilds the path.")
        form.get_by_role("button", name="Partner commits to remedy").click()
        done(page, "Done: Partner commits to remedy.")
        expect(track_box.locator(".state").first).to_have_text("Partner remedying")
    else:
        form = open_form(page, "Propose a remedy")
        fill_action(form, "Remedy action 1", "Move the fence back to the old line.")
        if kind is TrackKind.CONTRIBUTE:
            fill_leverage(form, "Leverage action 1")
        form.get_by_role("button", name="Propose a remedy").click()
        done(page, "Done: Propose a remedy.")
        expect(track_box.locator(".state").first).to_have_text("Remedy proposed")
        # The complainant accepts the proposal (by SMS, on the web...).
        tracks.accept_proposal(scenario.complainant(grievance), the_track(grievance))
        page.reload()
        expect(track_box.locator(".state").first).to_have_text("Implementing")

    # Delivery, with its evidence: the people are asked whether it arrived.
    form = open_form(page, "Report delivered")
    form.get_by_label("Evidence of delivery").fill("Photos of the open path, signed minutes.")
    form.get_by_role("button", name="Report delivered").click()
    done(page, "The action was reported delivered.")
    expect(track_box.locator(".state").first).to_have_text("Affected people verifying")

    # The complainant confirms delivery (their answer to the check-in).
    track = the_track(grievance)
    for check_in in [c for c in track.check_ins if c.is_open]:
        check_ins.answer_check_in(
            scenario.complainant(grievance, check_in.person_id), check_in, Answer.YES
        )
    page.reload()

    expect(page.locator(".lead .state")).to_have_text("Resolved")
    expect(page.locator(".lead")).to_contain_text("Outcome: remedied")
    expect(track_box.locator(".state").first).to_have_text("Remedied")
    expect(page.locator("#timeline")).to_contain_text("Check-in answer from")
    page.screenshot(path=tmp_path / f"case-{kind.value}.png", full_page=True)
    db.session.rollback()
    resolved = db.session.scalars(select(Grievance).where(Grievance.reference == reference)).one()
    assert resolved.state == "resolved"
    assert the_track(resolved).state == "remedied"
