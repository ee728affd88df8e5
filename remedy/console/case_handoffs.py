"""The case page's hand-off panels: each referral's consent, news and export pack, and the
State actors involved. Their forms post to ``remedy.console.handoffs``."""

from __future__ import annotations

from typing import Any

from remedy.cases import handoffs, state_actors
from remedy.core.actors import Actor
from remedy.identity.visibility import may_change
from remedy.models.grievance import Grievance
from remedy.models.identity_consent import ConsentVia
from remedy.models.referral import ReferralUpdateKind
from remedy.models.state_actor import StateActorKind


def handoffs_context(actor: Actor, grievance: Grievance) -> dict[str, Any]:
    works = handoffs.is_case_worker(actor) and may_change(actor)
    return {
        "handoff": {
            "may_record": works,
            # The pack holds what the person making it may read: the mechanism's staff.
            "may_pack": state_actors.may_read(actor),
            "awaiting": handoffs.awaiting,
            "consent_choices": [(via.value, via.label) for via in ConsentVia],
            "update_kinds": [(kind.value, kind.label) for kind in ReferralUpdateKind],
        },
        "state_actors": state_actors.state_actors(actor, grievance),
        "may_record_state_actor": works,
        "state_actor_kinds": [(kind.value, kind.label) for kind in StateActorKind],
    }
