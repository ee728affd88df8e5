"""What a guard sees when a trigger is fired: the subject, who acts, the fields, the time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from remedy.core.actors import Actor
from remedy.core.settings import Settings, settings
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.types import utcnow
from remedy.workflows.definition import Workflow

Subject = Grievance | InvolvementTrack


@dataclass
class TriggerContext:
    workflow: Workflow
    subject: Subject
    grievance: Grievance
    track: InvolvementTrack | None
    actor: Actor
    fields: dict[str, Any]
    now: datetime = field(default_factory=utcnow)

    @property
    def settings(self) -> Settings:
        return settings()

    @property
    def on_track(self) -> InvolvementTrack:
        """The track, for guards that only track workflows use."""
        assert self.track is not None, "a track guard was used on a grievance"
        return self.track
