"""The demo shows learning at work: root causes on its cases (confirmed on the closed ones
but one, whose page asks), and lessons learned, one of them overdue."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from remedy.cases import case_root_causes
from remedy.core.extensions import db
from remedy.demo.seed import seed_demo
from remedy.models import Grievance, GrievanceRootCause, Lesson
from remedy.models.types import utcnow


def test_the_demo_seeds_root_causes_and_lessons(app: Flask) -> None:
    seed_demo(password="a long enough demo passphrase")

    with_causes = db.session.scalar(
        select(func.count(func.distinct(GrievanceRootCause.grievance_id)))
    )
    assert with_causes is not None
    assert with_causes >= 5
    closed = [g for g in db.session.scalars(select(Grievance)) if g.is_ended]
    waiting = [g for g in closed if case_root_causes.awaits_confirmation(g)]
    assert any(case_root_causes.confirmation_of(g) is not None for g in closed)
    assert waiting
    found = list(db.session.scalars(select(Lesson).order_by(Lesson.id)))
    assert len(found) == 2
    assert [lesson.is_overdue(utcnow().date()) for lesson in found] == [False, True]
    assert all(lesson.grievances for lesson in found)
