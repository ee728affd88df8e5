"""The stage for the table-driven workflow tests: states built once, checks that leave no trace.

The transition table and the who-may-do-what matrix fire some two thousand triggers.
A fresh database per check would make them crawl on PostgreSQL, so each test module
gets one migrated database per backend (see :func:`shared_app`), the cast is created
once, and every (workflow, state) is built once through the services and then reused
by every check that leaves no trace:

- refusals: the engine rolls them back, and the tests check that nothing changed;
- steps fired inside :func:`undone`: the trigger joins an outer unit of work that is
  rolled back on purpose, after the test has looked at its effects.

Checks whose step must commit build a subject of their own.

Subjects are *ready*: besides being in their state, the guards of every step out of that
state hold (a remedy action before a proposal, an elapsed check-in window before closing
without confirmation ...), so a step is refused only for the reason a test is about.
A track under test belongs to the company; the business partner has a second, open
track on the same grievance, so the grievance stays in remedy when the first one ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from flask import Flask
from sqlalchemy import func, select

from remedy import create_app
from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation, vet_organisation
from remedy.cases import intake, tracks
from remedy.cases.referrals import get_mechanism
from remedy.cases.triggers import fire
from remedy.core.actors import OPERATOR, SYSTEM, Actor
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.models import (
    ActionStatus,
    AuditChainHead,
    Category,
    ConsentMethod,
    Grievance,
    InvolvementTrack,
    LeverageType,
    Organisation,
    OrganisationKind,
    OutboxMessage,
    ProceedingKind,
    RemedyType,
    Role,
    TrackKind,
)
from remedy.models.types import utcnow
from remedy.proxy import mandates
from remedy.workflows.definition import MandateScope, Party, Transition, Workflow
from remedy.workflows.states import TrackState
from tests.conftest import TestDatabases, backend_overrides
from tests.support import PASSWORD, test_overrides
from tests.workflows.scenarios import Scenario

Subject = Grievance | InvolvementTrack

TRACK_KINDS = {kind.value: kind for kind in TrackKind}
DECIDED = ("not_admissible", "no_involvement", "resolved")
# States whose steps are routed by where the case came from.
ROUTED_STATES = (
    "under_review",
    "classification_contested",
    "explanation_requested",
    "parallel_proceedings",
)

# What the messages say, as the services would pass it to the engine.
MESSAGE_VALUES = {
    "reason": "Explained to the people in plain words.",
    "referral": "Environment and Land Court, Nakuru",
    "question": "Where exactly is the fence?",
    "outcome": "remedied",
    "explanation": "The route scoring weighs distance to the road; nobody checked the well.",
}
# What each required field is given when a test fires a step that needs it.
FIELD_VALUES: dict[str, object] = {
    "reason": "Explained to the people in plain words.",
    "question": "Where exactly is the fence?",
    "information": "Behind the school, since March.",
    "gap": "The water point is still missing.",
    "impact_assessment": "Forty jobs at risk; assessed with the workers' union.",
    "explanation": "The route scoring weighs distance to the road; nobody checked the well.",
    "proceeding": ProceedingKind.LABOUR_INSPECTORATE,
}


# The database ----------------------------------------------------------------------------


@contextmanager
def shared_app(databases: TestDatabases, instance: Path) -> Iterator[Flask]:
    """One migrated database and one app context for a whole test module."""
    url = databases.fresh()
    app = create_app({**test_overrides(url, instance), **backend_overrides(url)})
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        databases.discard(url)


class _Undo(Exception):
    pass


@contextmanager
def undone() -> Iterator[None]:
    """A unit of work that is rolled back at the end: triggers fired inside join it."""
    try:
        with atomic():
            yield
            raise _Undo
    except _Undo:
        pass


# Reading what a step left behind -------------------------------------------------------


def grievance_of(subject: Subject) -> Grievance:
    return subject.grievance if isinstance(subject, InvolvementTrack) else subject


def audit_head() -> int:
    return db.session.scalar(select(AuditChainHead.seq)) or 0


def last_message_id() -> int:
    return db.session.scalar(select(func.max(OutboxMessage.id))) or 0


def messages_since(message_id: int) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > message_id).order_by(OutboxMessage.id)
        )
    )


@dataclass(frozen=True)
class Snapshot:
    """Everything a refused step must leave as it was, read back from the database."""

    grievance: tuple[str, int]
    tracks: tuple[tuple[int, str, int], ...]
    audit_head: int
    messages: int
    check_ins: tuple[tuple[int, bool, bool], ...]

    @classmethod
    def of(cls, subject: Subject) -> Snapshot:
        grievance = grievance_of(subject)
        return cls(
            grievance=(grievance.state, grievance.version),
            tracks=tuple((t.id, t.state, t.version) for t in grievance.tracks),
            audit_head=audit_head(),
            messages=db.session.scalar(select(func.count(OutboxMessage.id))) or 0,
            check_ins=tuple(
                (c.id, c.response is not None, c.cancelled_at is not None)
                for t in grievance.tracks
                for c in t.check_ins
            ),
        )


def _organisation(ident: int) -> Organisation:
    found = db.session.get(Organisation, ident)
    assert found is not None
    return found


# The definitions, read as tables ----------------------------------------------------------


def first_transition(workflow: Workflow, trigger: str) -> Transition:
    return next(t for t in workflow.transitions if t.trigger == trigger)


def appealed_from(transition: Transition) -> str:
    """For routed steps (uphold and overturn an appeal, uphold a classification, resume
    after proceedings): the appealed decision, or the state a classification was
    contested in or a track paused in, that makes the engine take this route."""
    if transition.route is None:
        return "resolved"
    candidates = (*DECIDED, *(str(state) for state in TrackState))
    return next(
        d
        for d in candidates
        if transition.route(
            SimpleNamespace(
                appealed_state=d,
                contested_state=d,
                explanation_asked_in=d,
                proceedings_state=d,
            )
        )
    )


# The stage ----------------------------------------------------------------------------------


@dataclass
class Stage:
    """The scenario's cast and more, and the subjects already built (by id)."""

    scenario: Scenario
    actors: dict[str, Actor]
    proxies_lacking: dict[MandateScope, Organisation]
    proxy_expired: Organisation
    proxy_withdrawn: Organisation
    other_reference: str
    organisation_ids: dict[str, int]
    with_mandate_variants: bool = False
    built: dict[tuple[str, str, str], tuple[type[Subject], int]] = field(default_factory=dict)

    @classmethod
    def create(cls, with_mandate_variants: bool = False) -> Stage:
        scenario = Scenario.create()

        def staff(email: str, role: Role, organisation: Organisation | None = None) -> Actor:
            return Actor.for_user(
                accounts.create_user(OPERATOR, email, PASSWORD, role, organisation)
            )

        def ngo(name: str, email: str) -> tuple[Organisation, Actor]:
            organisation = create_organisation(OPERATOR, name, OrganisationKind.NGO, "KE")
            vet_organisation(OPERATOR, organisation, "Registration certificate seen.")
            return organisation, staff(email, Role.PROXY_MEMBER, organisation)

        lacking: dict[MandateScope, Organisation] = {}
        actors = {
            "handler": scenario.handler,
            "supervisor": scenario.supervisor,
            "protection_officer": staff("protection@example.org", Role.PROTECTION_OFFICER),
            "auditor": scenario.auditor,
            "admin": staff("admin@example.org", Role.ADMIN),
            "company_handler": scenario.company_handler,
            "company_supervisor": staff("head@acme.example", Role.SUPERVISOR, scenario.company),
            "partner_handler": scenario.partner_handler,
            "proxy": scenario.proxy,
        }
        for scope in MandateScope:
            lacking[scope], actors[f"proxy_lacking_{scope.value}"] = ngo(
                f"Lacking {scope.value}", f"member@lacking-{scope.value}.example"
            )
        expired, actors["proxy_expired"] = ngo("Expired mandate", "member@expired.example")
        withdrawn, actors["proxy_withdrawn"] = ngo("Withdrawn mandate", "member@withdrawn.example")
        _stranger, actors["proxy_without_mandate"] = ngo("No mandate", "member@none.example")
        actors["system"] = SYSTEM
        actors["operator"] = OPERATOR
        other = scenario.file()
        ids = {
            "company": scenario.company.id,
            "partner": scenario.partner.id,
            "ngo": scenario.ngo.id,
            "expired": expired.id,
            "withdrawn": withdrawn.id,
            **{scope.value: organisation.id for scope, organisation in lacking.items()},
        }
        return cls(
            scenario,
            actors,
            lacking,
            expired,
            withdrawn,
            other.reference,
            ids,
            with_mandate_variants,
        )

    def refresh(self) -> None:
        """Reload the organisations a previous test may have left detached: the session
        forgets everything when the audit chain is verified."""
        get = self.organisation_ids.__getitem__
        s = self.scenario
        s.company, s.partner, s.ngo, self.proxy_expired, self.proxy_withdrawn = (
            _organisation(get(name))
            for name in ("company", "partner", "ngo", "expired", "withdrawn")
        )
        for scope in self.proxies_lacking:
            self.proxies_lacking[scope] = _organisation(get(scope.value))

    # Who acts ---------------------------------------------------------------------------

    def actor(self, name: str, subject: Subject) -> Actor:
        """The actor by name; the complainants are the subject's, or another grievance's."""
        if name == "complainant":
            return self.scenario.complainant(grievance_of(subject))
        if name == "other_complainant":
            return Actor.complainant(self.other_reference)
        return self.actors[name]

    def someone_who_may(self, transition: Transition, subject: Subject) -> Actor:
        """Someone the definition lets fire this step (the permission matrix tests who)."""
        if Party.SYSTEM in transition.who:
            return SYSTEM
        if Party.COMPLAINANT in transition.who:
            return self.scenario.complainant(grievance_of(subject))
        if Party.TEAM in transition.who:
            return self.scenario.handler
        return self.scenario.supervisor  # the mechanism's own: every supervisor step

    def fields_for(self, transition: Transition) -> dict[str, Any]:
        values: dict[str, Any] = dict(FIELD_VALUES)
        values["referral"] = get_mechanism(self.scenario.court())
        values["tracks"] = [
            intake.TrackPlan(self.scenario.company, TrackKind.CAUSE, "We built the fence.")
        ]
        return {name: values[name] for name in transition.requires}

    # Subjects ---------------------------------------------------------------------------

    def subject(self, workflow: str, state: str, appealed: str = "resolved") -> Subject:
        """A ready subject in ``state``, built once and shared by checks that leave no trace."""
        key = (workflow, state, appealed if state in ROUTED_STATES else "")
        if key not in self.built:
            built = self.build(workflow, state, appealed)
            self.built[key] = (type(built), built.id)
        model, ident = self.built[key]
        found = db.session.get(model, ident)
        assert isinstance(found, Grievance | InvolvementTrack)
        return found

    def forget(self) -> None:
        """After a surprise (a step that should have been refused went through)."""
        self.built.clear()

    def build(
        self, workflow: str, state: str, appealed: str = "resolved", ready: bool = True
    ) -> Subject:
        """A new subject in ``state``, through the services (``ready``: its guards hold)."""
        subject: Subject
        if workflow == "intake":
            subject = self._grievance_in(state, appealed)
        else:
            subject = self._track_in(TRACK_KINDS[workflow], state)
            if state == "classification_contested" and appealed != "resolved":
                subject.contested_state = appealed  # as if contested there
                db.session.commit()
            if state == "explanation_requested" and appealed != "resolved":
                subject.explanation_asked_in = appealed  # as if asked there
            if state == "parallel_proceedings" and appealed != "resolved":
                subject.proceedings_state = appealed  # as if paused there
                db.session.commit()
        if ready:
            self._make_ready(subject)
        grievance = grievance_of(subject)
        self.scenario.mandate(grievance)
        if self.with_mandate_variants:
            self._grant_mandate_variants(grievance)
        return subject

    def _grievance_in(self, state: str, appealed: str) -> Grievance:
        s = self.scenario
        if state == "received":
            # As stored the moment before the automatic acknowledgement.
            with mock.patch("remedy.filing.grievances.start_intake"):
                return s.file()
        if state == "under_review" and appealed != "resolved":
            grievance = s.to_grievance_state(appealed)
            intake.appeal(s.complainant(grievance), grievance, "Nobody came to see the fence.")
            return grievance
        return s.to_grievance_state(state)

    def _track_in(self, kind: TrackKind, state: str) -> InvolvementTrack:
        _grievance, (track, _partner_track) = self.scenario.in_remedy(kind, TrackKind.CAUSE)
        self.scenario.to_track_state(track, state)
        return track

    def _make_ready(self, subject: Subject) -> None:
        handler = self.scenario.handler
        if isinstance(subject, Grievance):
            if subject.state == "in_remedy":
                # Every track ended, but nothing resolved the grievance yet: the engine alone.
                for track in subject.tracks:
                    fire(track, "withdraw", SYSTEM)
            return
        track = subject
        if track.grievance.category is not Category.AUTOMATED_DECISION:
            # An explanation may be asked for: the grievance is about an automated decision.
            track.grievance.category = Category.AUTOMATED_DECISION
            db.session.commit()
        cessation = tracks.RemedyActionPlan(RemedyType.CESSATION, "Remove the fence.")
        leverage = tracks.LeveragePlan(LeverageType.RAISE_ISSUE, "Rift Haulage", "Raise it.")
        if track.state in ("planning", "engaging", "escalated"):
            tracks.add_remedy_action(handler, track, cessation)
        if track.state == "engaging" or (
            track.state == "planning" and track.kind is TrackKind.CONTRIBUTE
        ):
            tracks.add_leverage_action(handler, track, leverage)
        if track.state in ("implementing", "partner_remedying"):
            # Every action delivered, as the engine sees it; through the services the last
            # delivery starts verification at once, so this state only lasts a moment there.
            for action in track.remedy_actions:
                action.status = ActionStatus.DELIVERED
                action.evidence = "Photos of the open path."
                action.delivered_at = utcnow()
            db.session.commit()
        if track.state == "verifying":
            track.check_in_window_ends_at = utcnow() - timedelta(minutes=1)
            db.session.commit()

    def _grant_mandate_variants(self, grievance: Grievance) -> None:
        """Mandates of the other NGOs: each lacking one scope, one expired, one withdrawn."""
        until = utcnow().date() + timedelta(days=365)
        with atomic():
            for scope, organisation in self.proxies_lacking.items():
                others = [other for other in MandateScope if other is not scope]
                mandates.grant_mandate(
                    OPERATOR,
                    organisation,
                    grievance,
                    others,
                    ConsentMethod.WRITTEN,
                    until,
                    proxy_receives_messages=False,
                )
            expired = mandates.grant_mandate(
                OPERATOR,
                self.proxy_expired,
                grievance,
                list(MandateScope),
                ConsentMethod.WITNESSED_VERBAL,
                utcnow().date(),
                proxy_receives_messages=False,
            )
            expired.valid_until = utcnow().date() - timedelta(days=1)  # it ended yesterday
            withdrawn = mandates.grant_mandate(
                OPERATOR,
                self.proxy_withdrawn,
                grievance,
                list(MandateScope),
                ConsentMethod.WRITTEN,
                until,
                proxy_receives_messages=False,
            )
            mandates.withdraw_mandate(OPERATOR, withdrawn)
