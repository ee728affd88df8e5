"""The category and technology details on the case page: shown to the team, the external
reference only to those who may know who the people are; recorded or corrected by the
mechanism's case workers, audited without the reference itself."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models import AuditEvent, Category, Grievance, TrackKind
from tests.console.case_support import console_for, text_of
from tests.workflows.scenarios import Scenario

ACCOUNT = "acct:7731-KE"
PATH = "/technology"


def technology_events(grievance: Grievance) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_id == grievance.reference,
                AuditEvent.action == "grievance.technology",
            )
        )
    )


def test_the_team_reads_the_user_status_and_the_reference(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file(
        category=Category.PRIVACY, product_user="no", external_reference=ACCOUNT
    )

    page = text_of(console_for(app, scenario.handler).html(grievance))

    assert "Privacy and personal data" in page
    assert "Affected without using it" in page
    assert ACCOUNT in page


def test_readers_who_may_not_know_the_people_do_not_read_the_reference(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file(
        category=Category.ONLINE_CONTENT,
        product_user="yes",
        external_reference=ACCOUNT,
        identity_withheld=True,
    )
    for who in (scenario.auditor, scenario.handler):
        page = text_of(console_for(app, who).html(grievance))

        assert "Uses the product or service" in page
        assert ACCOUNT not in page  # withheld: not even the mechanism's handler without a reveal


def test_a_handler_records_the_category_and_details_of_a_case_filed_by_phone(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file()
    console = console_for(app, scenario.handler)
    assert console.offers(grievance, PATH)

    response = console.post(
        grievance,
        PATH,
        {
            "category": "automated_decision",
            "product_user": "unknown",
            "external_reference": f" {ACCOUNT} ",
        },
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(grievance)
    assert grievance.category is Category.AUTOMATED_DECISION
    assert grievance.product_user == "unknown"
    assert grievance.external_reference == ACCOUNT
    (event,) = technology_events(grievance)
    assert event.after == {
        "category": "automated_decision",
        "product_user": "unknown",
        "external_reference": True,
    }
    assert ACCOUNT not in str(event.before) + str(event.after)


def test_a_reference_on_two_lines_is_refused_and_nothing_changes(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file(category=Category.PRIVACY)

    response = console_for(app, scenario.handler).post(
        grievance, PATH, {"category": "privacy", "external_reference": "acct\r\n7731"}
    )

    assert response.status_code == 422
    assert "on one line" in text_of(response.get_data(as_text=True))
    db.session.refresh(grievance)
    assert grievance.external_reference is None
    assert technology_events(grievance) == []


def test_an_auditor_and_an_organisation_s_staff_may_not_change_it(
    app: Flask, scenario: Scenario
) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE, category=Category.PRIVACY)

    for who in (scenario.auditor, scenario.company_handler):
        console = console_for(app, who)
        assert not console.offers(grievance, PATH)
        refused = console.post(grievance, PATH, {"category": "land"})
        assert refused.status_code == 403

    db.session.refresh(grievance)
    assert grievance.category is Category.PRIVACY


def test_a_case_whose_people_withheld_who_they_are_still_gets_its_category(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file(external_reference=ACCOUNT, identity_withheld=True)
    handler = console_for(app, scenario.handler)
    assert 'name="external_reference"' not in handler.html(grievance)  # not theirs to read

    response = handler.post(grievance, PATH, {"category": "automated_decision"})

    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert grievance.category is Category.AUTOMATED_DECISION
    assert grievance.external_reference == ACCOUNT  # kept as it was
