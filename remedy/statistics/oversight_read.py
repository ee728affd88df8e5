"""The figures with small numbers shown, for an oversight body alone, each read audited.

The public page hides counts from 1 to k-1 so no one can be picked out; an oversight body
checks the mechanism itself and needs the real counts (a category with 3 cases is a
finding, not a risk), with no identity or words of anyone in them either way.
"""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import NotAllowed
from remedy.core.unit_of_work import transactional
from remedy.statistics.figures import Figures, compute


def read_unsuppressed(actor: Actor) -> Figures:
    if actor.kind is not ActorKind.OVERSIGHT:
        raise NotAllowed(_("This page is for oversight bodies."))
    # Counting may keep a snapshot on its own (durable) transaction: before the audit's.
    figures = compute(suppress=False)
    _record_read(actor, figures)
    return figures


@transactional
def _record_read(actor: Actor, figures: Figures) -> None:
    audit.record(
        actor,
        "oversight.read_statistics",
        "oversight",
        after={"computed_at": figures.computed_at.isoformat(), "suppressed": False},
    )
