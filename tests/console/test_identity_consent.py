"""Identity per organisation on the console case page (issue 12, finding 1): the accused
partner's staff read pseudonyms until the people say yes for it; the mechanism's protection
officer sees each organisation's answer and records one the people gave another way, with
a note, audited."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from remedy.cases import identity_consent
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.identity.consents import consent_for
from remedy.identity.visibility import may_see_identity
from remedy.models import AuditEvent, Grievance, Role, TrackKind
from remedy.models.identity_consent import ConsentAnswer, ConsentVia, IdentityConsent
from tests.console.case_support import console_for, new_user, text_of
from tests.workflows.scenarios import Scenario

PSEUDONYMS_ONLY = (
    "The people have not agreed that your organisation knows who they are: pseudonyms only."
)


def partner_case(scenario: Scenario) -> Grievance:
    """The company is directly linked; its business partner caused the harm."""
    grievance, _ = scenario.in_remedy(TrackKind.DIRECTLY_LINKED, TrackKind.CAUSE)
    db.session.commit()
    return grievance


def consent(grievance: Grievance, scenario: Scenario) -> IdentityConsent:
    db.session.expire_all()
    found = consent_for(grievance, scenario.partner.id)
    assert found is not None
    return found


def who_they_are(grievance: Grievance) -> tuple[str, str]:
    person = grievance.people[0].person
    assert person.name is not None
    assert person.phone is not None
    return person.name, person.phone


def test_the_partners_staff_read_pseudonyms_until_the_people_say_yes(
    app: Flask, scenario: Scenario
) -> None:
    grievance = partner_case(scenario)
    name, phone = who_they_are(grievance)
    partner = console_for(app, scenario.partner_handler)

    before = partner.html(grievance)
    people = Actor.complainant(grievance.reference, grievance.people[0].person_id)
    identity_consent.answer(people, consent(grievance, scenario), True, ConsentVia.SMS)
    after = partner.html(grievance)

    assert name not in before
    assert phone not in before
    assert grievance.people[0].person.pseudonym in before
    assert PSEUDONYMS_ONLY in text_of(before)
    assert name in after
    assert phone in after


def test_the_served_companys_staff_read_who_they_are(app: Flask, scenario: Scenario) -> None:
    grievance = partner_case(scenario)
    name, phone = who_they_are(grievance)

    html = console_for(app, scenario.company_handler).html(grievance)

    assert name in html
    assert phone in html
    assert PSEUDONYMS_ONLY not in text_of(html)


def test_the_protection_officer_sees_each_organisations_answer(
    app: Flask, scenario: Scenario
) -> None:
    grievance = partner_case(scenario)
    officer = console_for(app, new_user("officer@example.org", Role.PROTECTION_OFFICER))

    page = text_of(officer.html(grievance))

    assert "Rift Haulage : Not answered yet: pseudonyms only" in page
    # The partner's staff never read what the people answered about anyone.
    partner_page = text_of(console_for(app, scenario.partner_handler).html(grievance))
    assert "Not answered yet" not in partner_page


def test_the_protection_officer_records_an_answer_given_in_person(
    app: Flask, scenario: Scenario
) -> None:
    grievance = partner_case(scenario)
    officer_actor = new_user("officer@example.org", Role.PROTECTION_OFFICER)
    officer = console_for(app, officer_actor)
    asked = consent(grievance, scenario)
    path = f"/identity-consents/{asked.id}"
    assert officer.offers(grievance, path)

    response = officer.post(
        grievance,
        path,
        {"answer": "yes", "note": "Said at the meeting in Kilifi.", "consent_version": "1"},
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    recorded = consent(grievance, scenario)
    assert recorded.answer is ConsentAnswer.YES
    assert recorded.answered_via is ConsentVia.STAFF
    assert recorded.answered_by_user_id == officer_actor.user_id
    assert recorded.note == "Said at the meeting in Kilifi."
    assert may_see_identity(scenario.partner_handler, grievance)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "identity.consent")
    ).one()
    assert event.actor_id == str(officer_actor.user_id)
    assert "Kilifi" not in str(event.after)  # the note is personal: never in the log


def test_an_answer_given_another_way_needs_a_note(app: Flask, scenario: Scenario) -> None:
    grievance = partner_case(scenario)
    officer = console_for(app, new_user("officer@example.org", Role.PROTECTION_OFFICER))
    asked = consent(grievance, scenario)

    response = officer.post(
        grievance,
        f"/identity-consents/{asked.id}",
        {"answer": "yes", "note": " ", "consent_version": "1"},
    )

    assert response.status_code == 422
    assert "Say how the people gave their answer." in response.get_data(as_text=True)
    assert consent(grievance, scenario).answer is ConsentAnswer.PENDING


def test_only_a_protection_officer_records_an_answer(app: Flask, scenario: Scenario) -> None:
    grievance = partner_case(scenario)
    handler = console_for(app, scenario.handler)
    asked = consent(grievance, scenario)

    response = handler.post(
        grievance,
        f"/identity-consents/{asked.id}",
        {"answer": "yes", "note": "Told me on the phone.", "consent_version": "1"},
    )

    assert response.status_code == 403
    assert consent(grievance, scenario).answer is ConsentAnswer.PENDING
