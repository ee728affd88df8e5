"""What the case page shows of technology harms, and whether this reader may change it."""

from __future__ import annotations

from typing import Any

from remedy.cases import technology
from remedy.core.actors import Actor
from remedy.models.grievance import CATEGORY_TITLES, PRODUCT_USER_LABELS, Grievance


def technology_context(actor: Actor, grievance: Grievance) -> dict[str, Any]:
    return {
        "external_reference_shown": technology.may_read_external_reference(actor, grievance),
        "may_record_technology": technology.may_record(actor, grievance),
        "category_choices": [(item.value, title) for item, title in CATEGORY_TITLES.items()],
        "product_user_choices": [
            (item.value, label) for item, label in PRODUCT_USER_LABELS.items()
        ],
    }
