"""A person's opt-out from phone messages, recorded alike whoever reports it.

The person may send STOP to us (the SMS conversation), or the provider may refuse a
message with 21610 because they sent STOP to it (a send failure or a status
callback). Either way the person gets no SMS or WhatsApp until START, later messages
wait on the web status page, and the audit log records it once: messaging sits below
the audit feature, so the ``person_opted_out`` signal carries the news to it inside the
same unit of work.
"""

from __future__ import annotations

import enum
from datetime import datetime

from remedy.core.signals import person_opted_out
from remedy.models.person import Person


class ReportedBy(enum.StrEnum):
    PERSON = "person"  # the STOP keyword reached us
    PROVIDER = "provider"  # the provider refused a message: 21610


def record_opt_out(person: Person, now: datetime, reported_by: ReportedBy) -> bool:
    """Mark the person opted out (once) and have it audited; whether this was news.

    The person must have an id (flushed): the audit event names it.
    """
    if person.phone_opted_out_at is not None:
        return False
    person.phone_opted_out_at = now
    person_opted_out.send(person, reported_by=reported_by)
    return True
