"""How the demo's NGO consulted the people before deciding for a group: a meeting on the
day it decides, with most of them (:mod:`remedy.cases.consultations` requires it)."""

from __future__ import annotations

from remedy.cases.consultations import Consultation, group_size, is_group_decision
from remedy.core.actors import Actor
from remedy.models.group_consultation import ConsultationMethod
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.person import Person
from remedy.models.types import utcnow

NOTES = "Most agreed; the others asked to be told how the work goes."


def consulted(
    actor: Actor, track: InvolvementTrack, person: Person | None = None
) -> Consultation | None:
    """A consultation when ``actor`` decides for the group, else None."""
    grievance = track.grievance
    if not is_group_decision(actor, grievance, person):
        return None
    size = group_size(grievance)
    return Consultation(ConsultationMethod.MEETING, utcnow().date(), max(1, size - 1), NOTES)
