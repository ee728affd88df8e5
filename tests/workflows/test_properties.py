"""Random trigger sequences, fired through the services by the whole cast: invariants hold.

A hypothesis ``RuleBasedStateMachine`` files a grievance (with 0 to 2 affected people,
with or without contact consent, discreet or not, with or without a proxy mandate that
covers everything or only following the case, and that brings the proxy the messages or
not) and starts it in screening, in assessment, or in remedy with one or two tracks of any
kinds (in their first state, implementing, or verifying with the check-ins open). Each rule
is one use case of the services, the only way in, fired by an actor the machine draws: the
handler, two supervisors, each organisation's own handler, the NGO's proxy, the
complainant (by reference and PIN, or as one person), someone holding another case's
reference, Remedy itself, an auditor. Each rule leans toward the actor who may act and
is enabled while its step makes sense, so sequences get deep into every workflow; one
more rule fires any step at any time, so wrong states are tried too. Fields are left
blank now and then, and the clock moves: the check-in, appeal and monitoring windows go
by, and the deadline job runs 8, 31 or 100 days ahead (overdue notices, expired
questions, follow-up check-ins whose "no" reopens a track).

After every step, for the grievance of the example:

* tracks and grievance: a track is open only while the grievance is ``in_remedy``; a
  grievance ``in_remedy`` has at least one open track; a ``resolved`` grievance has
  tracks and all of them ended. So for a grievance that reached remedy, it is resolved
  exactly when all its tracks ended. (A grievance sent back to assessment by an
  overturned appeal keeps its ended tracks until it is classified again: that is not
  a resolved grievance, and the rules above allow it.)
* outcomes agree with states: an ended track has ``STATE_OUTCOMES[state]`` and an end
  time, an open one neither; a resolved grievance has ``derive_outcome(tracks)`` and a
  resolution time; another ended grievance has ``STATE_OUTCOMES[state]``; an open one
  has no outcome; ended work has no deadline.
* the audit log: every new event follows the previous one (hash chain), and the whole
  chain verifies (``verify_chain``) at the end of every example.
* messages: each audit event of a transition that tells the people (``notify``), each
  new check-in round and each overdue notice queued exactly one outbox message per
  recipient (rows keyed ``a{seq}:<recipient>``, compared with ``recipients()``), with
  that transition's template; every other event queued none for the people.
* every step that fired a trigger bumped the grievance's version (what makes two
  concurrent triggers on one grievance, or on two of its tracks, conflict).
* a refused step (``ServiceError``) changed nothing: not the grievance, its tracks and
  their rows, nor any table's row count, nor the audit chain head; and no service leaves
  uncommitted changes behind, refused or not.

Design: the ``app`` fixture gives one fresh database per backend for the whole test;
every example files a new grievance in it, so examples are independent without a
database each. The machine is run with ``run_state_machine_as_test`` inside an ordinary
test, so the function-scoped fixtures are set up once, on purpose, and hypothesis's
``function_scoped_fixture`` health check (which is about ``@given`` tests) does not
apply. Every step labels its fate with ``hypothesis.event`` ("done: accept", "refused:
accept (NotAllowed)", the states reached): count those to see what a run covered.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import ClassVar

from flask import current_app
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select, text

from remedy.audit.log import event_hash, verify_chain
from remedy.cases import check_ins, intake, tracks
from remedy.cases.deadlines import run_deadlines
from remedy.cases.notify import PHONE_CHANNELS, recipients
from remedy.cases.triggers import STATE_OUTCOMES
from remedy.core.actors import OPERATOR, SYSTEM, Actor
from remedy.core.errors import ServiceError
from remedy.core.extensions import db
from remedy.models import (
    Answer,
    AuditEvent,
    CheckIn,
    Grievance,
    InvolvementTrack,
    LeverageType,
    Mandate,
    OutboxMessage,
    RemedyType,
    ReprisalRisk,
    TrackKind,
)
from remedy.models.audit_event import GENESIS_HASH, AuditChainHead
from remedy.models.types import utcnow
from remedy.proxy.mandates import withdraw_mandate
from remedy.workflows import INTAKE, WORKFLOWS, workflow_for
from remedy.workflows import intake as intake_workflow
from remedy.workflows.definition import MandateScope
from tests.conftest import FULL_MATRIX
from tests.workflows.scenarios import Scenario

SETTINGS = settings(
    # Each example is a whole case run by random steps: the full (CI) matrix runs 50, a
    # local run 15 (the dev profile's random seeds still vary from run to run).
    max_examples=50 if FULL_MATRIX else 15,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ACTORS = (
    "handler",
    "supervisor",
    "other_supervisor",
    "company_handler",
    "partner_handler",
    "proxy",
    "complainant",
    "person",
    "stranger",
    "system",
    "auditor",
)
TEAM = ("handler", "handler", "supervisor")
PEOPLE = ("complainant", "person", "proxy")
OPEN, DECIDED = intake_workflow.OPEN, intake_workflow.DECIDED
TRACK_OPEN = tuple(
    sorted({s.name for w in WORKFLOWS.values() if w is not INTAKE for s in w.states if not s.ended})
)
CAUSE = TrackKind.CAUSE
GRIEVANCE_STEPS = (
    "accept",
    "reject",
    "request_info",
    "provide_information",
    "classify",
    "find_no_involvement",
    "withdraw",
    "appeal",
    "review",
)
TRACK_STEPS = (
    "propose_remedy",
    "accept_proposal",
    "decline_proposal",
    "record_leverage",
    "partner_commits",
    "escalate",
    "end_relationship",
    "refer",
    "close_without_confirmation",
    "reclassify",
    "open_check_in",
)
OUT_OF_TURN = GRIEVANCE_STEPS + TRACK_STEPS
CLOCK = (
    "check_in",
    "appeal",
    "monitoring",
    "deadline job in 8 days",
    "deadline job in 31 days",
    "deadline job in 100 days",
)
# Where an example's grievance starts: its tracks (if any) in their first state, or
# implementing (partner remedying), or verifying with the check-ins open.
START = ("screening", "assessment", "in_remedy", "in_remedy", "implementing", "verifying")
# The mandate a proxy holds: (scopes, proxy receives messages), or none.
MANDATES: tuple[tuple[tuple[MandateScope, ...], bool] | None, ...] = (
    None,
    (tuple(MandateScope), True),
    (tuple(MandateScope), False),
    ((MandateScope.FOLLOW,), True),
)
# The rows of one grievance that steps update (other tables only gain rows: their counts are
# compared); a refused step must leave all of them as they were.
GRIEVANCE_ROWS = {
    "grievances": "id = :g",
    "involvement_tracks": "grievance_id = :g",
    "mandates": "grievance_id = :g",
    "appeals": "grievance_id = :g",
    "remedy_actions": "track_id IN (SELECT id FROM involvement_tracks WHERE grievance_id = :g)",
    "leverage_actions": "track_id IN (SELECT id FROM involvement_tracks WHERE grievance_id = :g)",
    "check_ins": "track_id IN (SELECT id FROM involvement_tracks WHERE grievance_id = :g)",
}


@functools.cache
def snapshot_query(dialect: str) -> str:
    """One round trip: the rows above as text, every table's row count, the chain head."""
    tables = db.metadata.tables

    def shown(column: str) -> str:
        if dialect == "sqlite":  # quote() shows blobs (encrypted columns) as X'…', NULL as NULL
            return f'quote("{column}")'
        return f"COALESCE(CAST(\"{column}\" AS TEXT), 'NULL')"

    def as_text(table: str) -> str:
        return " || '|' || ".join(shown(column.name) for column in tables[table].columns)

    parts = [
        f"SELECT '{name}', {as_text(name)} FROM {name} WHERE {where}"  # noqa: S608 - constants
        for name, where in {**GRIEVANCE_ROWS, "audit_chain_head": "1 = 1"}.items()
    ]
    parts += [
        f"SELECT '{name} rows', CAST(count(*) AS TEXT) FROM {name}"  # noqa: S608 - table names
        for name in tables
    ]
    return " UNION ALL ".join(parts)


def actors(*likely: str) -> st.SearchStrategy[str]:
    """Anyone in the cast, with a lean toward who ordinarily takes this step."""
    return st.one_of(st.sampled_from(likely), st.sampled_from(ACTORS))


def texts(value: str) -> st.SearchStrategy[str]:
    """A filled-in field, or a blank one (which the step must refuse)."""
    return st.sampled_from([value, value, ""])


tracks_index = st.integers(min_value=0, max_value=1)


def in_state(*states: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Enable a grievance step while the grievance is in one of these states."""
    return precondition(lambda self: self.grievance_state in states)


def track_in(*states: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Enable a track step while the grievance is in remedy and a track in one of these."""
    return precondition(
        lambda self: (
            self.grievance_state == "in_remedy" and any(s in states for s in self.track_states)
        )
    )


class WorkflowMachine(RuleBasedStateMachine):
    """One grievance per example; ``cast`` is set by the test (one app per backend)."""

    cast: ClassVar[Scenario]

    def __init__(self) -> None:
        super().__init__()
        db.session.rollback()  # a failed example may have left the session mid-step
        self.s = self.cast
        self.grievance_id = 0
        self.reference = ""
        self.person_ids: list[int] = []
        self.grievance_state = ""
        self.track_states: list[str] = []
        self.anywhere = False
        self.track_count = 0
        self.question_count = 0
        self.before: list[tuple[str, str]] | None = None
        self.has_mandate = False
        self.version = 0
        head = db.session.execute(select(AuditChainHead.seq, AuditChainHead.last_hash)).first()
        self.seen_seq, self.last_hash = (head[0], head[1]) if head else (0, GENESIS_HASH)
        self.seen_outbox = db.session.scalar(select(func.max(OutboxMessage.id))) or 0

    # The cast -------------------------------------------------------------------

    def actor(self, name: str) -> Actor:
        s = self.s
        named = {
            "handler": s.handler,
            "supervisor": s.supervisor,
            "other_supervisor": s.other_supervisor,
            "company_handler": s.company_handler,
            "partner_handler": s.partner_handler,
            "proxy": s.proxy,
            "auditor": s.auditor,
            "system": SYSTEM,
            "complainant": Actor.complainant(self.reference),
            "person": Actor.complainant(
                self.reference, self.person_ids[0] if self.person_ids else None
            ),
            # Someone who holds another case's reference and PIN.
            "stranger": Actor.complainant("00000000"),
        }
        return named[name]

    def asked(self, check_in: CheckIn) -> Actor:
        """Whoever this question was put to."""
        if check_in.person_id is not None:
            return Actor.complainant(self.reference, check_in.person_id)
        return self.s.proxy

    def grievance(self) -> Grievance:
        grievance = db.session.get(Grievance, self.grievance_id)
        assert grievance is not None
        return grievance

    def track(self, index: int, *states: str) -> InvolvementTrack:
        """The index-th track among those in these states (any track if none is, or when
        the step is fired out of turn)."""
        found = self.grievance().tracks
        fitting = [track for track in found if track.state in states]
        chosen = found if self.anywhere or not fitting else fitting
        return chosen[index % len(chosen)]

    # Attempting a step ---------------------------------------------------------------

    def snapshot(self) -> list[tuple[str, str]]:
        """Every row of this grievance, each table's row count, and the audit chain head."""
        query = text(snapshot_query(db.engine.dialect.name))
        return sorted(tuple(row) for row in db.session.execute(query, {"g": self.grievance_id}))

    def attempt(self, step: str, call: Callable[[], object]) -> bool:
        """Run one use case; if it is refused, nothing may have changed since the last step."""
        # Taken after the previous step by the invariant, or again after a change since.
        before = self.before if self.before is not None else self.snapshot()
        refused: ServiceError | None = None
        try:
            call()
        except ServiceError as error:
            refused = error
        unsaved = db.session.new | db.session.dirty | db.session.deleted
        assert not unsaved, f"{step} ({refused or 'done'}) left uncommitted changes: {unsaved}"
        if refused is None:
            self.before = None
            event(f"done: {step}")
            return True
        db.session.expire_all()
        assert self.snapshot() == before, f"{step} was refused ({refused}) but changed data"
        event(f"refused: {step} ({type(refused).__name__})")
        return False

    # Setting the stage -------------------------------------------------------------

    @initialize(
        start=st.sampled_from(START),
        kinds=st.lists(st.sampled_from(TrackKind), min_size=1, max_size=2),
        people=st.integers(min_value=0, max_value=2),
        contact=st.booleans(),
        discreet=st.booleans(),
        mandate=st.sampled_from(MANDATES),
    )
    def file(
        self,
        start: str,
        kinds: list[TrackKind],
        people: int,
        contact: bool,
        discreet: bool,
        mandate: tuple[tuple[MandateScope, ...], bool] | None,
    ) -> None:
        risk = ReprisalRisk.HIGH if discreet else ReprisalRisk.NONE
        grievance = self.s.file(people=people, contact_consent=contact, reprisal_risk=risk)
        self.grievance_id, self.reference = grievance.id, grievance.reference
        self.person_ids = [link.person_id for link in grievance.people]
        # Messages so far went to the people alone: check them before the proxy joins.
        self.check_new_events()
        if mandate is not None:
            scopes, receives = mandate
            self.s.mandate(grievance, scopes, proxy_receives_messages=receives)
            self.has_mandate = True
        if start != "screening":
            intake.accept(self.s.handler, grievance)
        if start not in ("screening", "assessment"):
            organisations = [self.s.company, self.s.partner]
            plans = [
                intake.TrackPlan(organisations[index], kind, f"Assessed as {kind.value}.")
                for index, kind in enumerate(kinds)
            ]
            opened = intake.classify(self.s.handler, grievance, plans, intake.Severity(2, 2, 1))
            for track in opened:
                if start == "implementing":
                    self.s.implement(track)
                elif start == "verifying":
                    self.s.verify(track)
        event(f"start: {start}")

    # Steps ---------------------------------------------------------------------------
    # Each rule is enabled while its step makes sense (so sequences get deep into the
    # workflows); ``out_of_turn`` fires any of them at any time (so every wrong state is
    # tried too). Actors and fields are drawn either way, so refusals come in every kind.

    @in_state("screening")
    @rule(actor=actors("handler", "supervisor"))
    def accept(self, actor: str = "handler") -> None:
        grievance, who = self.grievance(), self.actor(actor)
        self.attempt("accept", lambda: intake.accept(who, grievance))

    @in_state("screening")
    @rule(actor=actors("handler", "supervisor"), reason=texts("Outside"), referral=st.booleans())
    def reject(
        self, actor: str = "handler", reason: str = "Outside", referral: bool = True
    ) -> None:
        grievance, who = self.grievance(), self.actor(actor)
        mechanism = self.s.court() if referral else None
        self.attempt("reject", lambda: intake.reject(who, grievance, reason, mechanism))

    @in_state("screening")
    @rule(actor=actors("handler"), question=texts("Where is the fence?"))
    def request_info(self, actor: str = "handler", question: str = "Where?") -> None:
        grievance, who = self.grievance(), self.actor(actor)
        self.attempt("request_info", lambda: intake.request_info(who, grievance, question))

    @in_state("awaiting_complainant")
    @rule(actor=actors("complainant", "proxy"), information=texts("By the river."))
    def provide_information(self, actor: str = "complainant", information: str = "Here.") -> None:
        grievance, who = self.grievance(), self.actor(actor)
        self.attempt(
            "provide_information", lambda: intake.provide_information(who, grievance, information)
        )

    @in_state("assessment")
    @rule(
        actor=actors("handler"),
        kinds=st.lists(st.sampled_from(TrackKind), min_size=1, max_size=2),
        valid=st.sampled_from([True, True, False]),
    )
    def classify(
        self, actor: str = "handler", kinds: tuple[TrackKind, ...] = (CAUSE,), valid: bool = True
    ) -> None:
        grievance, who = self.grievance(), self.actor(actor)
        organisations = [self.s.company, self.s.partner]
        plans = [
            intake.TrackPlan(organisations[index], kind, "Assessed.")
            for index, kind in enumerate(kinds)
        ]
        severity = intake.Severity(3, 2, 1) if valid else intake.Severity(0, 2, 1)
        self.attempt("classify", lambda: intake.classify(who, grievance, plans, severity))

    @in_state("assessment")
    @rule(actor=actors("handler"), referral=st.booleans())
    def find_no_involvement(self, actor: str = "handler", referral: bool = True) -> None:
        grievance, who = self.grievance(), self.actor(actor)
        mechanism = self.s.court() if referral else None
        self.attempt(
            "find_no_involvement",
            lambda: intake.find_no_involvement(who, grievance, "Not our site.", mechanism),
        )

    @in_state(*OPEN)
    @rule(actor=st.sampled_from(ACTORS))  # no lean: withdrawing ends the example's story
    def withdraw(self, actor: str = "complainant") -> None:
        grievance, who = self.grievance(), self.actor(actor)
        self.attempt("withdraw", lambda: intake.withdraw(who, grievance))

    @in_state(*DECIDED)
    @rule(
        actor=actors(*PEOPLE),
        reason=texts("Not really solved."),
        late=st.sampled_from([False, False, True]),
    )
    def appeal(
        self, actor: str = "complainant", reason: str = "Not solved.", late: bool = False
    ) -> None:
        if late:
            self.elapse("appeal")
        grievance, who = self.grievance(), self.actor(actor)
        self.attempt("appeal", lambda: intake.appeal(who, grievance, reason))

    @in_state("under_review")
    @rule(
        actor=actors("supervisor", "other_supervisor"),
        uphold=st.booleans(),
        reason=texts("Reviewed."),
    )
    def review(self, actor: str = "supervisor", uphold: bool = True, reason: str = "Done.") -> None:
        grievance, who = self.grievance(), self.actor(actor)
        step = "uphold" if uphold else "overturn"
        self.attempt(step, lambda: intake.review(who, grievance, uphold, reason))

    @precondition(lambda self: self.has_mandate)
    @rule()
    def withdraw_the_mandate(self) -> None:
        for mandate in db.session.scalars(
            select(Mandate).where(Mandate.grievance_id == self.grievance_id)
        ):
            withdraw_mandate(OPERATOR, mandate)
        self.has_mandate = False

    @track_in("planning", "dialogue")
    @rule(
        actor=actors(*TEAM),
        index=tracks_index,
        with_action=st.booleans(),
        leverage=st.sampled_from(["always", "as needed", "never"]),
    )
    def propose_remedy(
        self,
        actor: str = "handler",
        index: int = 0,
        with_action: bool = True,
        leverage: str = "as needed",
    ) -> None:
        track, who = self.track(index, "planning", "dialogue"), self.actor(actor)
        actions = [tracks.RemedyActionPlan(RemedyType.CESSATION, "Remove the fence.")]
        plans = [tracks.LeveragePlan(LeverageType.RAISE_ISSUE, "Rift Haulage", "Raise it.")]
        needed = track.kind is TrackKind.CONTRIBUTE and not track.leverage_actions
        with_leverage = leverage == "always" or (leverage == "as needed" and needed)
        self.attempt(
            "propose_remedy",
            lambda: tracks.propose_remedy(
                who, track, actions if with_action else [], plans if with_leverage else []
            ),
        )

    @precondition(lambda self: self.track_count > 0)
    @rule(
        actor=actors(*TEAM),
        index=tracks_index,
        cancel=st.booleans(),
        which=st.integers(0, 2),
    )
    def change_the_plan(
        self, actor: str = "handler", index: int = 0, cancel: bool = False, which: int = 0
    ) -> None:
        """Add a remedy action to a track, or cancel one of its actions."""
        track, who = self.track(index, *TRACK_OPEN), self.actor(actor)
        if cancel and track.remedy_actions:
            action = track.remedy_actions[which % len(track.remedy_actions)]
            self.attempt("cancel_remedy_action", lambda: tracks.cancel_remedy_action(who, action))
            return
        plan = tracks.RemedyActionPlan(RemedyType.COMPENSATION, "Pay for the lost harvest.")
        self.attempt("add_remedy_action", lambda: tracks.add_remedy_action(who, track, plan))

    @track_in("proposed")
    @rule(actor=actors(*PEOPLE), index=tracks_index)
    def accept_proposal(self, actor: str = "complainant", index: int = 0) -> None:
        track, who = self.track(index, "proposed"), self.actor(actor)
        self.attempt("accept_proposal", lambda: tracks.accept_proposal(who, track))

    @track_in("proposed")
    @rule(actor=actors(*PEOPLE), index=tracks_index)
    def decline_proposal(self, actor: str = "complainant", index: int = 0) -> None:
        track, who = self.track(index, "proposed"), self.actor(actor)
        self.attempt("decline_proposal", lambda: tracks.decline_proposal(who, track, "Too little."))

    @track_in("implementing", "partner_remedying")
    @rule(
        actor=actors(*TEAM),
        index=tracks_index,
        which=st.integers(0, 2),
        every=st.booleans(),
    )
    def report_delivered(
        self, actor: str = "handler", index: int = 0, which: int = 0, every: bool = False
    ) -> None:
        """One action reported delivered, or every action still waiting, one by one."""
        track = self.track(index, "implementing", "partner_remedying")
        who = self.actor(actor)
        waiting = [a for a in track.remedy_actions if a.is_active and not a.is_delivered]
        candidates = waiting or track.remedy_actions
        if not candidates:
            return
        chosen = candidates if every and waiting else [candidates[which % len(candidates)]]
        for action in chosen:
            self.attempt(
                "report_delivered",
                functools.partial(tracks.report_delivered, who, action, "Photos of the path."),
            )

    @track_in(*TRACK_OPEN)
    @rule(actor=actors(*TEAM), index=tracks_index)
    def record_leverage(self, actor: str = "handler", index: int = 0) -> None:
        track, who = self.track(index, *TRACK_OPEN), self.actor(actor)
        plan = tracks.LeveragePlan(LeverageType.CONTRACTUAL_DEMAND, "Rift Haulage", "Demand it.")
        self.attempt("record_leverage", lambda: tracks.record_leverage(who, track, plan))

    @track_in("engaging", "escalated")
    @rule(actor=actors(*TEAM), index=tracks_index, with_action=st.booleans())
    def partner_commits(
        self, actor: str = "handler", index: int = 0, with_action: bool = True
    ) -> None:
        track, who = self.track(index, "engaging", "escalated"), self.actor(actor)
        plan = tracks.RemedyActionPlan(RemedyType.RESTITUTION, "Rebuild the path.")
        actions = [plan] if with_action else []
        self.attempt("partner_commits", lambda: tracks.partner_commits(who, track, actions))

    @track_in("engaging")
    @rule(actor=actors(*TEAM), index=tracks_index, reason=texts("No answer in 60 days."))
    def escalate(self, actor: str = "handler", index: int = 0, reason: str = "Silence.") -> None:
        track, who = self.track(index, "engaging"), self.actor(actor)
        self.attempt("escalate", lambda: tracks.escalate(who, track, reason))

    @track_in("escalated")
    @rule(actor=actors("supervisor"), index=tracks_index, assessment=texts("Jobs at risk."))
    def end_relationship(
        self, actor: str = "supervisor", index: int = 0, assessment: str = "Assessed."
    ) -> None:
        track, who = self.track(index, "escalated"), self.actor(actor)
        self.attempt("end_relationship", lambda: tracks.end_relationship(who, track, assessment))

    @track_in("dialogue", "engaging")
    @rule(actor=actors(*TEAM), index=tracks_index, referral=st.booleans())
    def refer(self, actor: str = "handler", index: int = 0, referral: bool = True) -> None:
        track, who = self.track(index, "dialogue", "engaging"), self.actor(actor)
        mechanism = self.s.court() if referral else None
        self.attempt("refer", lambda: tracks.refer(who, track, mechanism, "A court can help."))

    @track_in("verifying")
    @rule(
        actor=actors("supervisor"),
        index=tracks_index,
        reason=texts("No answer."),
        late=st.booleans(),
    )
    def close_without_confirmation(
        self, actor: str = "supervisor", index: int = 0, reason: str = "None.", late: bool = False
    ) -> None:
        if late:
            self.elapse("check_in")
        track, who = self.track(index, "verifying"), self.actor(actor)
        self.attempt(
            "close_without_confirmation",
            lambda: tracks.close_without_confirmation(who, track, reason),
        )

    @track_in(*TRACK_OPEN)
    @rule(actor=actors(*TEAM), index=tracks_index, kind=st.sampled_from(TrackKind))
    def reclassify(self, actor: str = "handler", index: int = 0, kind: TrackKind = CAUSE) -> None:
        track, who = self.track(index, *TRACK_OPEN), self.actor(actor)
        self.attempt(
            "reclassify", lambda: tracks.reclassify(who, track, kind, "Seen differently now.")
        )

    @track_in("verifying")
    @rule(actor=actors(*TEAM), index=tracks_index)
    def open_check_in(self, actor: str = "handler", index: int = 0) -> None:
        track, who = self.track(index, "verifying"), self.actor(actor)
        self.attempt("open_check_in", lambda: check_ins.open_check_in(who, track))

    @precondition(lambda self: self.question_count > 0)
    @rule(
        actor=st.one_of(st.just("asked"), st.sampled_from(ACTORS)),
        index=tracks_index,
        which=st.integers(0, 3),
        answer=st.sampled_from(Answer),
        everyone=st.booleans(),
    )
    def answer_check_in(
        self,
        actor: str = "asked",
        index: int = 0,
        which: int = 0,
        answer: Answer = Answer.YES,
        everyone: bool = False,
    ) -> None:
        """One question answered, or every open one on the track, each by whoever answers."""
        track = self.track(index)
        open_now = [c for c in track.check_ins if c.is_open]
        questions = open_now or track.check_ins
        if not questions:
            return
        chosen = open_now if everyone and open_now else [questions[which % len(questions)]]
        comment = "The water point is missing." if answer is Answer.PARTLY else None
        for check_in in chosen:
            who = self.asked(check_in) if actor == "asked" else self.actor(actor)
            self.attempt(
                f"answer {check_in.purpose.value} check-in {answer.value} as {actor}",
                functools.partial(check_ins.answer_check_in, who, check_in, answer, comment),
            )

    @rule(
        step=st.sampled_from(OUT_OF_TURN),
        actor=st.sampled_from(ACTORS),
        index=tracks_index,
    )
    def out_of_turn(self, step: str, actor: str, index: int) -> None:
        """Any step, whatever the state: it runs if allowed, and is refused cleanly if not."""
        if step in TRACK_STEPS:
            if not self.track_count:
                return
            self.anywhere = True
            try:
                getattr(self, step)(actor=actor, index=index)
            finally:
                self.anywhere = False
        else:
            getattr(self, step)(actor=actor)

    # The clock -------------------------------------------------------------------------

    def elapse(self, window: str) -> None:
        """Move this grievance's timestamps back, as if that window had gone by."""
        grievance, now = self.grievance(), utcnow()
        if window == "appeal" and grievance.decided_at is not None:
            grievance.decided_at = now - current_app.config["REMEDY_APPEAL_WINDOW"] - timedelta(1)
        for track in grievance.tracks:
            if window == "check_in" and track.check_in_window_ends_at is not None:
                track.check_in_window_ends_at = now - timedelta(minutes=1)
            if window == "monitoring" and track.ended_at is not None:
                span = current_app.config["REMEDY_MONITORING_WINDOW"]
                track.ended_at = now - span - timedelta(1)
        db.session.commit()
        self.before = None
        event(f"time passes: {window} window")

    @rule(what=st.sampled_from(CLOCK))
    def clock(self, what: str) -> None:
        """A window goes by for this grievance, or the deadline job runs days from now."""
        if what in ("check_in", "appeal", "monitoring"):
            self.elapse(what)
            return
        days = int(what.removeprefix("deadline job in ").removesuffix(" days"))
        report = run_deadlines(utcnow() + timedelta(days=days))
        self.before = None
        event(f"deadline job: {report.follow_ups_opened} follow-ups opened")
        assert not db.session.new
        assert not db.session.dirty

    # What must always hold ------------------------------------------------------------

    def owed_template(self, audit_event: AuditEvent) -> str | None:
        """The message this event owes every recipient, or None."""
        if audit_event.action == "check_in.open":
            return "check_in"
        if audit_event.action == "deadline.overdue":
            return "delayed"
        name, _, trigger = audit_event.action.partition(".")
        workflow = WORKFLOWS.get(name)
        if workflow is None:
            return None
        assert audit_event.before is not None
        assert audit_event.after is not None
        source, dest = audit_event.before["state"], audit_event.after["state"]
        taken = {
            t.notify
            for t in workflow.transitions
            if t.trigger == trigger and source in t.source and t.dest == dest
        }
        assert len(taken) == 1, f"event {audit_event.seq}: no transition {source} -> {dest}"
        return taken.pop()

    def grievance_of(self, audit_event: AuditEvent) -> Grievance:
        if audit_event.subject_type == "track":
            track = db.session.get(InvolvementTrack, int(audit_event.subject_id or 0))
            assert track is not None
            return track.grievance
        grievance = db.session.scalar(
            select(Grievance).where(Grievance.reference == audit_event.subject_id)
        )
        assert grievance is not None
        return grievance

    def check_new_events(self) -> bool:
        """Chain links and messages of the events since the last check; True if a trigger
        fired on this example's grievance or its tracks."""
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.seq > self.seen_seq).order_by(AuditEvent.seq)
        ).all()
        queued = db.session.execute(
            select(OutboxMessage.id, OutboxMessage.dedupe_key, OutboxMessage.template).where(
                OutboxMessage.id > self.seen_outbox, OutboxMessage.user_id.is_(None)
            )
        ).all()
        by_event: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for _id, dedupe_key, queued_template in queued:
            occurrence, _, recipient_key = dedupe_key.partition(":")
            by_event[occurrence].append((recipient_key, queued_template))
        triggered = False
        for item in events:
            assert item.prev_hash == self.last_hash, f"event {item.seq} does not follow"
            assert event_hash(item) == item.hash, f"event {item.seq} hash"
            self.last_hash, self.seen_seq = item.hash, item.seq
            owed = self.owed_template(item)
            got = by_event.pop(f"a{item.seq}", [])
            if owed is None:
                assert got == [], f"{item.action} (event {item.seq}) queued {got}"
                continue
            grievance = self.grievance_of(item)
            if item.action.partition(".")[0] in WORKFLOWS and grievance.id == self.grievance_id:
                triggered = True
            owed_to = recipients(grievance)
            expected = sorted(recipient.key for recipient in owed_to)
            # In discreet mode a phone hears only that there is news; the words wait on the
            # status page as a web copy: exactly one per discreet phone recipient.
            copies = sorted(key.removesuffix(":web") for key, _ in got if key.endswith(":web"))
            sent = sorted(key for key, _ in got if not key.endswith(":web"))
            assert sent == expected, (
                f"{item.action} (event {item.seq}) queued {got}, recipients {expected}"
            )
            assert copies == sorted(
                r.key
                for r in owed_to
                if grievance.discreet_messages and r.channel in PHONE_CHANNELS
            ), f"{item.action} (event {item.seq}) web copies {copies}"
            assert {used for _, used in got} <= {owed}, f"{item.action}: {got}"
        strays = {key: got for key, got in by_event.items() if key.startswith("a")}
        assert not strays, f"messages for events that were not written: {strays}"
        if queued:
            self.seen_outbox = max(row[0] for row in queued)
        return triggered

    @invariant()
    def workflows_agree(self) -> None:
        db.session.expire_all()
        triggered = self.check_new_events()
        grievance = self.grievance()
        if triggered:
            assert grievance.version > self.version, "a trigger did not touch the grievance"
        self.version = grievance.version
        found = list(grievance.tracks)
        self.grievance_state = grievance.state
        self.track_states = [track.state for track in found]
        self.track_count = len(found)
        self.question_count = sum(len(track.check_ins) for track in found)
        open_tracks = [track for track in found if not track.is_ended]
        state = grievance.state
        assert state in {s.name for s in INTAKE.states}

        # Resolved exactly when every track has ended.
        if open_tracks:
            assert state == "in_remedy", f"open tracks {open_tracks} while {state}"
        if state == "in_remedy":
            assert open_tracks, f"in remedy without an open track: {found}"
        if state == "resolved":
            assert found, "resolved without tracks"
            assert not open_tracks, f"resolved with open tracks {open_tracks}"

        # Outcomes agree with states.
        for track in found:
            assert track.state in {s.name for s in workflow_for(track).states}
            if track.is_ended:
                assert track.outcome is STATE_OUTCOMES[track.state], track
                assert track.ended_at is not None, track
                assert track.due_at is None, track
            else:
                assert track.outcome is None, track
                assert track.ended_at is None, track
        if state == "resolved":
            assert grievance.outcome is intake.derive_outcome(found)
        elif grievance.is_ended:
            assert grievance.outcome is STATE_OUTCOMES[state]
        else:
            assert grievance.outcome is None, (state, grievance.outcome)
        assert (grievance.resolved_at is not None) == (state == "resolved")
        if grievance.is_ended:
            assert grievance.due_at is None
        event(f"grievance ends the step: {state}")
        for track in found:
            event(f"track ends the step: {track.kind.value} {track.state}")
        self.before = self.snapshot()

    def teardown(self) -> None:
        db.session.rollback()
        report = verify_chain()
        # verify_chain reads in batches and empties the session between them: take the
        # cast's organisations back into it for the next example.
        for organisation in (self.s.company, self.s.partner, self.s.ngo):
            db.session.add(organisation)
        assert report.ok, report


def test_random_trigger_sequences_keep_the_workflow_invariants(scenario: Scenario) -> None:
    machine = type("WorkflowMachineRun", (WorkflowMachine,), {"cast": scenario})
    run_state_machine_as_test(machine, settings=SETTINGS)
