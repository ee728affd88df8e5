"""Who has an account: the list administrators read, by role, state and organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from remedy.core.extensions import db
from remedy.models.types import utcnow
from remedy.models.user import Role, User


@dataclass(frozen=True)
class AccountFilter:
    """None: any. ``organisation_id`` 0 would match nothing; callers pass None instead."""

    role: Role | None = None
    active: bool | None = None
    organisation_id: int | None = None


def is_locked(user: User, now: datetime | None = None) -> bool:
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def list_accounts(only: AccountFilter | None = None) -> list[User]:
    """Accounts by email, with their organisation loaded (one query for the page)."""
    only = only or AccountFilter()
    query = select(User).options(joinedload(User.organisation)).order_by(User.email)
    if only.role is not None:
        query = query.where(User.role == only.role)
    if only.active is not None:
        query = query.where(User.active.is_(only.active))
    if only.organisation_id is not None:
        query = query.where(User.organisation_id == only.organisation_id)
    return list(db.session.scalars(query))
