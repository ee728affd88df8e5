"""One case in the proxy portal: what it shows a member and lets them do now.

Everything is seen through ``visibility``: an organisation sees the grievances it filed or
holds (or held) a mandate for, never another organisation's. Acting goes through the same
services as every channel, so the workflow's mandate guard decides each action; this
module only explains a refusal in words the member can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import gettext as _

from remedy.cases import representation
from remedy.cases.complainant_view import CaseActions, case_actions, questions_for
from remedy.cases.consultations import is_group_decision
from remedy.cases.policy import holds_mandate
from remedy.cases.status import CaseStatus, case_status
from remedy.cases.timeline import TimelineEntry, timeline
from remedy.cases.triggers import allowed_transitions, state_label
from remedy.core.actors import Actor
from remedy.core.errors import NotFound
from remedy.core.extensions import db
from remedy.identity.visibility import get_visible_grievance
from remedy.models.check_in import CheckIn
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.identity_consent import IdentityConsent
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.mandate import Mandate
from remedy.models.person import Person
from remedy.models.remedy_action import RemedyAction
from remedy.proxy.membership import member_organisation
from remedy.workflows.definition import MandateScope, Transition

# What a member may do on a case page (the check-in answers go through check-ins, and
# the verification triggers they fire are never offered on their own).
GRIEVANCE_ACTIONS = frozenset({"withdraw", "appeal"})
TRACK_ACTIONS = frozenset(
    {"accept_proposal", "decline_proposal", "contest_classification", "request_explanation"}
)


@dataclass(frozen=True)
class TrackView:
    track: InvolvementTrack
    state: str
    actions: list[Transition]
    proposal: list[RemedyAction]


@dataclass(frozen=True)
class CaseView:
    grievance: Grievance
    state: str
    status: CaseStatus
    tracks: list[TrackView]
    actions: list[Transition]
    may_add_information: bool
    check_ins: list[CheckIn]
    people: list[GrievancePerson]
    mandates: list[Mandate]
    history: list[TimelineEntry]
    # Why the organisation cannot act for the people now, if it cannot.
    blocked: str | None
    # May an organisation the mechanism does not serve know who the people are?
    consents: list[IdentityConsent] = field(default_factory=list)
    # The case is over: the people the organisation may say, for them, how fair it was.
    fairness: list[Person] = field(default_factory=list)
    # Deciding for the whole group needs a record of how the people were consulted.
    group: bool = False
    # What waits for the people (remedy.cases.complainant_view.case_actions).
    pending: CaseActions | None = None


def open_case(actor: Actor, reference: str) -> Grievance:
    """The grievance, if the member's organisation may see it; NotFound (404) otherwise."""
    member_organisation(actor)
    return get_visible_grievance(actor, reference)


def case_track(grievance: Grievance, track_id: int) -> InvolvementTrack:
    track = next((t for t in grievance.tracks if t.id == track_id), None)
    if track is None:
        raise NotFound("No such track.")
    return track


def case_check_in(grievance: Grievance, check_in_id: int) -> CheckIn:
    check_in = db.session.get(CheckIn, check_in_id)
    if check_in is None or check_in.track.grievance_id != grievance.id:
        raise NotFound("No such check-in.")
    return check_in


def case_mandate(actor: Actor, grievance: Grievance, mandate_id: int) -> Mandate:
    mandate = db.session.get(Mandate, mandate_id)
    if (
        mandate is None
        or mandate.grievance_id != grievance.id
        or mandate.organisation_id != actor.organisation_id
    ):
        raise NotFound("No such mandate.")
    return mandate


def case_person(grievance: Grievance, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    link = next((p for p in grievance.people if p.person_id == person_id), None)
    if link is None:
        raise NotFound("No such person.")
    return link.person


def answerable_check_ins(actor: Actor, grievance: Grievance) -> list[CheckIn]:
    """Open questions put to this organisation, or to people its mandate lets it answer for."""
    return questions_for(grievance, actor)


def history(actor: Actor, grievance: Grievance) -> list[TimelineEntry]:
    """The case's timeline as the organisation reads it: one entry per message however many
    people it went to, and no staff names (the timeline has no internal notes for proxies)."""
    entries = []
    seen: set[tuple[str | None, datetime]] = set()
    for entry in timeline(actor, grievance):
        if entry.kind == "message":
            key = (entry.detail, entry.at.replace(microsecond=0))
            if key in seen:
                continue
            seen.add(key)
            entry = replace(entry, title=_("Message"))
        entries.append(replace(entry, by=None))
    return entries


def case_view(actor: Actor, grievance: Grievance) -> CaseView:
    tracks = [
        TrackView(
            track=track,
            state=state_label(track),
            actions=[t for t in allowed_transitions(track, actor) if t.trigger in TRACK_ACTIONS],
            proposal=[a for a in track.remedy_actions if a.is_active]
            if track.state == "proposed"
            else [],
        )
        for track in grievance.tracks
    ]
    actions = [t for t in allowed_transitions(grievance, actor) if t.trigger in GRIEVANCE_ACTIONS]
    following = holds_mandate(actor, grievance, MandateScope.FOLLOW)
    # What waits for the people: the same read as the web's case and /answer pages.
    pending = case_actions(grievance, actor)
    return CaseView(
        grievance=grievance,
        state=state_label(grievance),
        status=case_status(grievance),
        tracks=tracks,
        actions=actions,
        may_add_information=following and not grievance.is_ended,
        check_ins=pending.questions,
        people=list(grievance.people),
        mandates=representation.mandates_of(actor.organisation_id, grievance),
        history=history(actor, grievance),
        blocked=representation.mandate_refusal(
            actor.organisation_id, grievance, MandateScope.FOLLOW
        ),
        consents=pending.consents,
        fairness=pending.fairness_for,
        pending=pending,
        group=is_group_decision(actor, grievance),
    )
