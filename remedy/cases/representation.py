"""Who represents whom: the mandates in force on a case, read by every rule that asks.

A proxy acts for people only while a valid mandate covers what it does, and receives
their messages only while one says so. The who-may rules (``policy``), check-ins and
message routing read these answers; recording and withdrawing mandates is the proxy
feature's (``remedy.proxy.mandates``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.mandate import Mandate
from remedy.models.person import Person
from remedy.models.types import utcnow
from remedy.workflows.definition import MandateScope


def mandates_on(grievance: Grievance) -> Iterable[Mandate]:
    return db.session.scalars(
        select(Mandate).where(Mandate.grievance_id == grievance.id).order_by(Mandate.id)
    )


def covers(mandate: Mandate, grievance: Grievance, person: Person | None) -> bool:
    """A group mandate covers everyone; a person's mandate covers that person, or the whole
    grievance when that person is its only one."""
    if mandate.person_id is None:
        return True
    if person is not None:
        return mandate.person_id == person.id
    only_person = grievance.people[0].person_id if len(grievance.people) == 1 else None
    return mandate.person_id == only_person


def valid_mandate(
    organisation_id: int | None,
    grievance: Grievance,
    scope: MandateScope,
    person: Person | None = None,
    today: date | None = None,
) -> Mandate | None:
    """A mandate of this organisation covering this scope today, for ``person``; with no person,
    for the whole grievance (a group mandate, or one for its only person)."""
    if organisation_id is None:
        return None
    today = today or utcnow().date()
    for mandate in mandates_on(grievance):
        if (
            covers(mandate, grievance, person)
            and mandate.organisation_id == organisation_id
            and mandate.is_valid_on(today)
            and scope.value in mandate.scopes
        ):
            return mandate
    return None


def mandate_refusal(
    organisation_id: int | None,
    grievance: Grievance,
    scope: MandateScope,
    person: Person | None = None,
) -> str | None:
    """Why this organisation cannot act under a mandate now, in words it can act on; None
    when a valid mandate covers it. The guard decides; this explains its refusal."""
    today = utcnow().date()
    if valid_mandate(organisation_id, grievance, scope, person, today) is not None:
        return None
    held = [
        mandate
        for mandate in mandates_on(grievance)
        if mandate.organisation_id == organisation_id and covers(mandate, grievance, person)
    ]
    if not held:
        return _("Your organisation holds no mandate for this.")
    if any(mandate.is_valid_on(today) for mandate in held):
        return _("Your organisation's mandate does not allow this.")
    latest = max(held, key=lambda mandate: (mandate.created_at, mandate.id))
    if latest.awaiting_consent and latest.withdrawn_at is None:
        return _(
            "The people withdrew your organisation's mandate before: the new one gives no "
            "rights until they confirm it."
        )
    if latest.withdrawn_at is not None:
        return _(
            "The mandate was withdrawn on %(date)s: your organisation can no longer act for "
            "these people.",
            date=format_date(latest.withdrawn_at, "long"),
        )
    return _(
        "The mandate ended on %(date)s: record a new mandate to act for these people again.",
        date=format_date(latest.valid_until, "long"),
    )


def mandates_receiving_messages(grievance: Grievance) -> list[Mandate]:
    today = utcnow().date()
    return [
        mandate
        for mandate in mandates_on(grievance)
        if mandate.proxy_receives_messages and mandate.is_valid_on(today)
    ]


def mandates_of(organisation_id: int | None, grievance: Grievance) -> list[Mandate]:
    """Every mandate this organisation held for the grievance, valid or not, oldest first."""
    return [m for m in mandates_on(grievance) if m.organisation_id == organisation_id]


@dataclass(frozen=True)
class Representative:
    """An organisation that speaks for the people of a case, as the people see it."""

    organisation_id: int
    name: str
    # Its mandates in force or waiting for the people's consent, oldest first.
    mandates: tuple[Mandate, ...]

    @property
    def pending(self) -> bool:
        """Only waiting for the people's consent: it cannot act for them yet."""
        return all(mandate.awaiting_consent for mandate in self.mandates)


def speaks_for(mandate: Mandate, person_id: int | None, today: date) -> bool:
    """Whether the people (``person_id``, or the whole case for None) can still withdraw
    this mandate: not withdrawn, not ended, and covering them."""
    return (
        mandate.withdrawn_at is None
        and today <= mandate.valid_until
        and (person_id is None or mandate.person_id in (None, person_id))
    )


def representatives(grievance: Grievance, person_id: int | None = None) -> list[Representative]:
    """The organisations holding a mandate for these people (in force or waiting for their
    consent), in the order they first got one: the list the people withdraw from."""
    today = utcnow().date()
    held: dict[int, list[Mandate]] = {}
    for mandate in mandates_on(grievance):
        if speaks_for(mandate, person_id, today):
            held.setdefault(mandate.organisation_id, []).append(mandate)
    return [
        Representative(organisation_id, found[0].organisation.name, tuple(found))
        for organisation_id, found in held.items()
    ]
