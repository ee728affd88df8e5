"""Who does something: recorded on every audit event and checked by every guard."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from remedy.models.user import Role, User


class ActorKind(enum.StrEnum):
    STAFF = "staff"
    PROXY = "proxy"
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

    @classmethod
    def for_user(cls, user: User) -> Actor:
        kind = ActorKind.PROXY if user.role is Role.PROXY_MEMBER else ActorKind.STAFF
        return cls(kind, str(user.id), user.role, user.organisation_id)

    @classmethod
    def complainant(cls, grievance_reference: str, person_id: int | None = None) -> Actor:
        """Someone who proved the reference and PIN (or wrote from a number on file)."""
        return cls(ActorKind.COMPLAINANT, grievance_reference, person_id=person_id)


SYSTEM = Actor(ActorKind.SYSTEM)
OPERATOR = Actor(ActorKind.OPERATOR, "cli")
