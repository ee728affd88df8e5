"""Lessons learned and measures of non-repetition: the list (overdue ones marked), a new
one, and each one to read or update. Administrators and supervisors write; handlers and
auditors read (:mod:`remedy.cases.lessons`)."""

from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import lessons
from remedy.cases.root_causes import offered_causes
from remedy.console.learning import ROW_ID, actor_now, bp, check_form
from remedy.console.root_causes_acting import chosen_ids
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.i18n import current_language
from remedy.core.references import display
from remedy.models.lesson import LESSON_STATUS_LABELS, Lesson, LessonStatus
from remedy.models.organisation import Organisation
from remedy.models.types import MAX_ROW_ID, utcnow
from remedy.queue.trends import parse_day

READERS = tuple(lessons.READERS)
WRITERS = tuple(lessons.WRITERS)


def _number(text: str, field: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_ROW_ID:
        raise InvalidInput(_("Choose one of the listed options."), field)
    return int(text)


def parse_lesson(form: MultiDict[str, str]) -> lessons.LessonInput:
    """The form's fields, typed; a malformed one is a clear error naming it."""
    status_text = form.get("status", LessonStatus.PLANNED.value)
    if status_text not in {status.value for status in LessonStatus}:
        raise InvalidInput(_("Choose one of the listed options."), "status")
    return lessons.LessonInput(
        text=form.get("text", ""),
        root_cause_ids=chosen_ids(),
        owner_user_id=_number(form.get("owner", ""), "owner"),
        due_on=parse_day(form.get("due_on", ""), "due_on"),
        status=LessonStatus(status_text),
        organisation_id=_number(form.get("organisation", ""), "organisation"),
        references=tuple(re.split(r"[,;\n]+", form.get("grievances", ""))),
    )


def _form_page(
    lesson: Lesson | None, status: int = 200, error: InvalidInput | None = None
) -> tuple[str, int]:
    actor = actor_now()
    language = current_language()
    causes = {cause.id: cause for cause in offered_causes()}
    if lesson is not None:
        causes.update({cause.id: cause for cause in lesson.root_causes})
    organisations = db.session.execute(
        select(Organisation.id, Organisation.name).order_by(func.lower(Organisation.name))
    ).all()
    values: Any = request.form if error is not None else None
    page = render_template(
        "console/lesson.html",
        lesson=lesson,
        may_write=lessons.may_write_lessons(actor),
        causes=[(cid, causes[cid].label_in(language)) for cid in sorted(causes)],
        lesson_causes=[cause.label_in(language) for cause in lesson.root_causes] if lesson else [],
        owners=lessons.owner_choices(),
        organisations=organisations,
        statuses=list(LESSON_STATUS_LABELS.items()),
        error=error,
        values=values,
        chosen=set(values.getlist("root_cause")) if values is not None else None,
        display=display,
        linked=", ".join(display(item.reference) for item in lesson.grievances) if lesson else "",
        today=utcnow().date(),
    )
    return page, status


@bp.route("/lessons")
@roles_required(*READERS)
def lessons_index() -> str:
    actor = actor_now()
    language = current_language()
    found = lessons.list_lessons(actor)
    owners = dict(lessons.owner_choices())
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    return render_template(
        "console/lessons.html",
        lessons=found,
        labels={
            lesson.id: [cause.label_in(language) for cause in lesson.root_causes]
            for lesson in found
        },
        owners=owners,
        names=names,
        may_write=lessons.may_write_lessons(actor),
        today=utcnow().date(),
    )


@bp.route("/lessons/new")
@roles_required(*WRITERS)
def new_lesson() -> tuple[str, int]:
    return _form_page(None)


@bp.post("/lessons")
@roles_required(*WRITERS)
def create_lesson() -> Response | tuple[str, int]:
    check_form()
    try:
        lesson = lessons.create_lesson(actor_now(), parse_lesson(request.form))
    except InvalidInput as problem:
        db.session.rollback()
        return _form_page(None, problem.status, problem)
    flash(_("The lesson is saved."), "success")
    return redirect(url_for(".lesson", lesson_id=lesson.id))


@bp.route(f"/lessons/<{ROW_ID}:lesson_id>")
@roles_required(*READERS)
def lesson(lesson_id: int) -> tuple[str, int]:
    return _form_page(lessons.get_lesson(actor_now(), lesson_id))


@bp.post(f"/lessons/<{ROW_ID}:lesson_id>")
@roles_required(*WRITERS)
def update_lesson(lesson_id: int) -> Response | tuple[str, int]:
    actor = actor_now()
    found = lessons.get_lesson(actor, lesson_id)
    check_form()
    try:
        lessons.update_lesson(actor, found, parse_lesson(request.form))
    except InvalidInput as problem:
        db.session.rollback()
        return _form_page(lessons.get_lesson(actor, lesson_id), problem.status, problem)
    flash(_("The lesson is saved."), "success")
    return redirect(url_for(".lesson", lesson_id=lesson_id))
