"""Track "contribute" (UNGP 13a, 19, 22): the organisation contributed, alone or with others.

As for cause, but a proposal also needs a leverage plan toward the other
contributors, and implementation tracks remedy and leverage actions together.
"""

from __future__ import annotations

from dataclasses import replace

from flask_babel import lazy_gettext as _l

from remedy.workflows import cause, guards
from remedy.workflows.definition import Workflow

STATES = cause.STATES
# The cause table, except that a proposal also needs the leverage plan.
TRANSITIONS = tuple(
    replace(item, guards=(*item.guards, guards.has_leverage_plan))
    if item.trigger == "propose_remedy"
    else item
    for item in cause.TRANSITIONS
)

CONTRIBUTE = Workflow(
    "contribute", _l("Track: contributed"), STATES, TRANSITIONS, initial="planning"
)
