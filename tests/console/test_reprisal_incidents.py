"""A protection officer records a reprisal incident on the case page and chooses the
protective measures it brings: a hold on all contact, discreet messages with a high
risk, a referral to a protection organisation, an alert to supervisors. Only the
mechanism's protection officers and supervisors record and read incidents; auditors
see that one exists, never its words; handlers and organisations' staff see nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, text

from remedy.api import present
from remedy.cases import incident_log
from remedy.cases.contact_hold import Waiting, lift_contact_hold
from remedy.cases.referrals import add_mechanism
from remedy.cases.reprisal_incidents import IncidentReport, record_incident
from remedy.cases.timeline import timeline
from remedy.core.actors import OPERATOR, Actor
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.models import AuditEvent, Grievance, Referral, ReprisalIncident, Role, TrackKind
from remedy.models.grievance import ReprisalRisk
from remedy.models.referral import MechanismKind
from remedy.models.types import utcnow
from tests.console.case_support import console_for, new_user, text_of
from tests.workflows.scenarios import Scenario

WHAT = "Two guards followed her home and told her to drop the complaint."
SUSPECTED = "The security contractor of Acme Mining"
PATH = "/reprisal-incidents"
SHELTER_CONTACT = "+254 711 000111"


@pytest.fixture
def officer(scenario: Scenario) -> Actor:
    return new_user("officer@example.org", Role.PROTECTION_OFFICER)


def yesterday() -> str:
    return (utcnow().date() - timedelta(days=1)).isoformat()


def form(**changes: str) -> dict[str, str]:
    """The form as the page offers it: every measure ticked, no referral chosen."""
    fields = {
        "what_happened": WHAT,
        "happened_on": yesterday(),
        "suspected": SUSPECTED,
        "hold_contact": "1",
        "make_discreet": "1",
        "alert_supervisors": "1",
        "mechanism": "",
    }
    fields.update(changes)
    return {key: value for key, value in fields.items() if value != "-"}


def protection_events(grievance: Grievance) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.subject_id == grievance.reference,
                AuditEvent.action.like("protection.%"),
            )
            .order_by(AuditEvent.seq)
        )
    )


def incidents_of(grievance: Grievance) -> list[ReprisalIncident]:
    return list(
        db.session.scalars(
            select(ReprisalIncident).where(ReprisalIncident.grievance_id == grievance.id)
        )
    )


def recorded(officer: Actor, grievance: Grievance) -> ReprisalIncident:
    return record_incident(
        officer,
        grievance,
        IncidentReport(WHAT, utcnow().date() - timedelta(days=1), SUSPECTED),
    )


def test_the_page_offers_every_measure_ticked(
    app: Flask, scenario: Scenario, officer: Actor
) -> None:
    grievance = scenario.file()
    html = console_for(app, officer).html(grievance)
    assert f'action="/console/grievances/{grievance.reference}{PATH}"' in html
    for measure in ("hold_contact", "make_discreet", "alert_supervisors"):
        assert f'name="{measure}" value="1" checked' in html
    # No protection organisation in the directory: the form says so.
    assert "No protection organisation for this case's country" in text_of(html)


def test_an_officer_records_an_incident_with_every_measure(
    app: Flask, scenario: Scenario, officer: Actor
) -> None:
    shelter = add_mechanism(OPERATOR, "KE", MechanismKind.PROTECTION, "Defenders Shelter")
    grievance = scenario.file()
    answer = console_for(app, officer).post(grievance, PATH, form(mechanism=str(shelter.id)))

    assert answer.status_code == 302
    db.session.refresh(grievance)
    (incident,) = incidents_of(grievance)
    assert (incident.what_happened, incident.suspected) == (WHAT, SUSPECTED)
    assert grievance.contact_held_since is not None
    assert grievance.discreet_messages is True
    assert grievance.reprisal_risk is ReprisalRisk.HIGH
    referral = db.session.get(Referral, incident.referral_id)
    assert referral is not None
    assert (referral.grievance_id, referral.mechanism_id) == (grievance.id, shelter.id)
    assert incident.alert_open
    assert [event.action for event in protection_events(grievance)] == [
        "protection.incident",
        "protection.contact_hold",
        "protection.reprisal_risk",
        "protection.referral",
    ]
    for event in protection_events(grievance):
        assert WHAT not in str(event.after)
        assert SUSPECTED not in str(event.after)


def test_the_words_are_encrypted_at_rest(scenario: Scenario, officer: Actor) -> None:
    grievance = scenario.file()
    incident = recorded(officer, grievance)
    raw = db.session.execute(
        text("SELECT what_happened, suspected FROM reprisal_incidents WHERE id = :id"),
        {"id": incident.id},
    ).one()
    assert all(b"guards" not in bytes(column) and b"Acme" not in bytes(column) for column in raw)


def test_unticked_measures_are_not_taken(app: Flask, scenario: Scenario, officer: Actor) -> None:
    grievance = scenario.file()
    chosen = form(hold_contact="-", make_discreet="-", alert_supervisors="-")
    assert console_for(app, officer).post(grievance, PATH, chosen).status_code == 302
    db.session.refresh(grievance)
    (incident,) = incidents_of(grievance)
    assert grievance.contact_held_since is None
    assert (grievance.discreet_messages, grievance.reprisal_risk) == (False, ReprisalRisk.NONE)
    assert not incident.alerted
    assert incident.referral_id is None


def test_supervisors_see_the_alert_until_one_acknowledges_it(
    app: Flask, scenario: Scenario, officer: Actor
) -> None:
    grievance = scenario.file()
    incident = recorded(officer, grievance)
    supervisor = console_for(app, scenario.supervisor)
    board = text_of(supervisor.client.get("/console/supervisor").get_data(as_text=True))
    assert "Reprisal alerts" in board
    assert "No reprisal alert waits." not in board
    assert "Reprisal alert" in text_of(supervisor.client.get("/console/").get_data(as_text=True))
    assert "Alert not yet acknowledged" in text_of(supervisor.html(grievance))

    path = f"{PATH}/{incident.id}/acknowledge"
    assert supervisor.post(grievance, path, {}).status_code == 302

    db.session.refresh(incident)
    assert not incident.alert_open
    assert incident.alert_acknowledged_by_user_id == scenario.supervisor.user_id
    assert protection_events(grievance)[-1].action == "protection.alert_acknowledged"
    board = text_of(supervisor.client.get("/console/supervisor").get_data(as_text=True))
    assert "No reprisal alert waits." in board


def test_an_officer_may_not_acknowledge_the_alert(
    app: Flask, scenario: Scenario, officer: Actor
) -> None:
    grievance = scenario.file()
    incident = recorded(officer, grievance)
    path = f"{PATH}/{incident.id}/acknowledge"
    assert console_for(app, officer).post(grievance, path, {}).status_code == 403
    db.session.refresh(incident)
    assert incident.alert_open


def test_the_officer_lifts_the_hold_with_a_reason(
    app: Flask, scenario: Scenario, officer: Actor
) -> None:
    grievance = scenario.file()
    recorded(officer, grievance)
    console = console_for(app, officer)
    assert console.offers(grievance, "/contact-hold/lift")
    refused = console.post(grievance, "/contact-hold/lift", {"waiting": "send", "reason": " "})
    assert refused.status_code == 422
    answer = console.post(
        grievance, "/contact-hold/lift", {"waiting": "drop", "reason": "She is safe now."}
    )
    assert answer.status_code == 302
    db.session.refresh(grievance)
    assert grievance.contact_held_since is None
    lifted = protection_events(grievance)[-1]
    assert lifted.action == "protection.contact_hold_lifted"
    assert lifted.after is not None
    assert lifted.after["waiting"] == "drop"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form(what_happened=" "), "Say what happened."),
        (form(happened_on=""), "Give the date it happened."),
        (form(happened_on="last week"), "Give the date it happened."),
        (
            form(happened_on=(utcnow().date() + timedelta(days=2)).isoformat()),
            "The date cannot be in the future.",
        ),
        (form(mechanism="999999"), "This mechanism is not in the directory."),
    ],
)
def test_bad_input_shows_the_form_again_and_changes_nothing(
    app: Flask, scenario: Scenario, officer: Actor, data: dict[str, str], message: str
) -> None:
    grievance = scenario.file()
    answer = console_for(app, officer).post(grievance, PATH, data)
    assert answer.status_code == 422
    assert message in text_of(answer.get_data(as_text=True))
    db.session.refresh(grievance)
    assert incidents_of(grievance) == []
    assert grievance.contact_held_since is None


def test_a_mechanism_of_another_kind_is_refused(scenario: Scenario, officer: Actor) -> None:
    grievance = scenario.file()
    court = scenario.court()
    with pytest.raises(InvalidInput, match="Choose one of the listed options"):
        record_incident(
            officer,
            grievance,
            IncidentReport(WHAT, utcnow().date(), mechanism_id=court),
        )


def test_a_stale_page_records_nothing(app: Flask, scenario: Scenario, officer: Actor) -> None:
    grievance = scenario.file()
    answer = console_for(app, officer).post(grievance, PATH, form(), version=grievance.version - 1)
    assert answer.status_code == 409
    assert incidents_of(grievance) == []


# Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["handler", "company_handler", "auditor"])
def test_others_may_not_record(scenario: Scenario, who: str) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    with pytest.raises(NotAllowed):
        recorded(getattr(scenario, who), grievance)
    assert incidents_of(grievance) == []


@pytest.mark.parametrize("who", ["handler", "company_handler", "partner_handler"])
def test_handlers_and_organisations_are_refused_and_see_nothing(
    app: Flask, scenario: Scenario, officer: Actor, who: str
) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    shelter = add_mechanism(
        OPERATOR, "KE", MechanismKind.PROTECTION, "Defenders Shelter", SHELTER_CONTACT
    )
    record_incident(
        officer,
        grievance,
        IncidentReport(
            WHAT, utcnow().date(), SUSPECTED, hold_contact=False, mechanism_id=shelter.id
        ),
    )
    actor: Actor = getattr(scenario, who)
    console = console_for(app, actor)
    page = text_of(console.html(grievance))
    assert WHAT not in page
    assert SUSPECTED not in page
    # The directory lists the shelter to all, but not that the people were referred to it.
    assert "Reprisal incident" not in page
    assert SHELTER_CONTACT not in page
    assert 'id="referrals"' not in console.html(grievance)
    assert "Record a reprisal incident" not in page
    assert console.post(grievance, PATH, form()).status_code == 403
    # Nor in the history, nor what the people were told about it, nor through the API.
    titles = " ".join(f"{entry.title} {entry.detail}" for entry in timeline(actor, grievance))
    assert "Reprisal" not in titles
    assert "protection organisation" not in titles
    assert "steps to protect you" not in titles
    assert all(
        not event["action"].startswith("protection.")
        for event in present.audit_events(actor, grievance)
    )
    assert all(
        not message["template"].startswith("protection_")
        for message in present.messages(actor, grievance)
    )


def test_organisation_staff_are_not_told_contact_is_held(
    app: Flask, scenario: Scenario, officer: Actor
) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    recorded(officer, grievance)
    assert "Contact on hold" not in text_of(
        console_for(app, scenario.company_handler).html(grievance)
    )
    assert "Contact on hold" in text_of(console_for(app, scenario.handler).html(grievance))


def test_auditors_see_that_an_incident_exists_but_not_its_words(
    app: Flask, scenario: Scenario, officer: Actor
) -> None:
    grievance = scenario.file()
    recorded(officer, grievance)
    page = text_of(console_for(app, scenario.auditor).html(grievance))
    assert "Reprisal incidents" in page
    assert "Only protection officers and supervisors read what happened." in page
    assert WHAT not in page
    assert SUSPECTED not in page
    (view,) = incident_log.incidents_for(scenario.auditor, grievance)
    assert (view.what_happened, view.suspected) == (None, None)


def test_a_supervisor_reads_the_words(app: Flask, scenario: Scenario, officer: Actor) -> None:
    grievance = scenario.file()
    recorded(officer, grievance)
    page = text_of(console_for(app, scenario.supervisor).html(grievance))
    assert WHAT in page
    assert SUSPECTED in page


def test_only_protectors_lift_the_hold(scenario: Scenario, officer: Actor) -> None:
    grievance = scenario.file()
    recorded(officer, grievance)
    with pytest.raises(NotAllowed):
        lift_contact_hold(scenario.handler, grievance, "Looks fine.", Waiting.SEND)
    assert grievance.contact_held_since is not None
