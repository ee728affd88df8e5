"""What the case page shows of the PIN lock (the form posts to ``pin_lock``)."""

from __future__ import annotations

from typing import Any

from remedy.access import unlock
from remedy.core.actors import Actor
from remedy.models.grievance import Grievance


def pin_lock_context(actor: Actor, grievance: Grievance) -> dict[str, Any]:
    """Whether the reference is locked, shown to those who may lift the lock."""
    may = unlock.may_unlock(actor)
    return {
        "may_unlock": may,
        "pin_locked_until": unlock.locked_until(grievance) if may else None,
    }
