"""What a complainant sees of their case once they gave the reference and PIN.

In plain words and never more than is theirs: the steps of their case (no internal
notes, no identity work, no staff names, no organisation names), the messages sent
to them, and what waits for their answer now: a proposal to accept or decline, a
question about a delivered remedy, whether an organisation may know who they are (its
name is shown there, the one place: they cannot answer without it), how fair the
handling of their ended case was, an appeal or withdrawal the workflow allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from remedy.cases import mechanism_feedback
from remedy.cases.identity_consent import may_answer
from remedy.cases.policy import holds_mandate
from remedy.cases.triggers import allowed_transitions
from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.identity.consents import pending_consents
from remedy.models.audit_event import AuditEvent
from remedy.models.check_in import CheckIn
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import PersonRole
from remedy.models.identity_consent import IdentityConsent
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.outbox_message import (
    MANDATE_CODE_TEMPLATE,
    PIN_RESET_CODE_TEMPLATE,
    MessageChannel,
    OutboxMessage,
)
from remedy.models.person import Person
from remedy.models.remedy_action import RemedyAction
from remedy.workflows.definition import MandateScope
from remedy.workflows.states import IntakeState

# Secret codes sent by SMS: never shown again, even to their owner.
HIDDEN_TEMPLATES = frozenset({PIN_RESET_CODE_TEMPLATE, MANDATE_CODE_TEMPLATE})

# Steps of the case, told to the complainant. Anything not listed is internal and not shown.
INTAKE_STEPS: dict[str, LazyString] = {
    "acknowledge": _l("We received your case."),
    "accept": _l("We accepted your case and started to look into it."),
    "reject": _l("We decided we cannot handle your case here."),
    "request_info": _l("We asked you for more information."),
    "info_received": _l("We received the information you sent."),
    "info_overdue": _l("We went on without an answer to our question."),
    "classify": _l("We found who is responsible for the harm."),
    "find_no_involvement": _l("We found the company was not involved."),
    "withdraw": _l("The case was withdrawn."),
    "appeal": _l("The decision was appealed."),
    "uphold": _l("After review, the decision stays."),
    "overturn": _l("After review, the decision was changed."),
    "resolve": _l("Your case was closed."),
    "reopen": _l("Your case was opened again."),
}
TRACK_STEPS: dict[str, LazyString] = {
    "propose_remedy": _l("A remedy was proposed to you."),
    "accept_proposal": _l("The proposed remedy was accepted."),
    "decline_proposal": _l("The proposed remedy was declined."),
    "refer": _l("You were referred to another body that can help."),
    "start_verification": _l("The remedy was reported delivered. We asked if it arrived."),
    "confirm": _l("The remedy was confirmed as delivered."),
    "confirm_partly": _l("The remedy was confirmed as delivered in part."),
    "dispute": _l("The remedy was reported as not delivered. Work on it started again."),
    "close_without_confirmation": _l("This part was closed without your confirmation."),
    "reopen": _l("The problem came back. Work on it started again."),
    "record_leverage": _l("The company raised the problem with its business partner."),
    "partner_commits": _l("The business partner promised a remedy."),
    "escalate": _l("The company pressed its business partner harder."),
    "end_relationship": _l("The company ended its relationship with the business partner."),
    "request_explanation": _l("An explanation of the automated decision was asked for."),
    "give_explanation": _l("The automated decision was explained to you."),
}
OTHER_STEPS: dict[str, LazyString] = {
    "grievance.submit": _l("You told us what happened."),
    "grievance.add_information": _l("Information was added to your case."),
    "attachment.add": _l("A file was added to your case."),
    "remedy_action.deliver": _l("A part of the remedy was reported delivered."),
    "check_in.answer": _l("An answer about the remedy was received."),
    "mechanism_feedback.answer": _l("You told us how fair the handling of your case was."),
    "pin_reset.complete": _l("A new PIN was set for this case."),
}
TRACK_WORKFLOWS = frozenset({"cause", "contribute", "directly_linked"})


@dataclass(frozen=True)
class Step:
    at: datetime
    text: str


@dataclass(frozen=True)
class Proposal:
    """A remedy proposed on one track, waiting for the complainant's answer."""

    track: InvolvementTrack
    actions: list[RemedyAction]
    answer_by: datetime | None


@dataclass(frozen=True)
class CaseActions:
    """What the complainant may do now (the workflow decides)."""

    add_information: bool
    appeal: bool
    withdraw: bool
    proposals: list[Proposal]
    questions: list[CheckIn]
    # May this organisation know who you are: one question per organisation not served.
    consents: list[IdentityConsent] = field(default_factory=list)
    # Tracks whose classification the people may contest now.
    contestable: list[InvolvementTrack] = field(default_factory=list)
    # Tracks about an automated decision whose explanation the people may ask for now.
    explainable: list[InvolvementTrack] = field(default_factory=list)
    # The case is over: how fair was its handling (remedy.cases.mechanism_feedback).
    fairness: bool = False
    # The team's question while the case waits for the complainant (answered by adding
    # information): the message that asked it, as the person received it.
    team_question: OutboxMessage | None = None
    # A proxy's read only: the people it may say, for them, how fair the ended case was.
    fairness_for: list[Person] = field(default_factory=list)
    # The case waits for information from the people (a proxy may not have the message).
    awaiting_information: bool = False

    @property
    def awaiting_answer(self) -> bool:
        return bool(
            self.team_question
            or self.proposals
            or self.questions
            or self.consents
            or self.fairness
            or self.fairness_for
        )


def complainant_of(grievance: Grievance) -> Actor:
    """Reference and PIN identify the one who filed, not each person of a group."""
    return Actor.complainant(grievance.reference)


def _step_text(action: str) -> LazyString | None:
    workflow, _sep, trigger = action.partition(".")
    if workflow == "intake":
        return INTAKE_STEPS.get(trigger)
    if workflow in TRACK_WORKFLOWS:
        return TRACK_STEPS.get(trigger)
    return OTHER_STEPS.get(action)


def steps(grievance: Grievance) -> list[Step]:
    """What happened so far, newest first, in the reader's language."""
    track_ids = [str(track.id) for track in grievance.tracks]
    subjects = [
        and_(AuditEvent.subject_type == "grievance", AuditEvent.subject_id == grievance.reference)
    ]
    if track_ids:
        subjects.append(
            and_(AuditEvent.subject_type == "track", AuditEvent.subject_id.in_(track_ids))
        )
    events = db.session.scalars(
        select(AuditEvent).where(or_(*subjects)).order_by(AuditEvent.seq.desc())
    )
    found = []
    for event in events:
        text = _step_text(event.action)
        # A track's own withdrawal follows the grievance's: told once.
        if text is not None and not (
            event.subject_type == "track" and event.action.endswith(".withdraw")
        ):
            found.append(Step(event.occurred_at, str(text)))
    return found


def _own_people(grievance: Grievance) -> list[int]:
    return [link.person_id for link in grievance.people if link.role is PersonRole.COMPLAINANT]


def messages(grievance: Grievance) -> list[OutboxMessage]:
    """Messages sent to the one who filed, on any channel, newest first.

    A discreet case's phone only heard "there is news" while the words went to this page
    (``remedy.cases.notify``, the ``…:web`` copy): the page lists the words once, not the
    notice after each of them."""
    people = _own_people(grievance)
    if not people:
        return []
    web_copy = aliased(OutboxMessage)
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.grievance_id == grievance.id,
                OutboxMessage.person_id.in_(people),
                OutboxMessage.channel != MessageChannel.CONSOLE,
                OutboxMessage.template.not_in(HIDDEN_TEMPLATES),
                ~exists().where(
                    web_copy.grievance_id == grievance.id,
                    web_copy.dedupe_key == OutboxMessage.dedupe_key + ":web",
                ),
            )
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        )
    )


def open_questions(grievance: Grievance) -> list[CheckIn]:
    """Questions about a remedy put to the one who filed and not answered yet."""
    people = set(_own_people(grievance))
    return [
        check_in
        for track in grievance.tracks
        for check_in in track.check_ins
        if check_in.is_open and check_in.person_id in people
    ]


def questions_for(grievance: Grievance, actor: Actor) -> list[CheckIn]:
    """The open questions this actor answers: the filer's own; for a proxy, those put to its
    organisation or to people its mandate lets it answer for."""
    if actor.kind is not ActorKind.PROXY:
        return open_questions(grievance)
    return [
        check_in
        for track in grievance.tracks
        for check_in in track.check_ins
        if check_in.is_open
        and check_in.proxy_organisation_id in (None, actor.organisation_id)
        and holds_mandate(actor, grievance, MandateScope.ANSWER_CHECK_INS, check_in.person)
    ]


def find_question(grievance: Grievance, check_in_id: int) -> CheckIn | None:
    return next((c for c in open_questions(grievance) if c.id == check_in_id), None)


def _proposal(track: InvolvementTrack) -> Proposal:
    actions = [action for action in track.remedy_actions if action.is_active]
    return Proposal(track, actions, track.due_at)


def proposals(grievance: Grievance, actor: Actor) -> list[Proposal]:
    return [
        _proposal(track)
        for track in grievance.tracks
        if any(t.trigger == "accept_proposal" for t in allowed_transitions(track, actor))
    ]


def find_proposal(grievance: Grievance, actor: Actor, track_id: int) -> Proposal | None:
    return next((p for p in proposals(grievance, actor) if p.track.id == track_id), None)


def _offering(grievance: Grievance, actor: Actor, trigger: str) -> list[InvolvementTrack]:
    return [
        track
        for track in grievance.tracks
        if any(t.trigger == trigger for t in allowed_transitions(track, actor))
    ]


def contestable(grievance: Grievance, actor: Actor) -> list[InvolvementTrack]:
    """Open tracks whose classification this actor may contest now."""
    return _offering(grievance, actor, "contest_classification")


def explainable(grievance: Grievance, actor: Actor) -> list[InvolvementTrack]:
    """Tracks whose automated decision this actor may ask to have explained now."""
    return _offering(grievance, actor, "request_explanation")


def team_question(grievance: Grievance) -> OutboxMessage | None:
    """The message that asked the question the case now waits on, if it does: its words
    once (the page's copy, not a discreet phone's notice)."""
    if grievance.state != IntakeState.AWAITING_COMPLAINANT:
        return None
    return next((m for m in messages(grievance) if m.template == "info_requested"), None)


def case_actions(grievance: Grievance, actor: Actor) -> CaseActions:
    """What waits for the people, or for who speaks for them: the one read behind the web's
    case and /answer pages and the proxy portal's case page."""
    offered = {t.trigger for t in allowed_transitions(grievance, actor)}
    proxy = actor.kind is ActorKind.PROXY
    return CaseActions(
        add_information=grievance.state != IntakeState.WITHDRAWN,
        appeal="appeal" in offered,
        withdraw="withdraw" in offered,
        proposals=proposals(grievance, actor),
        questions=questions_for(grievance, actor),
        consents=pending_consents(grievance) if may_answer(actor, grievance) else [],
        contestable=contestable(grievance, actor),
        explainable=explainable(grievance, actor),
        fairness=mechanism_feedback.awaits_from(actor, grievance),
        team_question=team_question(grievance),
        fairness_for=mechanism_feedback.people_to_answer_for(actor, grievance) if proxy else [],
        awaiting_information=grievance.state == IntakeState.AWAITING_COMPLAINANT,
    )
