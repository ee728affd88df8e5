"""The conversation's draft: how it moves on, when silence ends it, when the person is
reminded of it or offered it again, and the drafts the team reads because they never
became a grievance.

A conversation's steps are the workflow ``remedy.workflows.conversation``; one
``Conversation`` row holds its draft until the last answer files it. An expired draft
is reopened in the same row when the person chooses to go on (``open_key`` taken back).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.filing.grievances import MAX_DESCRIPTION_LENGTH
from remedy.models.conversation import Conversation
from remedy.models.inbound_message import InboundMedia
from remedy.workflows.conversation import CONVERSATION

# Ended without filing; the team reads what these drafts told.
UNFINISHED = ("expired", "stopped", "restarted")


def expiry() -> timedelta:
    """How long a conversation may stay silent before it expires."""
    hours: int = settings().conversation_hours
    return timedelta(hours=hours)


def reminder_after() -> timedelta | None:
    """How long a conversation stays silent before its one reminder (None: no reminder)."""
    before: int = settings().draft_reminder_hours
    if before <= 0 or timedelta(hours=before) >= expiry():
        return None
    return expiry() - timedelta(hours=before)


def fire(conversation: Conversation, trigger: str, now: datetime) -> None:
    """Move the conversation on; an ended one frees its number for the next, a reopened
    one takes it back. An expiring draft remembers its step, to go on from it later."""
    if trigger == "expire" and conversation.state != "resume_offered":
        # At the language menu after LANG, the question it came from is the step.
        conversation.resume_state = (
            conversation.resume_state
            if conversation.state == "language" and conversation.resume_state
            else conversation.state
        )
    CONVERSATION.advance(conversation, trigger)
    if CONVERSATION.state(conversation.state).ended:
        conversation.ended_at = now
        conversation.open_key = None
        add_to_story(conversation, conversation.waiting_text or "")
        conversation.waiting_text = None
    elif conversation.ended_at is not None:
        conversation.ended_at = None
        conversation.open_key = conversation.phone_hash


def add_to_story(conversation: Conversation, text: str) -> bool:
    """Add ``text`` to what the draft tells; False when the story has no room left."""
    if not text:
        return True
    old = conversation.description
    story = f"{old}\n{text}" if old else text
    if len(story) > MAX_DESCRIPTION_LENGTH:
        return False
    conversation.description = story
    return True


def told_something(conversation: Conversation) -> bool:
    """Whether the draft holds anything of the person's: words, a place or a file."""
    if conversation.description or conversation.location or conversation.waiting_text:
        return True
    files = db.session.scalar(
        select(func.count()).where(InboundMedia.conversation_id == conversation.id)
    )
    return bool(files)


def offerable_draft(hashes: list[str], now: datetime) -> Conversation | None:
    """The number's last conversation, if it expired unfinished within the days a person
    may come back to it and told something; never one the person ended with STOP."""
    last = db.session.scalar(
        select(Conversation)
        .where(Conversation.phone_hash.in_(hashes))
        .order_by(Conversation.id.desc())
        .limit(1)
    )
    window = timedelta(days=settings().draft_resume_days)
    if last is None or last.state != "expired" or last.grievance_id is not None:
        return None
    if last.ended_at is None or last.ended_at < now - window:
        return None
    return last if told_something(last) else None


def unfinished_drafts(limit: int = 20) -> list[Conversation]:
    """Conversations that ended without filing but told something, newest first."""
    return list(
        db.session.scalars(
            select(Conversation)
            .where(
                Conversation.grievance_id.is_(None),
                Conversation.state.in_(UNFINISHED),
            )
            .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
            .limit(limit)
        )
    )
