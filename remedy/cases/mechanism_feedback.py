"""The people's feedback on the mechanism (UNGP 31 (g), a source of continuous learning):
once a case ends, the affected people are asked one question on their own channel, "How
fair was the way we handled your complaint? 1 (not at all) to 5 (very)", with an
optional comment.

When it is asked: when the grievance enters an ended state with a decision (resolved,
not admissible, no involvement), in the same message flow as the decision (the question
follows the closing message). It stays open while the decision can be appealed; an
appeal, once decided, ends the case again and the question is put again. A withdrawn
case is never asked (the people stopped it, often for their safety). The message goes
through :func:`remedy.cases.notify.notify_people`, so every rule of the other asks
holds: a discreet phone hears only that there is news (STATUS with the PIN shows the
question and unlocks the answer), contact on hold sends nothing until it is lifted, a
proxy receiving the messages sees it on its portal.

Who answers: a person for themselves (their phone, or reference and PIN for the one
who filed), or an NGO whose mandate lets it answer check-ins for that person. One
answer per person per grievance: a later one replaces the earlier (the view after the
latest ending counts; the audit log keeps each). Never staff.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select

from remedy.audit import log as audit
from remedy.cases import asks
from remedy.cases.notify import notify_people
from remedy.cases.policy import holds_mandate, is_complainant
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, TriggerRefused
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.models.ask import Ask, AskKind
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import PersonRole
from remedy.models.mechanism_feedback import FeedbackVia, MechanismFeedback
from remedy.models.person import Person
from remedy.models.types import utcnow
from remedy.workflows.definition import MandateScope
from remedy.workflows.states import IntakeState

FAIRNESS_TEMPLATE = "fairness"
# An NGO that answers check-ins for the people answers this for them too.
FAIRNESS_SCOPE = MandateScope.ANSWER_CHECK_INS
# The endings that ask: a decision was taken (a withdrawn case is never asked).
ASKED_AFTER = frozenset(
    {IntakeState.RESOLVED, IntakeState.NOT_ADMISSIBLE, IntakeState.NO_INVOLVEMENT}
)
SCORES = range(1, 6)
MAX_COMMENT = 2000


def ask_when_ended(grievance: Grievance, event: str) -> None:
    """The grievance just ended: put the question to its people, after the closing
    message (``event`` names this ending, so each ending asks once)."""
    if grievance.state in ASKED_AFTER and grievance.erased_at is None:
        notify_people(grievance, FAIRNESS_TEMPLATE, event)


def question_open(grievance: Grievance, now: datetime | None = None) -> bool:
    """The case ended with a decision, and that decision can still be appealed."""
    ended_at = grievance.ended_at
    return (
        grievance.state in ASKED_AFTER
        and grievance.erased_at is None
        and ended_at is not None
        and (now or utcnow()) < ended_at + settings().appeal_window
    )


def feedback_of(grievance: Grievance, person_id: int | None) -> MechanismFeedback | None:
    query = select(MechanismFeedback).where(MechanismFeedback.grievance_id == grievance.id)
    if person_id is None:
        query = query.where(MechanismFeedback.person_id.is_(None))
    else:
        query = query.where(MechanismFeedback.person_id == person_id)
    return db.session.scalar(query)


def awaits(grievance: Grievance, person_id: int | None, now: datetime | None = None) -> bool:
    """The question is open and this person has not answered it since the case ended."""
    if not question_open(grievance, now):
        return False
    given = feedback_of(grievance, person_id)
    return given is None or (
        grievance.ended_at is not None and given.answered_at < grievance.ended_at
    )


def filer_of(grievance: Grievance) -> int | None:
    """Reference and PIN identify the one who filed, not each person of a group."""
    return next(
        (link.person_id for link in grievance.people if link.role is PersonRole.COMPLAINANT),
        None,
    )


def awaits_from(actor: Actor, grievance: Grievance) -> bool:
    """The person speaking (their phone, or reference and PIN) has the question to answer."""
    if actor.kind is not ActorKind.COMPLAINANT or not is_complainant(actor, grievance):
        return False
    person_id = actor.person_id if actor.person_id is not None else filer_of(grievance)
    return awaits(grievance, person_id)


def people_to_answer_for(actor: Actor, grievance: Grievance) -> list[Person]:
    """The people an NGO may answer for now: its mandate covers them, they have not
    answered themselves."""
    if not question_open(grievance):
        return []
    return [
        link.person
        for link in grievance.people
        if holds_mandate(actor, grievance, FAIRNESS_SCOPE, link.person)
        and awaits(grievance, link.person_id)
    ]


def parse_score(value: object) -> int:
    """1 to 5, whatever the form or the message sent (a clear error otherwise)."""
    try:
        score = int(str(value).strip())
    except (TypeError, ValueError):
        score = 0
    if score not in SCORES:
        raise InvalidInput(_("Choose a number from 1 (not at all) to 5 (very)."), "score")
    return score


def _answering_for(actor: Actor, grievance: Grievance, person_id: int | None) -> int | None:
    """Whose view the answer is; NotAllowed when the actor may not give it."""
    if actor.kind is ActorKind.COMPLAINANT and is_complainant(actor, grievance):
        return actor.person_id if actor.person_id is not None else filer_of(grievance)
    if actor.kind is ActorKind.PROXY:
        if person_id is None and len(grievance.people) == 1:
            person_id = grievance.people[0].person_id  # the case's one person
        person = next((p.person for p in grievance.people if p.person_id == person_id), None)
        if (person_id is None or person is not None) and holds_mandate(
            actor, grievance, FAIRNESS_SCOPE, person
        ):
            return person_id
    raise NotAllowed(_("Only the affected people or their proxy can answer this."))


@transactional
def answer_fairness(
    actor: Actor,
    grievance: Grievance,
    score: object,
    comment: str | None,
    via: FeedbackVia,
    person_id: int | None = None,
) -> MechanismFeedback:
    """Record how fair the handling was. ``person_id``: who a proxy answers for."""
    whose = _answering_for(actor, grievance, person_id)
    if not question_open(grievance):
        raise TriggerRefused(_("This question is closed."), "fairness")
    given = parse_score(score)
    comment = (comment or "").strip() or None
    if comment and len(comment) > MAX_COMMENT:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_COMMENT), "comment"
        )
    proxy = actor.organisation_id if actor.kind is ActorKind.PROXY else None
    feedback = feedback_of(grievance, whose) or MechanismFeedback(grievance=grievance)
    replaced = feedback.id is not None
    feedback.person_id = whose
    feedback.score = given
    feedback.comment = comment
    feedback.via = FeedbackVia.PROXY if proxy is not None else via
    feedback.answered_by = actor.id
    feedback.proxy_organisation_id = proxy
    feedback.answered_at = utcnow()
    grievance.updated_at = feedback.answered_at  # a change to the case: its version moves
    db.session.add(feedback)
    db.session.flush()
    _close_asks(grievance, whose)
    audit.record(
        actor,
        "mechanism_feedback.answer",
        "grievance",
        grievance.reference,
        after={
            "score": given,
            "comment": comment is not None,
            "via": str(feedback.via),
            "person_id": whose,
            "replaced": replaced,
        },
    )
    return feedback


def _close_asks(grievance: Grievance, person_id: int | None) -> None:
    """An answer on any channel closes the question still open on the person's phone."""
    query = select(Ask).where(
        Ask.kind == AskKind.FAIRNESS, Ask.grievance_id == grievance.id, Ask.closed_at.is_(None)
    )
    if person_id is not None:
        query = query.where(Ask.person_id == person_id)
    for ask in db.session.scalars(query):
        asks.close(ask, "answered")


# Reads for the statistics ---------------------------------------------------------------


def _within(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    """Answers given in [since, until)."""
    found = []
    if since is not None:
        found.append(MechanismFeedback.answered_at >= since)
    if until is not None:
        found.append(MechanismFeedback.answered_at < until)
    return found


def fairness_scores(since: datetime | None = None, until: datetime | None = None) -> dict[int, int]:
    """How many answers gave each score (1 to 5, every score listed), answered in
    [since, until)."""
    query = (
        select(MechanismFeedback.score, func.count())
        .where(*_within(since, until))
        .group_by(MechanismFeedback.score)
    )
    counts = {score: 0 for score in SCORES}
    for score, count in db.session.execute(query):
        counts[int(score)] = int(count)
    return counts


def fairness_comment_count(since: datetime | None = None, until: datetime | None = None) -> int:
    """How many of those answers came with a comment (the comments themselves are
    personal data, read on the case)."""
    query = (
        select(func.count())
        .select_from(MechanismFeedback)
        .where(MechanismFeedback.comment.is_not(None), *_within(since, until))
    )
    return int(db.session.scalar(query) or 0)
