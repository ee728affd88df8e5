"""What the audit log records when a lower layer signals it (see remedy/core/signals.py)."""

from __future__ import annotations

from remedy.audit import log
from remedy.core.actors import SYSTEM, Actor, ActorKind
from remedy.core.signals import person_opted_out
from remedy.models.person import Person


def record_opt_out(person: Person, *, reported_by: str) -> None:
    """The person's own STOP is their act; a provider's refusal (21610) is the system's news."""
    actor = Actor(ActorKind.COMPLAINANT) if reported_by == "person" else SYSTEM
    log.record(actor, "person.opt_out", "person", person.id, after={"reported_by": reported_by})


def connect() -> None:
    """Called by the app factory; connecting twice keeps one receiver."""
    person_opted_out.connect(record_opt_out)
