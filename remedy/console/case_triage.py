"""The case page's triage panel: the flags suggested ("confirm?"), the scales explained
with examples, and the senior reviewer. Its forms post to ``remedy.console.triage``."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from remedy.cases import triage
from remedy.core.actors import Actor
from remedy.models.grievance import Grievance, UrgencyFlag
from remedy.queue.rows import user_labels

# Each scale, what it measures, and examples at its low and high ends (UNGP 14, B-Tech).
SEVERITY_HELP: dict[str, LazyString] = {
    "scale": _l(
        "How grave the harm is to the people. 1: a delay in pay, a rude remark. "
        "4: an injury, violence, a death, a family left without water or a home."
    ),
    "scope": _l(
        "How many people are or could be harmed. 1: one person. 2: a family or a few "
        "workers. 3: a work site or a village. 4: a whole community or many sites."
    ),
    "irremediability": _l(
        "How hard it is to put right. 1: money owed can be paid back. 3: lost land or "
        "schooling, long to restore. 4: a death or a lasting injury, which nothing undoes."
    ),
}


def triage_context(actor: Actor, grievance: Grievance) -> dict[str, Any]:
    """What the case page shows and offers about triage."""
    may = triage.may_triage(actor, grievance)
    may_name = triage.may_name_reviewer(actor, grievance)
    reviewer = grievance.reviewer_user_id
    return {
        "triage": {
            "may_triage": may,
            "flags": grievance.flags,
            "suggested": triage.suggested_flags(actor, grievance) if may else (),
            "all_flags": list(UrgencyFlag),
            "needs_reviewer": grievance.needs_senior_review,
            "reviewer_label": user_labels({reviewer}).get(reviewer) if reviewer else None,
            "may_name_reviewer": may_name and grievance.needs_senior_review,
            "reviewer_choices": triage.reviewer_choices(grievance) if may_name else [],
        },
        "severity_help": SEVERITY_HELP,
    }
