"""The remedy team's web console (blueprint ``console``, defined in ``views``).

Importing the package registers every console route: the queue (``views``), the
supervisor view (``supervisor``), the files of a case (``attachments``) and the case
page (``case``, acted on through ``case_acting`` and ``case_plan``, with identity reveals,
erasure requests (``erasure``),
the approval of mandates waiting for the people's consent, ``mandates``, and the change
of a case's reprisal risk, ``protection``, its call recordings, ``recordings``, its
reprisal incident log, ``reprisal_incidents``, triage at screening, ``triage``, the
technology details, ``technology``, and hand-offs to other bodies with the State actors
involved, ``handoffs``), and the incidents that link grievances about one event
(``incidents``), the oversight bodies' de-identified page (``oversight``), and the check
of a paper receipt (``receipts``), and lifting a PIN lock with the person present
(``pin_lock``).
"""

from remedy.console import (
    attachments,
    case,
    case_acting,
    case_plan,
    erasure,
    handoffs,
    identity,
    incidents,
    learning,
    lessons,
    mandates,
    oversight,
    people_texts,
    pin_lock,
    protection,
    receipts,
    recordings,
    reprisal_incidents,
    root_causes_acting,
    supervisor,
    technology,
    trends,
    triage,
    views,
)

__all__ = [
    "attachments",
    "case",
    "case_acting",
    "case_plan",
    "erasure",
    "handoffs",
    "identity",
    "incidents",
    "learning",
    "lessons",
    "mandates",
    "oversight",
    "people_texts",
    "pin_lock",
    "protection",
    "receipts",
    "recordings",
    "reprisal_incidents",
    "root_causes_acting",
    "supervisor",
    "technology",
    "trends",
    "triage",
    "views",
]
