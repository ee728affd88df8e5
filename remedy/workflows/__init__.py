"""State machines, one module per workflow, declared as data with ``transitions``.

``intake`` runs on grievances; ``cause``, ``contribute`` and ``directly_linked``
run on involvement tracks. Services fire their triggers through
:func:`remedy.cases.triggers.fire`; nothing else changes a state.
"""

from __future__ import annotations

from typing import Any

from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.workflows.cause import CAUSE
from remedy.workflows.contribute import CONTRIBUTE
from remedy.workflows.definition import Workflow
from remedy.workflows.directly_linked import DIRECTLY_LINKED
from remedy.workflows.intake import INTAKE

WORKFLOWS: dict[str, Workflow] = {
    workflow.name: workflow for workflow in (INTAKE, CAUSE, CONTRIBUTE, DIRECTLY_LINKED)
}


# The models ask whether a grievance or track has ended; the answer is declared here.
Grievance.ended_states = frozenset(INTAKE.ended_states)
InvolvementTrack.ended_states_by_workflow.update(
    {w.name: frozenset(w.ended_states) for w in (CAUSE, CONTRIBUTE, DIRECTLY_LINKED)}
)


def workflow_for(subject: Any) -> Workflow:
    """The workflow a grievance or track runs (``subject.workflow_name``)."""
    return WORKFLOWS[subject.workflow_name]


__all__ = ["CAUSE", "CONTRIBUTE", "DIRECTLY_LINKED", "INTAKE", "WORKFLOWS", "workflow_for"]
