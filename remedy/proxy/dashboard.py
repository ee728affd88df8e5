"""The organisation's dashboard: its cases, newest first, with where each stands and whether
a mandate is in force.

An organisation sees the grievances it filed or holds (or held) a mandate for, never
another organisation's (``visibility``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from math import ceil

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from remedy.cases.status import CaseStatus, case_status
from remedy.cases.triggers import state_label
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.identity.visibility import visible_grievances
from remedy.models.grievance import Grievance
from remedy.models.mandate import Mandate, MandateStatus
from remedy.models.types import utcnow
from remedy.proxy.membership import member_organisation

PAGE_SIZE = 50


@dataclass(frozen=True)
class CaseRow:
    reference: str
    received_at: datetime
    state: str
    tracks: list[str]
    status: CaseStatus
    people_affected: int
    mandate: MandateStatus | None


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    page: int
    pages: int
    total: int


def _mandate_status(held: Sequence[Mandate], today: date) -> MandateStatus | None:
    """In force if any is; else how the latest one ended; None if none was recorded."""
    if not held:
        return None
    statuses = [mandate.status_on(today) for mandate in held]
    if MandateStatus.VALID in statuses:
        return MandateStatus.VALID
    return max(held, key=lambda m: (m.created_at, m.id)).status_on(today)


def organisation_cases(actor: Actor, page: int = 1) -> CasePage:
    """The organisation's cases, newest first, a page at a time; three queries a page."""
    member_organisation(actor)
    visible = visible_grievances(actor)
    total = db.session.scalar(select(func.count(Grievance.id)).where(visible)) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    grievances = db.session.scalars(
        select(Grievance)
        .where(visible)
        .options(selectinload(Grievance.tracks))
        .order_by(Grievance.received_at.desc(), Grievance.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    held: dict[int, list[Mandate]] = {}
    for mandate in db.session.scalars(
        select(Mandate).where(
            Mandate.organisation_id == actor.organisation_id,
            Mandate.grievance_id.in_([g.id for g in grievances]),
        )
    ):
        held.setdefault(mandate.grievance_id, []).append(mandate)
    today = utcnow().date()
    rows = [
        CaseRow(
            reference=grievance.reference,
            received_at=grievance.received_at,
            state=state_label(grievance),
            tracks=[state_label(track) for track in grievance.tracks],
            status=case_status(grievance),
            people_affected=grievance.people_affected,
            mandate=_mandate_status(held.get(grievance.id, []), today),
        )
        for grievance in grievances
    ]
    return CasePage(rows, page, pages, total)
