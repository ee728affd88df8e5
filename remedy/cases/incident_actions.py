"""Acting once on an incident, reaching each linked grievance's track.

A proposal for everyone affected, or a decision (escalate, refer, close without
confirmation), is taken once for one organisation and applied to each linked
grievance's track of that organisation, through the same use cases as on one case
(:mod:`remedy.cases.tracks`), so every trigger goes through ``fire``: its guards, its
audit event, and the message each person is owed on their own channel and in their own
language through the outbox. Each person still answers on their own.

Per grievance, not all or nothing: each grievance's change is its own unit of work
(``durable``). One case that cannot move (already answered, a guard refusing, no track
of that organisation) must not hold back a remedy from everyone else, who would
otherwise wait for the slowest case; the team gets a report saying, case by case, what
was done and why the rest was refused, and can act on those cases alone. The report
itself is audited on the incident.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from remedy.audit import log as audit
from remedy.cases import tracks
from remedy.cases.incidents import may_manage, visible_links
from remedy.cases.tracks import RemedyActionPlan
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotAllowed, ServiceError
from remedy.core.extensions import db
from remedy.core.unit_of_work import durable
from remedy.models.incident import Incident
from remedy.models.involvement_track import InvolvementTrack

# The decisions a team takes once for every linked case: (label, needs a mechanism).
DECISIONS: dict[str, LazyString] = {
    "escalate": _l("Escalate"),
    "refer": _l("Refer"),
    "close_without_confirmation": _l("Close without confirmation"),
}


@dataclass(frozen=True)
class CaseResult:
    """What became of one linked grievance."""

    reference: str
    done: bool
    message: str


@dataclass(frozen=True)
class FanOutReport:
    action: str
    results: tuple[CaseResult, ...]

    @property
    def done(self) -> list[CaseResult]:
        return [result for result in self.results if result.done]

    @property
    def refused(self) -> list[CaseResult]:
        return [result for result in self.results if not result.done]


def _targets(
    actor: Actor, incident: Incident, organisation_id: int
) -> list[tuple[str, int | None]]:
    """(reference, track id of that organisation or None), read before anything changes."""
    found = []
    for link in visible_links(actor, incident):
        grievance = link.grievance
        track = next((t for t in grievance.tracks if t.organisation_id == organisation_id), None)
        found.append((grievance.reference, track.id if track is not None else None))
    return found


def _each(
    actor: Actor,
    incident: Incident,
    organisation_id: int,
    action: str,
    work: Callable[[InvolvementTrack], None],
    done_message: str,
) -> FanOutReport:
    if not may_manage(actor):
        raise NotAllowed(_("You may not do this on this case."))
    incident_id = incident.id
    results = []
    for reference, track_id in _targets(actor, incident, organisation_id):
        if track_id is None:
            message = _("This case has no track for this organisation.")
            results.append(CaseResult(reference, False, message))
            continue
        try:
            with durable():
                track = db.session.get(InvolvementTrack, track_id)
                assert track is not None
                work(track)
        except ServiceError as error:  # a conflict too: that case alone is left as it was
            results.append(CaseResult(reference, False, str(error)))
        else:
            results.append(CaseResult(reference, True, done_message))
    with durable():
        audit.record(
            actor,
            f"incident.{action}",
            "incident",
            incident_id,
            after={
                "organisation_id": organisation_id,
                "done": [result.reference for result in results if result.done],
                "refused": [result.reference for result in results if not result.done],
            },
        )
    return FanOutReport(action, tuple(results))


def propose_to_everyone(
    actor: Actor, incident: Incident, organisation_id: int, plans: Sequence[RemedyActionPlan]
) -> FanOutReport:
    """Copy the remedy actions to each linked case's track of this organisation and propose
    them there: each person is asked, on their own channel, to accept or decline."""
    if not plans:
        raise InvalidInput(_("Add at least one remedy action first."), "description")

    def propose(track: InvolvementTrack) -> None:
        tracks.propose_remedy(actor, track, plans)

    return _each(actor, incident, organisation_id, "propose_remedy", propose, _("Proposed."))


def decide_for_everyone(
    actor: Actor,
    incident: Incident,
    organisation_id: int,
    decision: str,
    reason: str,
    mechanism_id: int | None = None,
) -> FanOutReport:
    """Take one of :data:`DECISIONS` on each linked case's track of this organisation."""
    if decision not in DECISIONS:
        raise InvalidInput(_("Choose one of the listed options."), "decision")
    if not (reason or "").strip():
        raise InvalidInput(_("Fill in: %(field)s.", field=_("the reason")), "reason")
    if decision == "refer" and mechanism_id is None:
        raise InvalidInput(_("Choose one of the listed options."), "mechanism")

    def decide(track: InvolvementTrack) -> None:
        if decision == "escalate":
            tracks.escalate(actor, track, reason)
        elif decision == "refer":
            tracks.refer(actor, track, mechanism_id, reason)
        else:
            tracks.close_without_confirmation(actor, track, reason)

    return _each(actor, incident, organisation_id, decision, decide, _("Done."))
