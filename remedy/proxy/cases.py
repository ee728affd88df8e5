"""The proxy portal's use cases: the organisation (vetted or not), further mandates, the
organisation's dashboard, and what one case shows a member and lets them do now (filing
for others is ``remedy.proxy.filing``).

Everything is seen through ``visibility``: an organisation sees the grievances it filed or
holds (or held) a mandate for, never another organisation's. Acting goes through the same
services as every channel, so the workflow's mandate guard decides each action; this
module only explains a refusal in words the member can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from math import ceil

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from remedy.cases import representation
from remedy.cases.policy import holds_mandate
from remedy.cases.status import CaseStatus, case_status
from remedy.cases.timeline import TimelineEntry, timeline
from remedy.cases.triggers import allowed_transitions, state_label
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import get_visible_grievance, visible_grievances
from remedy.models.check_in import CheckIn
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.mandate import Mandate, MandateStatus
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.person import Person
from remedy.models.remedy_action import RemedyAction
from remedy.models.types import utcnow
from remedy.proxy import mandates
from remedy.proxy.mandates import MandateTerms
from remedy.workflows.definition import MandateScope, Transition

PAGE_SIZE = 50

SCOPE_LABELS: dict[MandateScope, LazyString] = {
    MandateScope.FILE: _l("File the grievance"),
    MandateScope.FOLLOW: _l("Follow the case, add information, appeal or withdraw"),
    MandateScope.ANSWER_PROPOSALS: _l("Accept or decline remedy proposals"),
    MandateScope.ANSWER_CHECK_INS: _l("Answer check-ins (was the remedy delivered?)"),
}
MANDATE_STATUS_LABELS: dict[MandateStatus, LazyString] = {
    MandateStatus.VALID: _l("In force"),
    MandateStatus.EXPIRED: _l("Ended"),
    MandateStatus.WITHDRAWN: _l("Withdrawn"),
}
# What a member may do on a case page (the check-in answers go through check-ins, and
# the verification triggers they fire are never offered on their own).
GRIEVANCE_ACTIONS = frozenset({"withdraw", "appeal"})
TRACK_ACTIONS = frozenset({"accept_proposal", "decline_proposal"})


# The organisation ------------------------------------------------------------------------


def member_organisation(actor: Actor) -> Organisation:
    """The member's organisation; NotAllowed unless it is a vetted NGO (it acts for no one
    before an administrator has vetted it)."""
    organisation = (
        db.session.get(Organisation, actor.organisation_id)
        if actor.kind is ActorKind.PROXY and actor.organisation_id is not None
        else None
    )
    if organisation is None:
        raise NotAllowed(_("This page is for members of a proxy organisation."))
    if organisation.kind is not OrganisationKind.NGO or not organisation.is_vetted:
        raise NotAllowed(_("Your organisation is not vetted yet."))
    return organisation


def is_vetted(actor: Actor) -> bool:
    try:
        member_organisation(actor)
    except NotAllowed:
        return False
    return True


# Further mandates ------------------------------------------------------------------------


@transactional
def record_mandate(
    actor: Actor,
    grievance: Grievance,
    terms: MandateTerms,
    person_id: int | None,
    proxy_receives_messages: bool,
) -> Mandate:
    """A further mandate on a case the organisation already follows (renewed consent, or
    one person of a group)."""
    organisation = member_organisation(actor)
    if terms.evidence is not None:
        mandates.evidence_type(terms.evidence.content)
    person = None
    if person_id is not None:
        link = next((p for p in grievance.people if p.person_id == person_id), None)
        if link is None:
            raise InvalidInput(_("This person is not one of the people of this case."), "person")
        person = link.person
    mandate = mandates.grant_mandate(
        actor,
        organisation,
        grievance,
        terms.scopes,
        terms.consent_method,
        terms.valid_until,
        person=person,
        proxy_receives_messages=proxy_receives_messages,
        consent_note=terms.consent_note,
    )
    if terms.evidence is not None:
        mandates.attach_evidence(actor, mandate, terms.evidence)
    return mandate


# The dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    reference: str
    received_at: datetime
    state: str
    tracks: list[str]
    status: CaseStatus
    people_affected: int
    mandate: MandateStatus | None


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    page: int
    pages: int
    total: int


def _mandate_status(held: Sequence[Mandate], today: date) -> MandateStatus | None:
    """In force if any is; else how the latest one ended; None if none was recorded."""
    if not held:
        return None
    statuses = [mandate.status_on(today) for mandate in held]
    if MandateStatus.VALID in statuses:
        return MandateStatus.VALID
    return max(held, key=lambda m: (m.created_at, m.id)).status_on(today)


def organisation_cases(actor: Actor, page: int = 1) -> CasePage:
    """The organisation's cases, newest first, a page at a time; three queries a page."""
    member_organisation(actor)
    visible = visible_grievances(actor)
    total = db.session.scalar(select(func.count(Grievance.id)).where(visible)) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    grievances = db.session.scalars(
        select(Grievance)
        .where(visible)
        .options(selectinload(Grievance.tracks))
        .order_by(Grievance.received_at.desc(), Grievance.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    held: dict[int, list[Mandate]] = {}
    for mandate in db.session.scalars(
        select(Mandate).where(
            Mandate.organisation_id == actor.organisation_id,
            Mandate.grievance_id.in_([g.id for g in grievances]),
        )
    ):
        held.setdefault(mandate.grievance_id, []).append(mandate)
    today = utcnow().date()
    rows = [
        CaseRow(
            reference=grievance.reference,
            received_at=grievance.received_at,
            state=state_label(grievance),
            tracks=[state_label(track) for track in grievance.tracks],
            status=case_status(grievance),
            people_affected=grievance.people_affected,
            mandate=_mandate_status(held.get(grievance.id, []), today),
        )
        for grievance in grievances
    ]
    return CasePage(rows, page, pages, total)


# One case --------------------------------------------------------------------------------


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
    found = []
    for track in grievance.tracks:
        for check_in in track.check_ins:
            if not check_in.is_open:
                continue
            if check_in.proxy_organisation_id not in (None, actor.organisation_id):
                continue
            if holds_mandate(actor, grievance, MandateScope.ANSWER_CHECK_INS, check_in.person):
                found.append(check_in)
    return found


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
    return CaseView(
        grievance=grievance,
        state=state_label(grievance),
        status=case_status(grievance),
        tracks=tracks,
        actions=actions,
        may_add_information=following and not grievance.is_ended,
        check_ins=answerable_check_ins(actor, grievance),
        people=list(grievance.people),
        mandates=representation.mandates_of(actor.organisation_id, grievance),
        history=history(actor, grievance),
        blocked=representation.mandate_refusal(
            actor.organisation_id, grievance, MandateScope.FOLLOW
        ),
    )
