"""An NGO member on a 390 px phone, in French and in Arabic, JavaScript off: files for a
group with one bad number in the list (the error names its line, the consent evidence is
kept), keeps the recovery code, follows the case's waiting list, accepts a proposal for
the people with how they were consulted, and signs out (tests/browser/walks.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from remedy.cases import intake, tracks
from remedy.core.extensions import db
from remedy.core.references import normalise
from remedy.models import Grievance, RemedyType, TrackKind
from remedy.models.group_consultation import GroupConsultation
from remedy.models.mandate import Mandate
from remedy.models.types import utcnow
from tests.browser.walks import Walk
from tests.proxy.portal import CONSENT_PDF, enrolled, in_a_year
from tests.workflows.scenarios import Scenario


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Kenyan numbers as the NGO's members write them, without the country code."""
    return {"REMEDY_DEFAULT_COUNTRY": "KE"}


PEOPLE = "Amina Wanjiru, 0711 100 101\nJoseph Otieno, {bad}\nGrace Achieng"
REMEDY = {"fr": "Payer la récolte perdue.", "ar": "دفع ثمن المحصول المفقود."}


def fill_the_group_filing(walk: Walk, bad_number: str, evidence: Path) -> None:
    page = walk.page
    walk.go("/proxy/file", "file-form")
    page.locator("input[name=for_whom][value=group]").check()
    folded = page.locator("form details.section:not([open]) > summary")
    while folded.count():
        folded.first.click()
    page.locator("textarea[name=people]").fill(PEOPLE.format(bad=walk.digits(bad_number)))
    page.locator("input[name=people_affected]").fill(walk.digits("12"))
    page.locator("select[name=language]").select_option(walk.language)
    page.locator("textarea[name=description]").fill("Le mur de la carrière inonde nos champs.")
    page.locator("input[name=identity][value=yes]").check()
    page.locator("input[name=reprisal_risk][value=none]").check()
    page.locator("input[name=recipients][value=both]").check()
    for scope in ("file", "follow", "answer_proposals"):
        page.locator(f"input[name=scopes][value={scope}]").check()
    page.locator("input[name=consent_method][value=thumbprint]").check()
    page.locator("input[name=valid_until]").fill(in_a_year())
    page.locator("input[name=evidence]").set_input_files(evidence)


def test_an_ngo_member_files_for_a_group_and_decides_with_the_people(
    walk: Walk, scenario: Scenario, tmp_path: Path
) -> None:
    page = walk.page
    evidence = tmp_path / "consent.pdf"
    evidence.write_bytes(CONSENT_PDF)
    walk.sign_in(enrolled(scenario.proxy), start="/proxy/")
    walk.check("dashboard")

    # One bad number: the error names its line, and the evidence is kept for the retry.
    fill_the_group_filing(walk, "12", evidence)
    walk.submit("main form.form-compact")
    walk.check("file-refused")
    error = page.locator("#people-error, .field-error .error").first.inner_text()
    assert re.search(r"[2٢]", error), f"the error names the line: {error}"
    assert walk.digits("12") in error, "and what was typed there"
    expect(page.locator("#kept-evidence")).to_contain_text("consent.pdf")
    page.locator("textarea[name=people]").fill(PEOPLE.format(bad=walk.digits("0711 100 102")))
    walk.submit("main form.form-compact")
    walk.check("filed")
    expect(page.locator("#reference")).to_be_visible()
    expect(page.locator("#recovery-code")).to_have_text(
        re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$")
    )
    reference = normalise(page.locator("#reference").inner_text())
    db.session.rollback()
    grievance = db.session.scalars(select(Grievance).where(Grievance.reference == reference)).one()
    assert [link.person.phone for link in grievance.people if link.person.phone] == [
        "+254711100101",
        "+254711100102",
    ]
    (mandate,) = db.session.scalars(select(Mandate).where(Mandate.grievance_id == grievance.id))
    assert mandate.evidence_attachment_id is not None, "the kept file went in with the filing"

    # The team proposes a remedy; the case's waiting list leads to it.
    intake.accept(scenario.handler, grievance)
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "The wall diverts the stream.")
    (track,) = intake.classify(scenario.handler, grievance, [plan], intake.Severity(3, 2, 2))
    tracks.propose_remedy(
        scenario.handler,
        track,
        [tracks.RemedyActionPlan(RemedyType.RESTITUTION, REMEDY[walk.language])],
    )
    walk.go(f"/proxy/cases/{reference}", "case")
    page.locator(f'ul.waiting a[href="#proposal-{track.id}"]').click()
    accept = page.locator(f"form[action$='/tracks/{track.id}/accept']")
    expect(page.locator(".proposal").first).to_contain_text(REMEDY[walk.language])

    # Accepting for twelve people: how they were consulted goes with it.
    accept.locator("input[name=consulted_how][value=meeting]").check()
    accept.locator("input[name=consulted_on]").fill(utcnow().date().isoformat())
    accept.locator("input[name=participants]").fill(walk.digits("9"))
    accept.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    walk.check("accepted")
    db.session.rollback()
    assert track.state == "implementing"
    (consulted,) = db.session.scalars(
        select(GroupConsultation).where(GroupConsultation.grievance_id == grievance.id)
    )
    assert consulted.participants == 9

    # A shared phone: signing out is on every portal page.
    page.locator("form[action='/sign-out'] button[type=submit]").click()
    page.wait_for_url("**/sign-in**")
    walk.check("signed-out")
