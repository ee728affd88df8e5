"""Who does something: recorded on every audit event and checked by every guard."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

from remedy.core.roles import Role


class SignedIn(Protocol):
    """What an actor is made from: a staff or proxy account (``models.User``)."""

    id: int
    role: Role
    organisation_id: int | None


class ActorKind(enum.StrEnum):
    STAFF = "staff"
    PROXY = "proxy"
    # A receiving body's account: sees only the referrals made to its mechanism.
    PARTNER = "partner"
    # An oversight body's account: de-identified timelines only (``queue.oversight``).
    OVERSIGHT = "oversight"
    COMPLAINANT = "complainant"
    SYSTEM = "system"
    OPERATOR = "operator"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: str | None = None
    role: Role | None = None
    organisation_id: int | None = None
    # For a complainant: the person speaking, when the channel knows (their phone).
    person_id: int | None = None
    # For staff and proxies: their account, typed (``id`` is the audit log's word for them).
    user_id: int | None = None

    @classmethod
    def for_user(cls, user: SignedIn) -> Actor:
        kind = KIND_OF_ROLE.get(user.role, ActorKind.STAFF)
        return cls(kind, str(user.id), user.role, user.organisation_id, user_id=user.id)

    @property
    def staff_user_id(self) -> int | None:
        """The account of a member of the remedy team; None for anyone else."""
        return self.user_id if self.kind is ActorKind.STAFF else None

    @classmethod
    def complainant(cls, grievance_reference: str, person_id: int | None = None) -> Actor:
        """Someone who proved the reference and PIN (or wrote from a number on file)."""
        return cls(ActorKind.COMPLAINANT, grievance_reference, person_id=person_id)


KIND_OF_ROLE = {
    Role.PROXY_MEMBER: ActorKind.PROXY,
    Role.REFERRAL_PARTNER: ActorKind.PARTNER,
    Role.OVERSIGHT: ActorKind.OVERSIGHT,
}
SYSTEM = Actor(ActorKind.SYSTEM)
OPERATOR = Actor(ActorKind.OPERATOR, "cli")
