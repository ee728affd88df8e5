"""Read-only figures for the console's front page."""

from __future__ import annotations

from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.models.grievance import Grievance


def grievances_by_state() -> dict[str, int]:
    rows = db.session.execute(
        select(Grievance.state, func.count(Grievance.id)).group_by(Grievance.state)
    ).all()
    return {str(state): int(count) for state, count in rows}
