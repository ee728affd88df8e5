"""Helpers for the learning tests: the taxonomy's seeded causes, an administrator, and
posting a console form whose fields repeat (ticked boxes)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models import AuditEvent, Role, RootCause
from tests.console.case_support import new_user
from tests.support import csrf_token


def cause(key: str) -> RootCause:
    found = db.session.scalar(select(RootCause).where(RootCause.key == key))
    assert found is not None, key
    return found


def admin() -> Actor:
    return new_user("admin@example.org", Role.ADMIN)


def post(
    client: FlaskClient, page: str, data: dict[str, Any], action: str | None = None
) -> TestResponse:
    """Open ``page`` like a browser, then post to ``action`` (or the page) with its token."""
    html = client.get(page).get_data(as_text=True)
    if "csrf_token" not in html:
        html = client.get("/account").get_data(as_text=True)
    return client.post(action or page, data={**data, "csrf_token": csrf_token(html)})


def events(action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
    return list(db.session.scalars(query))
