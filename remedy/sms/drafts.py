"""The conversation's draft: how it moves on, when silence ends it, and the drafts the
team reads because they never became a grievance.

A conversation's steps are the workflow ``remedy.workflows.conversation``; one
``Conversation`` row holds its draft until the last answer files it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.models.conversation import Conversation
from remedy.workflows.conversation import CONVERSATION


def expiry() -> timedelta:
    """How long a conversation may stay silent before it expires."""
    hours: int = settings().conversation_hours
    return timedelta(hours=hours)


def fire(conversation: Conversation, trigger: str, now: datetime) -> None:
    """Move the conversation on; an ended one frees its number for the next."""
    if CONVERSATION.choose(trigger, conversation) is None:
        raise AssertionError(f"{trigger} from {conversation.state}")
    CONVERSATION.machine.events[trigger].trigger(conversation)
    if CONVERSATION.state(conversation.state).ended:
        conversation.ended_at = now
        conversation.open_key = None


def unfinished_drafts(limit: int = 20) -> list[Conversation]:
    """Conversations that ended without filing but told something, newest first."""
    return list(
        db.session.scalars(
            select(Conversation)
            .where(
                Conversation.grievance_id.is_(None),
                Conversation.state.in_(("expired", "stopped")),
            )
            .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
            .limit(limit)
        )
    )
