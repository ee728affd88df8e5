"""The console's SMS simulator: staff type as a phone, see the replies and the outbox, with
plain forms (no JavaScript), driven by the same conversation service as the webhook."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.references import display
from remedy.messaging import sms_texts
from remedy.models import Channel, Conversation, Grievance, Organisation, OrganisationKind, Role
from remedy.models.types import utcnow
from remedy.sms.upkeep import expire_idle_conversations
from tests.sms.conftest import Phone, a_number, rendered
from tests.support import csrf_token, make_account, make_organisation, sign_in

PAGE = "/console/simulator/"


def type_message(client: FlaskClient, body: str, number: str = "001", channel: str = "sms") -> str:
    page = client.get(f"{PAGE}?number={number}&channel={channel}")
    assert page.status_code == 200
    response = client.post(
        PAGE,
        data={
            "number": number,
            "channel": channel,
            "body": body,
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.location.startswith(f"{PAGE}?number={number}")
    return unescape(client.get(response.location).get_data(as_text=True))


@pytest.fixture
def handler(client: FlaskClient) -> FlaskClient:
    sign_in(client, make_account("handler@example.org", Role.HANDLER))
    return client


def test_staff_only(client: FlaskClient) -> None:
    assert client.get(PAGE).status_code == 302  # to sign-in
    proxy = make_account("member@ngo.example", Role.PROXY_MEMBER)
    sign_in(client, proxy)
    assert client.get(PAGE).status_code == 403


def test_a_whole_conversation_typed_in_the_simulator_files_a_grievance(
    handler: FlaskClient,
) -> None:
    html = type_message(handler, "BONJOUR")
    assert rendered(sms_texts.WHAT_HAPPENED, "fr") in html
    for body in ("La mine a pollué le puits.", "0", "Kilifi", "1", "2"):
        type_message(handler, body)
    html = type_message(handler, "1")
    grievance = db.session.scalars(select(Grievance)).one()
    assert grievance.channel is Channel.SMS
    assert grievance.language == "fr"
    assert display(grievance.reference) in html
    # The acknowledgement the outbox queued for this number, decrypted for staff.
    assert "sms · pending" in html
    assert "La mine a pollué le puits." in html


def test_whatsapp_can_be_simulated(handler: FlaskClient) -> None:
    type_message(handler, "HOLA", number="002", channel="whatsapp")
    conversation = db.session.scalars(select(Conversation)).one()
    assert conversation.channel is Channel.WHATSAPP
    assert conversation.phone == "+447700900002"


def test_only_fictional_numbers_can_be_used(handler: FlaskClient) -> None:
    page = handler.get(PAGE)
    token = csrf_token(page.get_data(as_text=True))
    for number in ("+254700000001", "1234", "abc", ""):
        response = handler.post(
            PAGE, data={"number": number, "channel": "sms", "body": "HI", "csrf_token": token}
        )
        assert response.status_code == 400
    assert db.session.scalars(select(Conversation)).all() == []


def test_the_simulator_shows_only_its_own_numbers(
    handler: FlaskClient, client: FlaskClient
) -> None:
    real = Phone(client, a_number())
    real.send("HELLO")
    real.send("My real secret complaint")
    html = handler.get(f"{PAGE}?number=001").get_data(as_text=True)
    assert "My real secret complaint" not in html


def test_read_only_roles_cannot_type(client: FlaskClient) -> None:
    sign_in(client, make_account("auditor@example.org", Role.AUDITOR))
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="body"' not in html
    response = client.post(
        PAGE, data={"number": "001", "channel": "sms", "body": "HI", "csrf_token": "x"}
    )
    assert response.status_code in (400, 403)
    assert db.session.scalars(select(Conversation)).all() == []


def test_staff_of_an_organisation_neither_see_nor_open_the_simulator(
    client: FlaskClient,
) -> None:
    company = make_organisation("Acme Mining", OrganisationKind.COMPANY)
    sign_in(client, make_account("team@acme.example", Role.HANDLER, company))

    assert client.get(PAGE).status_code == 403
    assert "/console/simulator" not in client.get("/console/").get_data(as_text=True)


def test_unfinished_drafts_are_listed_for_case_workers(
    handler: FlaskClient, client: FlaskClient
) -> None:
    real = Phone(client, "+254711000321")
    real.send("HABARI")
    real.send("Lori zinapita usiku kucha.")
    expire_idle_conversations(utcnow() + timedelta(days=2))
    html = handler.get(PAGE).get_data(as_text=True)
    assert "Lori zinapita usiku kucha." in html
    assert "+254711000321" not in html  # the number is not shown, only its end
    assert "321" in html


def test_organisation_staff_do_not_see_drafts(client: FlaskClient) -> None:
    real = Phone(client, "+254711000322")
    real.send("HELLO")
    real.send("Unfinished words about the company")
    expire_idle_conversations(utcnow() + timedelta(days=2))
    company: Organisation = make_organisation("Acme Mining", OrganisationKind.COMPANY)
    sign_in(client, make_account("staff@acme.example", Role.HANDLER, company))
    html = client.get(PAGE).get_data(as_text=True)
    assert "Unfinished words about the company" not in html


def test_a_supervisor_sees_failed_messages_and_retries_them(client: FlaskClient) -> None:
    from remedy.models.inbound_message import InboundMessage, InboxOutcome
    from remedy.models.types import utcnow
    from remedy.sms.inbound import InboundText
    from remedy.sms.inbox import accept

    stored = accept(InboundText("SM" + "f" * 32, "+254700555111", Channel.SMS, "Habari"))
    stored.attempts, stored.outcome, stored.processed_at = 5, InboxOutcome.FAILED, utcnow()
    stored.last_error = "RuntimeError at filing:42"
    db.session.commit()
    sign_in(client, make_account("boss@example.org", Role.SUPERVISOR))

    html = client.get(PAGE).get_data(as_text=True)
    assert "RuntimeError at filing:42" in html
    assert "Habari" not in html
    token = csrf_token(html)
    response = client.post(f"{PAGE}inbox/{stored.id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    retried = db.session.get(InboundMessage, stored.id)
    assert retried is not None
    assert retried.outcome is None
    assert "RuntimeError at filing:42" not in client.get(PAGE).get_data(as_text=True)


def test_a_handler_cannot_retry_a_failed_message(handler: FlaskClient) -> None:
    token = csrf_token(handler.get(PAGE).get_data(as_text=True))
    assert handler.post(f"{PAGE}inbox/1/retry", data={"csrf_token": token}).status_code == 403
