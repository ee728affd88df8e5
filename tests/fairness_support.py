"""Shared by the fairness tests of every channel: what the database now holds."""

from __future__ import annotations

from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.mechanism_feedback import MechanismFeedback


def answers_to_fairness(grievance: Grievance) -> list[MechanismFeedback]:
    """Every answer kept for the case, oldest first, read again from the database (what a
    request committed in its own session)."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(MechanismFeedback)
            .where(MechanismFeedback.grievance_id == grievance.id)
            .order_by(MechanismFeedback.id)
        )
    )
