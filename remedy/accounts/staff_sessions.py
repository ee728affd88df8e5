"""Signed-in sessions on the server: opened at sign-in, checked on every request, revoked
at sign-out, so a copy of the cookie dies with the session it was copied from.

The cookie keeps only a random token (:class:`remedy.models.staff_session.StaffSession`
stores its hash). A session ends when it is revoked (sign-out, sign-out everywhere, a new
password), after the idle timeout, or at its absolute lifetime whatever its activity.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import update

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.models.staff_session import StaffSession, new_session_secret, session_digest
from remedy.models.types import utcnow

# last_seen_at is written at most this often: one write a minute, not one a request.
TOUCH_EVERY = timedelta(minutes=1)
MAX_SECRET_LENGTH = 100


class SessionEnd(enum.StrEnum):
    """Why a session's cookie no longer signs anyone in."""

    REVOKED = "revoked"  # signed out, or unknown
    IDLE = "idle"
    EXPIRED = "expired"  # past its absolute lifetime


def open_session(user_id: int) -> str:
    """A new session for the account; returns the token for the cookie. Joins the caller's
    unit of work."""
    secret = new_session_secret()
    now = utcnow()
    db.session.add(
        StaffSession(id=session_digest(secret), user_id=user_id, created_at=now, last_seen_at=now)
    )
    db.session.flush()
    return secret


def _find(secret: object) -> StaffSession | None:
    if not isinstance(secret, str) or not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    return db.session.get(StaffSession, session_digest(secret))


def why_ended(secret: object, user_id: int, now: datetime | None = None) -> SessionEnd | None:
    """None while the session is alive (and then its last activity is noted); else why not."""
    now = now or utcnow()
    found = _find(secret)
    if found is None or found.user_id != user_id or found.revoked_at is not None:
        return SessionEnd.REVOKED
    if now - found.created_at >= settings().session_max_age:
        return SessionEnd.EXPIRED
    if now - found.last_seen_at > settings().idle_timeout:
        return SessionEnd.IDLE
    if now - found.last_seen_at >= TOUCH_EVERY:
        found.last_seen_at = now
    return None


def revoke(secret: object) -> None:
    """End this session (joins the caller's unit of work)."""
    found = _find(secret)
    if found is not None and found.revoked_at is None:
        found.revoked_at = utcnow()


def revoke_all(user_id: int) -> None:
    """End every session of the account: sign-out everywhere, a new password."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
