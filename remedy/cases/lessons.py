"""Lessons learned and measures of non-repetition (UNGP 31): what changes, who sees to
it, by when, and which root causes and grievances taught it.

Administrators and supervisors of the mechanism write lessons; handlers and auditors read
them. A lesson is about causes, never people: it holds no personal data (the form says
so), so it is kept in clear, and its text stays out of the audit log all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases.root_causes import find_causes
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.references import normalise
from remedy.core.unit_of_work import transactional
from remedy.models.grievance import Grievance
from remedy.models.lesson import MAX_LESSON_LENGTH, Lesson, LessonStatus
from remedy.models.organisation import Organisation
from remedy.models.user import Role, User

WRITERS = frozenset({Role.ADMIN, Role.SUPERVISOR})
READERS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.HANDLER, Role.AUDITOR})
MAX_GRIEVANCES = 50


def _mechanism_staff(actor: Actor, roles: frozenset[Role]) -> bool:
    return actor.kind is ActorKind.STAFF and actor.organisation_id is None and actor.role in roles


def may_read_lessons(actor: Actor) -> bool:
    return _mechanism_staff(actor, READERS)


def may_write_lessons(actor: Actor) -> bool:
    return _mechanism_staff(actor, WRITERS)


@dataclass(frozen=True)
class LessonInput:
    """What the form gives, already typed; the service checks the rules."""

    text: str
    root_cause_ids: list[int]
    owner_user_id: int | None
    due_on: date | None
    status: LessonStatus = LessonStatus.PLANNED
    organisation_id: int | None = None
    references: tuple[str, ...] = ()


def owner_choices() -> list[tuple[int, str]]:
    """Who may own a measure: an active member of the mechanism's own staff."""
    users = db.session.scalars(
        select(User).where(User.active.is_(True), User.organisation_id.is_(None))
    )
    staff = [(user.id, user.display_name or user.email) for user in users if user.role.is_staff]
    return sorted(staff, key=lambda choice: choice[1].casefold())


def list_lessons(actor: Actor) -> list[Lesson]:
    """Open measures first, the soonest due first."""
    if not may_read_lessons(actor):
        raise NotAllowed(_("You may not read the lessons learned."))
    done = Lesson.status.in_([LessonStatus.DONE, LessonStatus.DROPPED])
    query = select(Lesson).order_by(done, Lesson.due_on, Lesson.id)
    return list(db.session.scalars(query))


def get_lesson(actor: Actor, lesson_id: int) -> Lesson:
    if not may_read_lessons(actor):
        raise NotAllowed(_("You may not read the lessons learned."))
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound(_("There is no such lesson."))
    return lesson


def _grievances(references: tuple[str, ...]) -> list[Grievance]:
    wanted = list(dict.fromkeys(normalise(text) for text in references if text.strip()))
    if len(wanted) > MAX_GRIEVANCES:
        raise InvalidInput(
            _("Link at most %(count)d grievances.", count=MAX_GRIEVANCES), "grievances"
        )
    found = list(
        db.session.scalars(
            select(Grievance).where(Grievance.reference.in_(wanted)).order_by(Grievance.id)
        )
    )
    missing = set(wanted) - {grievance.reference for grievance in found}
    if missing:
        raise InvalidInput(
            _("No case has the reference %(reference)s.", reference=sorted(missing)[0]),
            "grievances",
        )
    return found


def _apply(lesson: Lesson, given: LessonInput) -> None:
    text = (given.text or "").strip()
    if not text:
        raise InvalidInput(_("Say what was learned and what will change."), "text")
    if len(text) > MAX_LESSON_LENGTH:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_LESSON_LENGTH), "text"
        )
    if not given.root_cause_ids:
        raise InvalidInput(_("Choose at least one root cause."), "root_cause")
    causes = find_causes(given.root_cause_ids)
    if any(cause.is_retired and cause not in lesson.root_causes for cause in causes):
        raise InvalidInput(_("This root cause is retired: choose one in use."), "root_cause")
    if given.owner_user_id is None or given.owner_user_id not in dict(owner_choices()):
        raise InvalidInput(_("Choose who owns this measure."), "owner")
    if given.due_on is None:
        raise InvalidInput(_("Give a due date, such as 2027-03-31."), "due_on")
    if (
        given.organisation_id is not None
        and db.session.get(Organisation, given.organisation_id) is None
    ):
        raise InvalidInput(_("Choose one of the listed options."), "organisation")
    grievances = _grievances(given.references)
    lesson.text = text
    lesson.root_causes = causes
    lesson.owner_user_id = given.owner_user_id
    lesson.due_on = given.due_on
    lesson.status = given.status
    lesson.organisation_id = given.organisation_id
    lesson.grievances = grievances


def _summary(lesson: Lesson) -> dict[str, object]:
    """What the audit log keeps: never the text (its length shows it was written)."""
    return {
        "root_causes": [cause.key for cause in lesson.root_causes],
        "owner_user_id": lesson.owner_user_id,
        "due_on": lesson.due_on.isoformat() if lesson.due_on else None,
        "status": lesson.status.value if lesson.status else None,
        "organisation_id": lesson.organisation_id,
        "grievances": [grievance.reference for grievance in lesson.grievances],
        "text_length": len(lesson.text or ""),
    }


@transactional
def create_lesson(actor: Actor, given: LessonInput) -> Lesson:
    if not may_write_lessons(actor):
        raise NotAllowed(_("Only administrators and supervisors write lessons learned."))
    lesson = Lesson(created_by_user_id=actor.user_id)
    _apply(lesson, given)
    db.session.add(lesson)
    db.session.flush()
    audit.record(actor, "lesson.create", "lesson", lesson.id, after=_summary(lesson))
    return lesson


@transactional
def update_lesson(actor: Actor, lesson: Lesson, given: LessonInput) -> Lesson:
    if not may_write_lessons(actor):
        raise NotAllowed(_("Only administrators and supervisors write lessons learned."))
    before = _summary(lesson)
    text_before = lesson.text
    _apply(lesson, given)
    after = _summary(lesson)
    if before != after or text_before != lesson.text:
        db.session.flush()
        audit.record(actor, "lesson.update", "lesson", lesson.id, before=before, after=after)
    return lesson
