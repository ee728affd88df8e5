"""State actors involved in a grievance: parties with no involvement track.

The police, a local authority, an army or a ministry may have a part in the harm, but the
mechanism has no remedy duty to run with them (UNGP 25-26 leave that to the State). The
team records who they are and what they did, so that the case reads whole; they are shown
to the mechanism's own staff only.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class StateActorKind(enum.StrEnum):
    POLICE = "police"
    LOCAL_AUTHORITY = "local_authority"
    ARMED_FORCES = "armed_forces"
    MINISTRY = "ministry"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(STATE_ACTOR_KIND_LABELS[self])


STATE_ACTOR_KIND_LABELS = {
    StateActorKind.POLICE: _l("Police"),
    StateActorKind.LOCAL_AUTHORITY: _l("Local authority"),
    StateActorKind.ARMED_FORCES: _l("Army or armed forces"),
    StateActorKind.MINISTRY: _l("Ministry or government agency"),
    StateActorKind.OTHER: _l("Other State body"),
}


class StateActor(Model):
    __tablename__ = "state_actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[StateActorKind] = mapped_column(enum_column(StateActorKind, "state_actor_kind"))
    name: Mapped[str] = mapped_column(String(200))
    # What they did, as the team understood it: sealed under the case's key.
    conduct: Mapped[str] = mapped_column(EncryptedText("state_actors.conduct"))
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
