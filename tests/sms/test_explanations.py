"""EXPLAIN by SMS: a person whose case is about an automated decision asks why it was made,
in their language, and the team's explanation reaches their phone in that language. The
category of a case filed by SMS is recorded by the team in the console (SMS does not ask
it: its menus stay short)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.messaging import sms_texts
from remedy.models import OutboxMessage, TrackKind
from tests.console.case_support import console_for
from tests.involvement import classify_two_ways
from tests.sms.conftest import Phone, file_by_phone, rendered
from tests.web.conftest import in_remedy
from tests.workflows.scenarios import Scenario

WHY = "Mfumo ulihesabu siku bila kadi kuwa siku za kutokuwepo kazini."


def test_the_person_asks_by_sms_and_the_explanation_reaches_their_phone(
    app: Flask, phone: Phone, scenario: Scenario
) -> None:
    filed = file_by_phone(phone, "sw")
    grievance = filed.grievance
    console = console_for(app, scenario.handler)
    recorded = console.post(
        grievance, "/technology", {"category": "automated_decision", "product_user": "yes"}
    )
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    track = in_remedy(scenario, grievance)

    reply = phone.send("ELEZA Kwa nini mshahara wangu ulikatwa?")

    assert reply == rendered(sms_texts.EXPLAIN_RECEIVED, "sw")
    db.session.expire_all()
    assert (grievance.category, grievance.product_user) == ("automated_decision", "yes")
    assert track.state == "explanation_requested"
    assert track.explanation_question == "Kwa nini mshahara wangu ulikatwa?"

    given = console.post(
        grievance, f"/tracks/{track.id}/triggers/give_explanation", {"explanation": WHY}
    )

    assert given.status_code == 302, given.get_data(as_text=True)
    (message,) = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == grievance.id,
            OutboxMessage.template == "explanation_given",
        )
    )
    assert message.channel == "sms"
    assert message.language == "sw"
    assert WHY in message.body
    assert message.body.startswith("Kesi")


def test_with_two_organisations_the_person_names_one_by_its_number(
    phone: Phone, scenario: Scenario
) -> None:
    filed = file_by_phone(phone, "fr")
    filed.grievance.category = "automated_decision"
    db.session.commit()
    company, partner = classify_two_ways(scenario, filed.grievance, TrackKind.CAUSE)

    asked = phone.send("EXPLIQUER")

    assert asked == rendered(
        sms_texts.EXPLAIN_WHICH,
        "fr",
        explain="EXPLIQUER",
        choices=f"1 {scenario.company.name}, 2 {scenario.partner.name}",
    )
    assert phone.send("expliquer 2 Pourquoi?") == rendered(sms_texts.EXPLAIN_RECEIVED, "fr")
    db.session.expire_all()
    assert (company.state, partner.state) == ("planning", "explanation_requested")
    assert partner.explanation_question == "Pourquoi?"


def test_explain_on_a_case_without_an_automated_decision_says_the_step_is_closed(
    phone: Phone, scenario: Scenario
) -> None:
    filed = file_by_phone(phone)
    track = in_remedy(scenario, filed.grievance)

    reply = phone.send("EXPLAIN why?")

    assert reply == rendered(sms_texts.STEP_CLOSED, "en", status="STATUS")
    db.session.expire_all()
    assert track.state == "planning"
