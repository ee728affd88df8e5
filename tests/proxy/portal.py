"""Helpers for the portal tests: the filing form as a member fills it, the reference on the
result page, and a snapshot of everything an action could change."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO
from typing import Any

import pyotp
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from remedy.accounts import users as accounts
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.core.references import normalise
from remedy.models import (
    AddedInformation,
    Appeal,
    AuditEvent,
    CheckInResponse,
    Grievance,
    Mandate,
    User,
)
from remedy.models.outbox_message import OutboxMessage
from remedy.models.types import utcnow
from remedy.workflows.definition import MandateScope
from tests.support import Account, csrf_token
from tests.workflows.scenarios import PASSWORD

# The smallest file that reads as a PDF: what a scanned consent form starts with.
CONSENT_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
REFERENCE = re.compile(r'id="reference">(\d{4} \d{4})<')
PIN = re.compile(r'id="pin">(\d{6})<')


def enrolled(actor: Actor) -> Account:
    """The account of one of the Scenario's cast, given an authenticator so it can sign in."""
    assert actor.id is not None
    user = db.session.get(User, int(actor.id))
    assert user is not None
    secret = accounts.begin_enrolment(user)
    user.totp_enrolled_at = utcnow()
    db.session.commit()
    return Account(user, PASSWORD, pyotp.TOTP(secret))


def in_a_year() -> str:
    return (utcnow().date() + timedelta(days=365)).isoformat()


def filing(**overrides: Any) -> dict[str, Any]:
    """A group of three named people among twelve affected, every scope, thumbprint consent."""
    data: dict[str, Any] = {
        "for_whom": "group",
        "people": "Amina Wanjiru, +254711100101\nJoseph Otieno, +254711100102\nGrace Achieng",
        "people_affected": "12",
        "language": "sw",
        "description": "The new quarry wall floods our fields every time it rains.",
        "category": "land",
        "location": "Kilima village",
        "harm_date": "",
        "identity": "yes",
        "reprisal_risk": "none",
        "recipients": "both",
        "scopes": [scope.value for scope in MandateScope],
        "consent_method": "thumbprint",
        "valid_until": in_a_year(),
        "consent_note": "Witnessed by the village elder.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def file_for_others(
    client: FlaskClient, evidence: bytes | None = None, **overrides: Any
) -> TestResponse:
    """Open the filing page, fill it in, and send it as the browser would (multipart)."""
    html = client.get("/proxy/file").get_data(as_text=True)
    data = {**filing(**overrides), "csrf_token": csrf_token(html)}
    if evidence is not None:
        data["evidence"] = (BytesIO(evidence), "consent.pdf", "application/pdf")
    return client.post("/proxy/file", data=data, content_type="multipart/form-data")


def filed(response: TestResponse) -> Grievance:
    """The grievance whose reference the result page shows."""
    assert response.status_code == 200, response.get_data(as_text=True)
    match = REFERENCE.search(response.get_data(as_text=True))
    assert match, "the result page shows no reference"
    grievance = db.session.scalars(
        select(Grievance).where(Grievance.reference == normalise(match.group(1)))
    ).one()
    return grievance


def count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def snapshot(grievance: Grievance) -> dict[str, object]:
    """Everything acting on a case can change, read fresh from the database."""
    db.session.expire_all()
    fresh = db.session.get(Grievance, grievance.id)
    assert fresh is not None
    return {
        "state": fresh.state,
        "version": fresh.version,
        "tracks": [(track.state, track.version) for track in fresh.tracks],
        "outbox": count(OutboxMessage, OutboxMessage.grievance_id == fresh.id),
        "audit": count(AuditEvent),
        "information": count(AddedInformation, AddedInformation.grievance_id == fresh.id),
        "answers": count(CheckInResponse),
        "appeals": count(Appeal, Appeal.grievance_id == fresh.id),
        "mandates": [
            (m.withdrawn_at, m.valid_until)
            for m in db.session.scalars(select(Mandate).where(Mandate.grievance_id == fresh.id))
        ],
    }


def post_on_page(
    client: FlaskClient, page: str, action: str, data: dict[str, Any] | None = None
) -> TestResponse:
    """Post one of a page's forms with the page's CSRF token, as a browser would."""
    html = client.get(page).get_data(as_text=True)
    return client.post(action, data={**(data or {}), "csrf_token": csrf_token(html)})


def record_mandate_on_page(client: FlaskClient, case_page: str) -> None:
    """The member records a further mandate for the whole group on the case's page: every
    scope but filing, for 90 days."""
    page = f"{case_page}/mandates/new"
    response = client.post(
        page,
        data={
            "csrf_token": csrf_token(client.get(page).get_data(as_text=True)),
            "person": "",
            "scopes": ["follow", "answer_proposals", "answer_check_ins"],
            "consent_method": "witnessed_verbal",
            "valid_until": (utcnow().date() + timedelta(days=90)).isoformat(),
            "receive_messages": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def withdrawals() -> list[tuple[str, str]]:
    """Who withdrew each mandate, and on which channel, as the audit log recorded it."""
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "mandate.withdraw").order_by(AuditEvent.seq)
    )
    return [(event.actor_kind, (event.after or {}).get("channel", "")) for event in events]


def consulted(**overrides: str) -> dict[str, str]:
    """How a member says the group was consulted before deciding for all of them."""
    return {
        "consulted_how": "meeting",
        "consulted_on": utcnow().date().isoformat(),
        "participants": "2",
        **overrides,
    }
