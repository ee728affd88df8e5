"""Mandates the people control: once the people withdrew an organisation's mandate, the
organisation cannot give itself a new one. The new mandate waits for the people's consent
(a code sent to their phone, which the organisation enters) or a supervisor's approval on
evidence; until then it gives no rights. Every step is audited."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.access.case_access import reset_pin
from remedy.core.extensions import db
from remedy.models import AuditEvent, Mandate, Role
from remedy.models.grievance import Channel
from remedy.models.mandate import MandateStatus
from remedy.models.outbox_message import MANDATE_CODE_TEMPLATE, MASK, OutboxMessage
from remedy.models.types import utcnow
from remedy.proxy.mandates import withdraw_mandate, withdraw_mandate_as_person
from tests.console.case_support import console_for, new_user, text_of
from tests.proxy.portal import consulted, record_mandate_on_page, snapshot, withdrawals
from tests.proxy.test_acting import Case, act, mandated
from tests.support import csrf_token
from tests.web.conftest import WebVisitor
from tests.workflows.scenarios import Scenario


def record_new_mandate(portal: FlaskClient, case: Case) -> int:
    record_mandate_on_page(portal, case.page)
    return newest_mandate(case).id


def newest_mandate(case: Case) -> Mandate:
    db.session.expire_all()
    found = db.session.scalars(
        select(Mandate).where(Mandate.grievance_id == case.grievance.id).order_by(Mandate.id.desc())
    ).first()
    assert found is not None
    return found


def codes_sent(case: Case) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.grievance_id == case.grievance.id,
                OutboxMessage.template == MANDATE_CODE_TEMPLATE,
            )
        )
    )


def the_code(case: Case) -> str:
    found = re.search(r"\d{6}", codes_sent(case)[0].body)
    assert found is not None
    return found.group()


def mandate_actions() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("mandate.%"))
            .order_by(AuditEvent.seq)
        )
    )


def people_withdrew(case: Case) -> None:
    withdraw_mandate_as_person(case.grievance, None, Channel.WEB)


def withdrawn_on_the_web(app: Flask, case: Case, organisation_id: int) -> None:
    """The people open their case with its PIN and stop the organisation acting for them."""
    pin = reset_pin(case.grievance)
    db.session.commit()
    person = WebVisitor(app.test_client())
    assert person.open_case(case.grievance.reference, pin).status_code == 302
    path = f"/case/{case.grievance.reference}/mandates/{organisation_id}/withdraw"
    assert person.post(path, {}).status_code == 302


def test_after_the_people_withdraw_the_ngo_cannot_give_itself_a_new_mandate_and_accept(
    app: Flask, portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    withdrawn_on_the_web(app, case, scenario.ngo.id)

    record_new_mandate(portal, case)
    before = snapshot(case.grievance)
    token = csrf_token(portal.get(case.page).get_data(as_text=True))
    response = portal.post(f"{case.page}/tracks/{case.track.id}/accept", data={"csrf_token": token})

    assert response.status_code == 403
    assert "the new one gives no rights until they confirm it" in response.get_data(as_text=True)
    assert snapshot(case.grievance) == before
    assert case.fresh().tracks[0].state == "proposed"


def test_the_new_mandate_waits_and_the_people_get_a_code_staff_never_read(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    people_withdrew(case)

    mandate = db.session.get(Mandate, record_new_mandate(portal, case))

    assert mandate is not None
    assert mandate.status_on(utcnow().date()) is MandateStatus.PENDING
    sent = codes_sent(case)
    assert len(sent) == 2  # the two people of the case, each on their own phone
    assert {message.person_id for message in sent} == {
        link.person_id for link in case.grievance.people
    }
    assert all("Friends of the River asks to act for you again" in m.body for m in sent)
    assert all(MASK in m.body_for_staff and the_code(case) not in m.body_for_staff for m in sent)
    assert the_code(case) not in portal.get(case.page).get_data(as_text=True)


def test_with_the_code_the_people_gave_it_the_ngo_acts_for_them_again(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    people_withdrew(case)
    mandate_id = record_new_mandate(portal, case)

    wrong = act(portal, case.grievance, f"/mandates/{mandate_id}/confirm", {"code": "000000"})
    assert wrong.startswith("400 ")
    assert "This code is wrong or no longer valid." in wrong
    assert newest_mandate(case).consent_code_attempts == 1

    page = act(portal, case.grievance, f"/mandates/{mandate_id}/confirm", {"code": the_code(case)})

    assert "The people confirmed the mandate. It is in force." in page
    accepted = act(portal, case.grievance, f"/tracks/{case.track.id}/accept", consulted())
    assert "You accepted the proposal for the people." in accepted
    assert mandate_actions()[-3:] == [
        "mandate.grant",
        "mandate.consent_asked",
        "mandate.consent_confirmed",
    ]


def test_the_code_stops_working_after_five_wrong_tries(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    people_withdrew(case)
    mandate_id = record_new_mandate(portal, case)
    for _ in range(5):
        act(portal, case.grievance, f"/mandates/{mandate_id}/confirm", {"code": "000000"})

    page = act(portal, case.grievance, f"/mandates/{mandate_id}/confirm", {"code": the_code(case)})

    assert page.startswith("400 ")
    assert newest_mandate(case).awaiting_consent


def test_a_supervisor_of_the_mechanism_approves_it_on_evidence(
    app: Flask, portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    people_withdrew(case)
    mandate_id = record_new_mandate(portal, case)
    supervisor = console_for(app, scenario.supervisor)
    assert supervisor.offers(case.grievance, f"/mandates/{mandate_id}/approve")

    refused = supervisor.post(case.grievance, f"/mandates/{mandate_id}/approve", {"evidence": " "})
    assert refused.status_code == 422
    assert "Say what shows that the people agree." in text_of(refused.get_data(as_text=True))
    assert newest_mandate(case).awaiting_consent

    approved = supervisor.post(
        case.grievance,
        f"/mandates/{mandate_id}/approve",
        {"evidence": "Met the group on 3 December; the signed form is on file."},
    )

    assert approved.status_code == 302
    mandate = newest_mandate(case)
    assert (mandate.consented_via, mandate.approved_by_id) == (
        "supervisor",
        int(scenario.supervisor.id or 0),
    )
    assert mandate.approval_evidence == "Met the group on 3 December; the signed form is on file."
    assert mandate_actions()[-1] == "mandate.consent_approved"
    accepted = act(portal, case.grievance, f"/tracks/{case.track.id}/accept", consulted())
    assert "You accepted the proposal for the people." in accepted


def test_only_a_supervisor_of_the_mechanism_may_approve(
    app: Flask, portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    people_withdrew(case)
    mandate_id = record_new_mandate(portal, case)
    company_supervisor = new_user("boss@acme.example", Role.SUPERVISOR, scenario.company)

    for actor in (scenario.handler, company_supervisor):
        console = console_for(app, actor)
        response = console.post(
            case.grievance, f"/mandates/{mandate_id}/approve", {"evidence": "Trust me."}
        )
        assert response.status_code in (403, 404)

    assert newest_mandate(case).awaiting_consent


def test_withdrawn_by_the_organisation_itself_a_new_mandate_needs_no_consent(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    (mandate,) = db.session.scalars(
        select(Mandate).where(Mandate.grievance_id == case.grievance.id)
    )
    withdraw_mandate(scenario.proxy, mandate)

    record_new_mandate(portal, case)

    assert newest_mandate(case).status_on(utcnow().date()) is MandateStatus.VALID
    assert codes_sent(case) == []


def test_the_withdrawal_is_audited_with_who_and_where(scenario: Scenario) -> None:
    case = mandated(scenario, "proposed")

    withdraw_mandate_as_person(case.grievance, None, Channel.SMS)

    assert withdrawals() == [("complainant", "sms")]
