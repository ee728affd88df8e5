"""State machines, one module per workflow, declared as data with ``transitions``.

``intake`` runs on grievances; ``cause``, ``contribute`` and ``directly_linked``
run on involvement tracks. Services fire their triggers through
:func:`remedy.cases.triggers.fire`; nothing else changes a state.
"""

from __future__ import annotations

from typing import Any

from remedy.workflows.cause import CAUSE
from remedy.workflows.contribute import CONTRIBUTE
from remedy.workflows.definition import Workflow
from remedy.workflows.directly_linked import DIRECTLY_LINKED
from remedy.workflows.intake import INTAKE

WORKFLOWS: dict[str, Workflow] = {
    workflow.name: workflow for workflow in (INTAKE, CAUSE, CONTRIBUTE, DIRECTLY_LINKED)
}


def workflow_for(subject: Any) -> Workflow:
    """The workflow a grievance or track runs (``subject.workflow_name``)."""
    return WORKFLOWS[subject.workflow_name]


__all__ = ["CAUSE", "CONTRIBUTE", "DIRECTLY_LINKED", "INTAKE", "WORKFLOWS", "workflow_for"]
