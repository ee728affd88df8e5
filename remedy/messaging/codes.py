"""One-time codes for a person's phone alone (a new PIN, the consent to a new mandate):
an SMS through the outbox, under a secret template, so that every staff screen, the
organisations' portal and the people's own status page show it masked or not at all."""

from __future__ import annotations

from remedy.core.extensions import db
from remedy.models.outbox_message import (
    SECRET_TEMPLATES,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from remedy.models.person import Person


def queue_code(
    dedupe_key: str, grievance_id: int, person: Person, language: str, template: str, body: str
) -> OutboxMessage:
    """Queue ``body``, which holds the code, to the person's phone."""
    if template not in SECRET_TEMPLATES:
        raise ValueError(f"{template} is not a secret template: the code would show to staff")
    message = OutboxMessage(
        dedupe_key=dedupe_key,
        grievance_id=grievance_id,
        person_id=person.id,
        channel=MessageChannel.SMS,
        address=person.phone,
        language=language,
        template=template,
        body=body,
        status=MessageStatus.PENDING,
    )
    db.session.add(message)
    return message
