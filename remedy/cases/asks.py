"""What each phone number is being asked right now, so that its answer by SMS reaches
the step it answers (see :class:`remedy.models.ask.Ask`).

A message queued to a person's phone with a template that asks something opens an
ask: the team's question, a proposal, a check-in, an appeal offered, a reopening
offered. A newer ask of the same kind for the same case supersedes the older one.
Each ask expires at the decision's own deadline (the date to answer, the appeal or
monitoring window), else after a setting. The SMS dialogue opens its own follow-up
asks ("Tell us why", "What is missing?") through :func:`open_ask`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.models.ask import Ask, AskKind
from remedy.models.check_in import CheckIn
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.outbox_message import OutboxMessage
from remedy.models.person import Person
from remedy.models.types import utcnow

# The templates that ask the person something, and what they ask.
ASKING_TEMPLATES: dict[str, AskKind] = {
    "info_requested": AskKind.QUESTION,
    "remedy_proposed": AskKind.PROPOSAL,
    "check_in": AskKind.CHECK_IN,
    "follow_up": AskKind.CHECK_IN,
    "rejected": AskKind.APPEAL,
    "no_involvement": AskKind.APPEAL,
    "resolved": AskKind.APPEAL,
    "closed_unconfirmed": AskKind.REOPEN,
    "identity_consent": AskKind.CONSENT,
    "fairness": AskKind.FAIRNESS,
}


def open_ask(
    kind: AskKind,
    phone_hash: str,
    *,
    grievance: Grievance | None = None,
    person_id: int | None = None,
    track: InvolvementTrack | None = None,
    check_in: CheckIn | None = None,
    outbox: OutboxMessage | None = None,
    expires_at: datetime | None = None,
    held_text: str | None = None,
    unlocked_until: datetime | None = None,
    now: datetime | None = None,
) -> Ask:
    """Ask ``phone_hash`` something now; the same question about the same case before is
    superseded."""
    now = now or utcnow()
    supersede(kind, [phone_hash], grievance.id if grievance else None, track, now)
    ask = Ask(
        kind=kind,
        phone_hash=phone_hash,
        person_id=person_id,
        grievance=grievance,
        track=track,
        check_in=check_in,
        outbox_message=outbox,
        opened_at=now,
        expires_at=expires_at or now + settings().asks.reply_window,
        held_text=held_text,
        unlocked_until=unlocked_until,
    )
    db.session.add(ask)
    return ask


def follow_up(asked: Ask, kind: AskKind, now: datetime, held_text: str | None = None) -> Ask:
    """The dialogue's next question about the same step ("Tell us why")."""
    return open_ask(
        kind,
        asked.phone_hash,
        grievance=asked.grievance,
        person_id=asked.person_id,
        track=asked.track,
        check_in=asked.check_in,
        held_text=held_text,
        unlocked_until=asked.unlocked_until,
        now=now,
    )


def supersede(
    kind: AskKind,
    hashes: list[str],
    grievance_id: int | None,
    track: InvolvementTrack | None,
    now: datetime,
) -> None:
    """Close the same question put before about the same case (and track: each track's
    proposal or check-in is a question of its own)."""
    query = select(Ask).where(Ask.kind == kind, Ask.phone_hash.in_(hashes), Ask.closed_at.is_(None))
    if grievance_id is not None:
        query = query.where(Ask.grievance_id == grievance_id)
    if track is not None:
        query = query.where(Ask.track_id == track.id)
    else:
        query = query.where(Ask.track_id.is_(None))
    for older in db.session.scalars(query):
        close(older, "superseded", now)


def close(ask: Ask, outcome: str, now: datetime | None = None) -> None:
    ask.closed_at = now or utcnow()
    ask.outcome = outcome


def open_asks(hashes: list[str], now: datetime) -> list[Ask]:
    """The number's open, unexpired asks, newest first."""
    return list(
        db.session.scalars(
            select(Ask)
            .where(Ask.phone_hash.in_(hashes), Ask.closed_at.is_(None), Ask.expires_at > now)
            .order_by(Ask.opened_at.desc(), Ask.id.desc())
        )
    )


def pending_for(grievance: Grievance, now: datetime) -> Ask | None:
    """The newest step the case waits for from its people by phone (a question not
    answered yet, a proposal, a check-in, an appeal or reopening offered)."""
    return db.session.scalar(
        select(Ask)
        .where(
            Ask.grievance_id == grievance.id,
            Ask.kind.in_(ASKING_TEMPLATES.values()),
            Ask.added_information_id.is_(None),
            Ask.closed_at.is_(None),
            Ask.expires_at > now,
        )
        .order_by(Ask.opened_at.desc(), Ask.id.desc())
        .limit(1)
    )


def unlock(ask: Ask, phone_hash: str, now: datetime) -> Ask:
    """STATUS with the PIN: the number that gave it may answer the ask for a while, as if
    the case were not discreet (a number other than the one asked gets its own copy)."""
    until = now + settings().asks.unlock_window
    if ask.phone_hash == phone_hash:
        ask.unlocked_until = until
        return ask
    copy = open_ask(
        ask.kind,
        phone_hash,
        grievance=ask.grievance,
        person_id=ask.person_id,
        track=ask.track,
        check_in=ask.check_in,
        expires_at=ask.expires_at,
        held_text=ask.held_text,
        unlocked_until=until,
        now=now,
    )
    copy.outbox_message = ask.outbox_message
    return copy


def deadline(
    kind: AskKind,
    grievance: Grievance,
    track: InvolvementTrack | None,
    check_in: CheckIn | None,
    now: datetime,
) -> datetime:
    """Until when the answer counts: the decision's own deadline where there is one."""
    config = settings()
    found: datetime | None = None
    if kind is AskKind.QUESTION:
        found = grievance.due_at
    elif kind is AskKind.PROPOSAL and track is not None:
        found = track.due_at
    elif kind is AskKind.CHECK_IN:
        found = check_in.closes_at if check_in is not None else now + config.check_in_window
    elif kind is AskKind.APPEAL:
        found = (grievance.decided_at or now) + config.appeal_window
    elif kind is AskKind.REOPEN and track is not None:
        found = (track.ended_at or now) + config.monitoring_window
    elif kind is AskKind.FAIRNESS:
        # How fair the handling was: asked when the case ends, answerable while its
        # decision can still be appealed (remedy.cases.mechanism_feedback).
        found = (grievance.ended_at or now) + config.appeal_window
    return found if found is not None and found > now else now + config.asks.reply_window


def asked_by(
    template_key: str,
    message: OutboxMessage,
    person: Person,
    grievance: Grievance,
    track: InvolvementTrack | None = None,
    check_in: CheckIn | None = None,
    held_text: str | None = None,
) -> Ask | None:
    """The ask a message to a person's phone opens, when its template asks something.
    ``held_text``: the words a discreet phone was not sent, for STATUS to show."""
    kind = ASKING_TEMPLATES.get(template_key)
    if kind is None or person.phone_hash is None:
        return None
    now = utcnow()
    return open_ask(
        kind,
        person.phone_hash,
        grievance=grievance,
        person_id=person.id,
        track=track,
        check_in=check_in,
        outbox=message,
        expires_at=deadline(kind, grievance, track, check_in, now),
        held_text=held_text,
        now=now,
    )
