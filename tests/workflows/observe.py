"""What tests look at after acting through the services: the outbox, the audit log, the clock.

Nothing here changes a state: time moves by passing ``now`` to ``run_deadlines``
or by writing timestamps straight into the database, never by sleeping.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from remedy.accounts import users as accounts
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.models import AuditEvent, Organisation, Role
from remedy.models.outbox_message import MessageChannel, OutboxMessage
from tests.workflows.scenarios import PASSWORD


class Outbox:
    """Reads the messages queued since the last look, so each step is checked on its own."""

    def __init__(self) -> None:
        self.mark = 0
        self.skip()

    def skip(self) -> None:
        """Forget what is queued so far."""
        self.mark = db.session.scalar(select(func.max(OutboxMessage.id))) or 0

    def new(self) -> list[OutboxMessage]:
        """Everything queued since the last look (people's and staff's), oldest first."""
        found = list(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.id > self.mark).order_by(OutboxMessage.id)
            )
        )
        if found:
            self.mark = found[-1].id
        return found


def for_people(messages: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    return [m for m in messages if m.channel is not MessageChannel.CONSOLE]


def for_staff(messages: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    return [m for m in messages if m.channel is MessageChannel.CONSOLE]


def recipient(message: OutboxMessage) -> str:
    """Who a message is for: ``p<person>``, ``o<proxy organisation>`` or ``u<user>``."""
    if message.person_id is not None:
        return f"p{message.person_id}"
    if message.organisation_id is not None:
        return f"o{message.organisation_id}"
    return f"u{message.user_id}"


def templates(messages: Iterable[OutboxMessage]) -> Counter[str]:
    return Counter(m.template for m in messages)


def per_recipient(messages: Iterable[OutboxMessage]) -> dict[str, Counter[str]]:
    """Template -> how many messages each recipient got of it."""
    table: dict[str, Counter[str]] = {}
    for message in messages:
        table.setdefault(message.template, Counter())[recipient(message)] += 1
    return table


def alerted_users(messages: Iterable[OutboxMessage], template: str) -> set[int]:
    return {m.user_id for m in for_staff(messages) if m.template == template and m.user_id}


def staff_id(actor: Actor) -> int:
    assert actor.id is not None
    return int(actor.id)


def add_supervisor(email: str, organisation: Organisation | None = None) -> Actor:
    return Actor.for_user(
        accounts.create_user(OPERATOR, email, PASSWORD, Role.SUPERVISOR, organisation)
    )


def audit_actions(subject_id: object | None = None) -> list[str]:
    query = select(AuditEvent.action).order_by(AuditEvent.seq)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_id == str(subject_id))
    return list(db.session.scalars(query))


def rewrite(record: Any, **timestamps: datetime | None) -> None:
    """Move a record's clock by writing its timestamps in the database (no sleeping)."""
    for name, value in timestamps.items():
        setattr(record, name, value)
    db.session.commit()
