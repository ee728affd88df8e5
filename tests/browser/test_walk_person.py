"""An affected person on a 390 px phone, in French and in Arabic, JavaScript off: finds how
to reach the team, files with a local phone number, keeps the receipt, opens the case with
the digits their phone types, answers the team's question, accepts a proposal, confirms the
delivery, and finds the way back in after forgetting the PIN.

Every page on the way is checked (language, direction, width, nothing left in English) and
kept as a screenshot (tests/browser/walks.py)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from remedy.access.case_access import CaseNotFound, open_case
from remedy.cases import intake, tracks
from remedy.core.extensions import db
from remedy.models import Answer, Grievance, RemedyType, TrackKind
from tests.browser.walks import Walk
from tests.workflows.scenarios import Scenario

CONTACTS = {
    "REMEDY_CONTACT_SMS": "+254 700 111 222",
    "REMEDY_CONTACT_VOICE": "+254 700 111 444",
    "REMEDY_CONTACT_EMAIL": "help@remedy.example.org",
}
# What the team writes to the person, in the person's language.
WORDS = {
    "fr": {
        "what": "La nouvelle clôture bloque le chemin du puits.",
        "question": "Depuis quand le chemin est-il fermé ?",
        "answer": "Depuis la saison des pluies.",
        "remedy": "Rouvrir le chemin du puits.",
    },
    "ar": {
        "what": "السياج الجديد يسد الطريق إلى البئر.",
        "question": "منذ متى أغلق الطريق؟",
        "answer": "منذ موسم الأمطار.",
        "remedy": "إعادة فتح الطريق إلى البئر.",
    },
}


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_DEFAULT_COUNTRY": "KE", **CONTACTS}


def the_grievance(reference: str) -> Grievance:
    db.session.rollback()  # see what the server committed
    return db.session.scalars(select(Grievance).where(Grievance.reference == reference)).one()


def shows_the_contacts(walk: Walk) -> None:
    contact = walk.page.locator("#contact")
    expect(contact).to_be_visible()
    expect(contact.locator("bdi.ltr").first).to_have_text("+254 700 111 222")


def file_a_grievance(walk: Walk) -> tuple[str, str]:
    page = walk.page
    page.locator('main a[href="/file/what"]').click()
    page.locator("#description").fill(WORDS[walk.language]["what"])
    walk.check("file-what")
    walk.submit()
    page.wait_for_url("**/file/category")
    page.locator("label[for=category-1]").click()  # land
    walk.submit()
    page.locator("#location").fill("Kaptagat")
    walk.submit()
    page.locator("#harm_date").fill("2026-03-31")
    walk.submit()
    page.locator("label[for=affected-0]").click()  # only me
    walk.submit()
    page.locator("label[for=identity-0]").click()
    walk.submit()
    walk.check("file-contact")
    page.locator("label[for=contact-0]").click()  # SMS
    page.locator("#phone").fill(walk.digits("0712 345 678"))  # as the phone types it
    walk.submit()
    page.locator("label[for=reprisal-0]").click()  # not afraid
    walk.submit()
    page.wait_for_url("**/file/review")
    walk.check("file-review")
    expect(page.locator("main bdi.ltr", has_text="+254712345678")).to_have_count(1)
    walk.submit()
    page.wait_for_url("**/file/done")
    walk.check("filed")
    reference = page.locator("#reference").inner_text().replace(" ", "")
    pin = page.locator("#pin").inner_text().replace(" ", "")
    expect(page.locator("#recovery-code")).to_be_visible()
    return reference, pin


def test_an_affected_person_files_follows_and_answers_on_a_phone(walk: Walk) -> None:
    page = walk.page
    walk.go("/", "home")
    shows_the_contacts(walk)
    assert page.request.get("/favicon.ico").status == 204

    reference, pin = file_a_grievance(walk)
    recovery = page.locator("#recovery-code").inner_text()
    filed = the_grievance(reference)
    assert filed.language == walk.language
    assert filed.people[0].person.phone == "+254712345678"

    page.locator('a[href="/file/receipt"]').click()
    walk.check("receipt")
    expect(page.locator("#verification-code")).to_be_visible()

    # The case, opened with the digits an Arabic phone types.
    walk.go("/case", "open-case")
    page.locator("#reference").fill(walk.digits(f"{reference[:4]} {reference[4:]}"))
    page.locator("#pin").fill(walk.digits(pin))
    walk.submit()
    page.wait_for_url(f"**/case/{reference}")
    walk.check("case")
    shows_the_contacts(walk)
    assert page.locator(".case-ref bdi.ltr").inner_text() == f"{reference[:4]} {reference[4:]}"

    # The team asks a question: the case page says so, and the answer goes back.
    team = Scenario.create()
    intake.request_info(team.handler, the_grievance(reference), WORDS[walk.language]["question"])
    page.reload()
    expect(page.locator("#team-question")).to_contain_text(WORDS[walk.language]["question"])
    walk.check("case-question")
    page.locator(".team-question a.button").click()
    page.locator("textarea").fill(WORDS[walk.language]["answer"])
    walk.check("answer-question")
    walk.submit()
    page.wait_for_url(f"**/case/{reference}")
    assert the_grievance(reference).state == "screening"

    # A remedy is proposed: the person reads it in their language and accepts.
    grievance = the_grievance(reference)
    intake.accept(team.handler, grievance)
    plan = intake.TrackPlan(team.company, TrackKind.CAUSE, "Fence on the path.")
    intake.classify(team.handler, grievance, [plan], intake.Severity(2, 1, 1))
    (track,) = grievance.tracks
    remedy = WORDS[walk.language]["remedy"]
    tracks.propose_remedy(
        team.handler, track, [tracks.RemedyActionPlan(RemedyType.RESTITUTION, remedy)]
    )
    page.reload()
    walk.check("case-proposal")
    page.locator(f'.awaiting a[href*="/case/{reference}/proposal/"]').click()
    expect(page.locator("main")).to_contain_text(remedy)
    walk.check("proposal")
    page.locator("button[name=decision][value=accept]").click()
    page.wait_for_url(f"**/case/{reference}")
    db.session.rollback()
    assert track.state == "implementing"

    # The team reports the remedy delivered: only the person can confirm it.
    tracks.report_delivered(team.handler, track.remedy_actions[0], "Path open, photos taken.")
    page.reload()
    page.locator(f'.awaiting a[href*="/case/{reference}/question/"]').click()
    walk.check("delivery-question")
    page.locator("label[for=answer-0]").click()  # yes
    walk.submit()
    page.wait_for_url(f"**/case/{reference}")
    walk.check("case-after-delivery")
    db.session.rollback()
    (delivery,) = [c for c in track.check_ins if c.purpose.value == "delivery"]
    assert delivery.response is not None
    assert delivery.response.answer is Answer.YES

    # A forgotten PIN: the recovery page says how to reach the team.
    page.context.clear_cookies()
    walk.go("/pin-reset", "pin-reset")
    shows_the_contacts(walk)

    # Someone who knows the number guesses until it locks; the right PIN is refused too,
    # and the page says how to get in. The recovery code from filing opens it.
    for _ in range(5):
        with pytest.raises(CaseNotFound):
            open_case(reference, "000000", source="web:203.0.113.9")
    walk.go("/case", "locked")
    page.locator("#reference").fill(reference)
    page.locator("#pin").fill(pin)
    walk.submit()
    expect(page.locator('main a[href^="/recover"]').first).to_be_visible()
    walk.check("locked-refused")
    page.locator('main a[href^="/recover"]').first.click()
    page.locator("#reference").fill(walk.digits(reference))
    page.locator("#code").fill(recovery)
    walk.check("recover")
    walk.submit()
    new_pin = page.locator("#pin").inner_text().replace(" ", "")
    walk.check("recovered")
    assert new_pin != pin
    assert page.locator("#recovery-code").inner_text() != recovery
