"""The demo's learning (UNGP 31): root causes on the cases past screening, confirmed on
the closed ones but one (whose page then asks), and two lessons learned, one of them
overdue. The taxonomy itself is seeded by migration 0035, as on any first run."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from remedy.cases import case_root_causes, lessons
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.grievance import Category, Grievance
from remedy.models.lesson import LessonStatus
from remedy.models.organisation import Organisation
from remedy.models.root_cause import RootCause
from remedy.models.types import utcnow

# What each category was usually caused by, in the demo's stories.
CAUSES: dict[Category, tuple[str, ...]] = {
    Category.LABOUR: ("wages", "working_conditions"),
    Category.HEALTH_AND_SAFETY: ("working_conditions",),
    Category.LAND: ("land", "community_relations"),
    Category.ENVIRONMENT: ("water",),
    Category.SECURITY_FORCES: ("security_forces",),
    Category.AUTOMATED_DECISION: ("automated_decision",),
    Category.COMMUNITY: ("community_relations",),
}
LESSONS = (
    (
        "Pay slips list every hour worked, overtime included; the payroll team checks "
        "them against the gate records each month.",
        ("wages", "working_conditions"),
        "kilima",
        60,
        LessonStatus.IN_PROGRESS,
        Category.LABOUR,
    ),
    (
        "Guards of security contractors are trained on the use of force before they are "
        "posted, and incidents are reviewed with the community every quarter.",
        ("security_forces", "community_relations"),
        "simba",
        -10,
        LessonStatus.PLANNED,
        Category.SECURITY_FORCES,
    ),
)


def seed_learning(handler: Actor, supervisor: Actor, orgs: dict[str, Organisation]) -> int:
    """Root causes on the demo's cases and its lessons; returns how many cases got causes."""
    keys = {cause.key: cause.id for cause in db.session.scalars(select(RootCause))}
    grievances = list(db.session.scalars(select(Grievance).order_by(Grievance.id)))
    given, left_to_confirm = 0, False
    for grievance in grievances:
        story = CAUSES.get(grievance.category, ()) if grievance.category else ()
        wanted = [keys[key] for key in story if key in keys]
        if not wanted or not case_root_causes.may_set_root_causes(handler, grievance):
            continue
        if grievance.is_ended and not left_to_confirm:
            left_to_confirm = True  # its page asks to confirm the causes
            continue
        case_root_causes.set_root_causes(handler, grievance, wanted)
        given += 1
    owner = supervisor.user_id
    today = utcnow().date()
    for text, causes, organisation, days, status, category in LESSONS:
        taught = [g.reference for g in grievances if g.category is category][:2]
        lessons.create_lesson(
            supervisor,
            lessons.LessonInput(
                text,
                [keys[key] for key in causes if key in keys],
                owner,
                today + timedelta(days=days),
                status,
                orgs[organisation].id,
                tuple(taught),
            ),
        )
    return given
