"""The case page's root-cause panel: the causes set at assessment, and at closing the
question "confirm or change the root causes?". Its form posts to
``remedy.console.root_causes_acting``; the rules are :mod:`remedy.cases.case_root_causes`."""

from __future__ import annotations

from typing import Any

from remedy.cases import case_root_causes
from remedy.cases.root_causes import offered_causes
from remedy.core.actors import Actor
from remedy.core.i18n import current_language
from remedy.models.grievance import Grievance
from remedy.queue.rows import user_labels


def root_causes_context(actor: Actor, grievance: Grievance) -> dict[str, Any]:
    """What the case page shows and offers about root causes."""
    language = current_language()
    chosen = case_root_causes.causes_of(grievance)
    may = case_root_causes.may_set_root_causes(actor, grievance)
    confirmation = case_root_causes.confirmation_of(grievance)
    confirmer = confirmation.confirmed_by_user_id if confirmation else None
    # A retired cause the case carries stays offered (ticked) so that saving keeps it.
    choices = {cause.id: cause for cause in [*offered_causes(), *chosen]} if may else {}
    return {
        "root_causes": {
            "may_set": may,
            "chosen": [(cause.id, cause.label_in(language), cause.is_retired) for cause in chosen],
            "chosen_ids": {cause.id for cause in chosen},
            "choices": [
                (cause.id, cause.label_in(language), cause.is_retired)
                for cause in sorted(choices.values(), key=lambda cause: cause.id)
            ],
            "confirming": grievance.is_ended,
            "awaits_confirmation": grievance.is_ended and confirmation is None,
            "confirmed_at": confirmation.confirmed_at if confirmation else None,
            "confirmed_by": user_labels({confirmer}).get(confirmer) if confirmer else None,
        }
    }
