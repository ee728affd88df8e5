"""What the case page shows of erasure (the views that act are in ``erasure``)."""

from __future__ import annotations

from typing import Any

from remedy.core.actors import Actor
from remedy.identity import erasure_requests
from remedy.models.grievance import Grievance


def erasure_context(actor: Actor, grievance: Grievance) -> dict[str, Any]:
    """What the case page shows of erasure: the requests, and the forms this actor may use."""
    reads = erasure_requests.may_read_requests(actor)
    return {
        "erasures": erasure_requests.requests_for(grievance) if reads else [],
        "may_request_erasure": erasure_requests.may_request(actor, grievance)
        and erasure_requests.pending_for_case(grievance) is None,
        "may_decide_erasure": lambda item: erasure_requests.may_decide(actor, item),
    }
