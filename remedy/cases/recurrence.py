"""Recurrence: a category and a place that keep coming back raise an alert to supervisors.

The policy (``REMEDY_RECURRENCE_THRESHOLD``, default 3; ``REMEDY_RECURRENCE_DAYS``,
default 30): when a new grievance makes at least *threshold* grievances of the same
category received within the last *days* whose places share a word, the mechanism's
supervisors are told (a console message, as triage tells them of a severe case), and
the case pages of those grievances suggest linking them into one incident.

Places are encrypted, so grievances are grouped through the place blind index
(:mod:`remedy.identity.place_index`): equal keyed hashes of a word, never a decrypted
place. Words too common to say "the same place" (``COMMON_WORDS``: "near", "village",
"the" ...) are left out. A grievance without a category or a place is never grouped.

Each alert is kept (category and term, never the word) so the same category and place
alert once per window: a later grievance of that category whose place shares a word with
an alerted one sends nothing more within the window (its case page still suggests the
others).

Root causes come back the same way (:func:`check_root_cause_recurrence`, UNGP 31): a root
cause set or confirmed on a case whose place shares a word with another case that had the
same cause recorded within ``REMEDY_ROOT_CAUSE_RECURRENCE_DAYS`` (default 180) alerts the
supervisors, once per cause and place within that window, through the same alerts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select

from remedy.audit import log as audit
from remedy.cases.notify import notify_staff
from remedy.core.actors import SYSTEM, Actor
from remedy.core.extensions import db
from remedy.core.i18n import current_language
from remedy.core.settings import settings
from remedy.identity.place_index import term_for
from remedy.identity.visibility import visible_grievances
from remedy.models.grievance import CATEGORY_TITLES, Grievance
from remedy.models.incident import IncidentGrievance, RecurrenceAlert
from remedy.models.queue import PlaceTerm
from remedy.models.root_cause import GrievanceRootCause, RootCause
from remedy.models.types import utcnow

# Normalised as place_words makes them (lower case, no accents).
COMMON_WORDS = frozenset(
    {
        # en
        "the", "of", "and", "in", "at", "on", "near", "by", "to", "from", "road", "street",
        "village", "town", "city", "area", "district", "site", "camp", "farm", "river",
        # fr
        "le", "la", "les", "de", "du", "des", "et", "pres", "rue", "route", "ville", "quartier",
        # es
        "el", "los", "las", "del", "en", "cerca", "calle", "pueblo", "ciudad", "barrio",
        # sw
        "ya", "wa", "na", "kwa", "karibu", "kijiji", "mji", "barabara", "mtaa",
        # ar
        "في", "قرب", "شارع", "قرية", "مدينة", "حي",
    }
)  # fmt: skip
SUGGESTIONS = 20


@dataclass(frozen=True)
class RecurrencePolicy:
    threshold: int
    window: timedelta


def policy() -> RecurrencePolicy:
    config = settings()
    return RecurrencePolicy(max(2, config.recurrence_threshold), config.recurrence_window)


def _place_terms(grievance: Grievance) -> list[str]:
    """The grievance's place terms, common words left out."""
    common = {term_for(word) for word in COMMON_WORDS}
    terms = db.session.scalars(select(PlaceTerm.term).where(PlaceTerm.grievance_id == grievance.id))
    return sorted(set(terms) - common)


def _same(grievance: Grievance, terms: list[str], window: timedelta) -> Select[Any]:
    """A select of the ids of grievances like this one (itself included)."""
    return (
        select(PlaceTerm.grievance_id)
        .join(Grievance, Grievance.id == PlaceTerm.grievance_id)
        .where(
            PlaceTerm.term.in_(terms),
            Grievance.category == grievance.category,
            Grievance.received_at >= utcnow() - window,
        )
    )


def check_recurrence(grievance: Grievance) -> list[RecurrenceAlert]:
    """After filing (joins the caller's unit of work): alert the supervisors if this
    grievance makes its category and place recur, unless they heard within the window."""
    if grievance.category is None or not grievance.location:
        return []
    rule = policy()
    terms = _place_terms(grievance)
    counts: dict[str, int] = {}
    for term in terms:
        counted = select(func.count(func.distinct(PlaceTerm.grievance_id))).where(
            PlaceTerm.grievance_id.in_(_same(grievance, [term], rule.window))
        )
        count = db.session.scalar(counted) or 0
        if count >= rule.threshold:
            counts[term] = count
    if not counts:
        return []
    # Heard already: an alert within the window about any word of this place (its
    # neighbours share words, "Nyando bridge" and "the bridge at Nyando": one place).
    heard = db.session.scalar(
        select(RecurrenceAlert.id)
        .where(
            RecurrenceAlert.category == grievance.category.value,
            RecurrenceAlert.root_cause_id.is_(None),
            RecurrenceAlert.term.in_(terms),
            RecurrenceAlert.raised_at >= utcnow() - rule.window,
        )
        .limit(1)
    )
    if heard is not None:
        return []
    new = counts
    alerts = [
        RecurrenceAlert(
            category=grievance.category.value, term=term, grievance_id=grievance.id, count=count
        )
        for term, count in new.items()
    ]
    db.session.add_all(alerts)
    db.session.flush()
    count = max(new.values())
    event = audit.record(
        SYSTEM,
        "grievance.recurrence",
        "grievance",
        grievance.reference,
        after={"category": grievance.category.value, "count": count, "alerts": len(alerts)},
    )
    values = {
        "count": count,
        "days": rule.window.days,
        "category": CATEGORY_TITLES[grievance.category],
    }
    notify_staff(grievance, "staff_recurrence", f"a{event.seq}", values=values)
    return alerts


def root_cause_window() -> timedelta:
    return settings().root_cause_recurrence_window


def _cause_back(grievance: Grievance, cause: RootCause, terms: list[str]) -> dict[str, int]:
    """Per place term, how many other cases had ``cause`` recorded within the window."""
    others = func.count(func.distinct(GrievanceRootCause.grievance_id))
    query = (
        select(PlaceTerm.term, others)
        .join(GrievanceRootCause, GrievanceRootCause.grievance_id == PlaceTerm.grievance_id)
        .where(
            GrievanceRootCause.root_cause_id == cause.id,
            GrievanceRootCause.grievance_id != grievance.id,
            GrievanceRootCause.set_at >= utcnow() - root_cause_window(),
            PlaceTerm.term.in_(terms),
        )
        .group_by(PlaceTerm.term)
    )
    return {term: int(count) for term, count in db.session.execute(query)}


def check_root_cause_recurrence(
    grievance: Grievance, causes: Sequence[RootCause], language: str
) -> list[RecurrenceAlert]:
    """After root causes are set or confirmed (joins the caller's unit of work): alert the
    supervisors for each cause another case at this place had within the window, unless
    they heard of that cause at this place within it. ``language``: of the cause's label."""
    terms = _place_terms(grievance) if grievance.location else []
    if not terms:
        return []
    since = utcnow() - root_cause_window()
    alerts: list[RecurrenceAlert] = []
    for cause in causes:
        back = _cause_back(grievance, cause, terms)
        heard = db.session.scalar(
            select(RecurrenceAlert.id)
            .where(
                RecurrenceAlert.root_cause_id == cause.id,
                RecurrenceAlert.term.in_(terms),
                RecurrenceAlert.raised_at >= since,
            )
            .limit(1)
        )
        if not back or heard is not None:
            continue
        new = [
            RecurrenceAlert(
                root_cause_id=cause.id, term=term, grievance_id=grievance.id, count=count + 1
            )
            for term, count in back.items()
        ]
        db.session.add_all(new)
        db.session.flush()
        count = max(alert.count for alert in new)
        event = audit.record(
            SYSTEM,
            "grievance.root_cause_recurrence",
            "grievance",
            grievance.reference,
            after={"root_cause": cause.key, "count": count, "alerts": len(new)},
        )
        values = {
            "count": count,
            "days": root_cause_window().days,
            "cause": cause.label_in(language),
        }
        notify_staff(grievance, "staff_root_cause_recurrence", f"a{event.seq}", values=values)
        alerts += new
    return alerts


def similar_grievances(actor: Actor, grievance: Grievance) -> list[Grievance]:
    """Other grievances of the same category and place within the window, not yet linked
    to an incident, that ``actor`` may see: what the case page suggests linking. Reads the
    place's terms only: the place itself is not decrypted."""
    if grievance.category is None:
        return []
    terms = _place_terms(grievance)
    if not terms:
        return []
    linked = select(IncidentGrievance.grievance_id)
    query = (
        select(Grievance)
        .where(
            Grievance.id.in_(_same(grievance, terms, policy().window)),
            Grievance.id != grievance.id,
            Grievance.id.not_in(linked),
            visible_grievances(actor),
        )
        .order_by(Grievance.received_at.desc())
        .limit(SUGGESTIONS)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class RecurrenceRow:
    """One alert on the supervisor page: the case that reached the threshold."""

    reference: str
    category: str
    count: int
    raised_at: datetime
    linked: bool
    # The root cause that came back ("" for a category's alert).
    root_cause: str = ""


def recent_alerts(actor: Actor, limit: int = SUGGESTIONS) -> list[RecurrenceRow]:
    """The alerts raised within their window on cases ``actor`` may see, newest first;
    root causes labelled in the reader's language."""
    language = current_language()
    raised = func.max(RecurrenceAlert.raised_at)
    within = or_(
        RecurrenceAlert.root_cause_id.is_(None)
        & (RecurrenceAlert.raised_at >= utcnow() - policy().window),
        RecurrenceAlert.root_cause_id.is_not(None)
        & (RecurrenceAlert.raised_at >= utcnow() - root_cause_window()),
    )
    query = (
        select(
            Grievance.id,
            Grievance.reference,
            Grievance.category,
            RecurrenceAlert.root_cause_id,
            func.max(RecurrenceAlert.count),
            raised,
        )
        .join(Grievance, Grievance.id == RecurrenceAlert.grievance_id)
        .where(within, visible_grievances(actor))
        .group_by(
            Grievance.id, Grievance.reference, Grievance.category, RecurrenceAlert.root_cause_id
        )
        .order_by(raised.desc(), Grievance.id, RecurrenceAlert.root_cause_id)
        .limit(limit)
    )
    rows = db.session.execute(query).all()
    ids = [row[0] for row in rows]
    linked = set(
        db.session.scalars(
            select(IncidentGrievance.grievance_id).where(IncidentGrievance.grievance_id.in_(ids))
        )
    )
    causes = {
        cause.id: cause.label_in(language)
        for cause in db.session.scalars(
            select(RootCause).where(RootCause.id.in_({row[3] for row in rows} - {None}))
        )
    }
    return [
        RecurrenceRow(
            reference,
            category.label if category else "",
            count,
            when,
            gid in linked,
            causes.get(cause_id, "") if cause_id else "",
        )
        for gid, reference, category, cause_id, count, when in rows
    ]
