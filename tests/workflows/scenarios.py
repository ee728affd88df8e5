"""Bring grievances and tracks to any state through the services only, as users would.

``Scenario`` holds the cast (a handler, a supervisor, a second supervisor, an
organisation user, a vetted NGO's proxy) and knows the shortest path to every
state of every workflow. Tests use it to set the stage, then act.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation
from remedy.cases import check_ins, contests, explanations, intake, proceedings, tracks
from remedy.cases.referrals import directory
from remedy.core.actors import OPERATOR, SYSTEM, Actor
from remedy.core.extensions import db
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.models import (
    Answer,
    Category,
    Channel,
    CheckIn,
    CheckInPurpose,
    ConsentMethod,
    Grievance,
    InvolvementTrack,
    LeverageType,
    Organisation,
    OrganisationKind,
    ProceedingKind,
    RemedyType,
    Role,
    TrackKind,
    User,
)
from remedy.models.types import utcnow
from remedy.proxy.mandates import grant_mandate
from remedy.workflows.definition import MandateScope

PASSWORD = "a long enough passphrase"


def _user(email: str, role: Role, organisation: Organisation | None = None) -> User:
    return accounts.create_user(OPERATOR, email, PASSWORD, role, organisation)


ORGANISATIONS = ("company", "partner", "ngo")
ACTORS = (
    "handler",
    "supervisor",
    "other_supervisor",
    "company_handler",
    "partner_handler",
    "proxy",
    "auditor",
)


@dataclass(frozen=True)
class Cast:
    """The cast of a template database: organisation ids and actors, by attribute name."""

    organisations: dict[str, int]
    actors: dict[str, Actor]


@dataclass
class Scenario:
    company: Organisation
    partner: Organisation
    ngo: Organisation
    handler: Actor
    supervisor: Actor
    other_supervisor: Actor
    company_handler: Actor
    partner_handler: Actor
    proxy: Actor
    auditor: Actor
    counter: list[int] = field(default_factory=lambda: [0])

    @classmethod
    def create(cls) -> Scenario:
        company = create_organisation(OPERATOR, "Acme Mining", OrganisationKind.COMPANY, "KE")
        partner = create_organisation(
            OPERATOR, "Rift Haulage", OrganisationKind.BUSINESS_PARTNER, "KE"
        )
        ngo = create_organisation(OPERATOR, "Friends of the River", OrganisationKind.NGO, "KE")
        ngo.is_vetted = True
        db.session.commit()
        return cls(
            company=company,
            partner=partner,
            ngo=ngo,
            handler=Actor.for_user(_user("handler@example.org", Role.HANDLER)),
            supervisor=Actor.for_user(_user("supervisor@example.org", Role.SUPERVISOR)),
            other_supervisor=Actor.for_user(_user("second@example.org", Role.SUPERVISOR)),
            company_handler=Actor.for_user(_user("team@acme.example", Role.HANDLER, company)),
            partner_handler=Actor.for_user(_user("team@rift.example", Role.HANDLER, partner)),
            proxy=Actor.for_user(_user("member@friends.example", Role.PROXY_MEMBER, ngo)),
            auditor=Actor.for_user(_user("auditor@example.org", Role.AUDITOR)),
        )

    # The cast as a template ---------------------------------------------------

    def cast(self) -> Cast:
        """What :meth:`load` needs to find this cast again in another session: the
        organisations' ids and the actors (plain values)."""
        return Cast(
            organisations={name: getattr(self, name).id for name in ORGANISATIONS},
            actors={name: getattr(self, name) for name in ACTORS},
        )

    @classmethod
    def load(cls, cast: Cast) -> Scenario:
        """The cast a template database already holds (built once by :meth:`create`),
        its organisations read by id in the current session."""
        organisations = {}
        for name, organisation_id in cast.organisations.items():
            found = db.session.get(Organisation, organisation_id)
            assert found is not None, f"the cast template has no organisation {name!r}"
            organisations[name] = found
        return cls(**organisations, **cast.actors)

    # People ------------------------------------------------------------------

    def complainant(self, grievance: Grievance, person_id: int | None = None) -> Actor:
        return Actor.complainant(grievance.reference, person_id)

    def mandate(
        self,
        grievance: Grievance,
        scopes: tuple[MandateScope, ...] = tuple(MandateScope),
        proxy_receives_messages: bool = True,
    ) -> None:
        grant_mandate(
            OPERATOR,
            self.ngo,
            grievance,
            scopes,
            ConsentMethod.WRITTEN,
            utcnow().date() + timedelta(days=365),
            None,
            proxy_receives_messages,
        )

    # Intake ------------------------------------------------------------------

    def file(self, people: int = 1, **form: object) -> Grievance:
        """A grievance in screening (acknowledged), with ``people`` phone contacts."""
        self.counter[0] += 1
        number = self.counter[0]
        contacts = [
            PersonDetails(f"Person {number}-{i}", f"+2547{number:04d}{i:04d}", "en")
            for i in range(people)
        ]
        values: dict[str, object] = {
            "channel": Channel.SMS,
            "language": "en",
            "description": "The new fence blocks the path to the well.",
            "complainant": contacts[0] if contacts else None,
            "affected": contacts[1:],
            "contact_consent": True,
            **form,
        }
        return submit_grievance(OPERATOR, GrievanceForm(**values)).grievance  # type: ignore[arg-type]

    def court(self) -> int:
        return directory()[0].id

    def in_assessment(self, **form: object) -> Grievance:
        grievance = self.file(**form)
        intake.accept(self.handler, grievance)
        return grievance

    def in_remedy(
        self, *kinds: TrackKind, people: int = 1, **form: object
    ) -> tuple[Grievance, list[InvolvementTrack]]:
        """Classified: the first kind goes to the company, a second to the partner."""
        grievance = self.in_assessment(people=people, **form)
        organisations = [self.company, self.partner]
        plans = [
            intake.TrackPlan(organisations[index], kind, f"Assessed as {kind.value}.")
            for index, kind in enumerate(kinds or (TrackKind.CAUSE,))
        ]
        found = intake.classify(self.handler, grievance, plans, intake.Severity(2, 2, 1))
        return grievance, found

    # Tracks ------------------------------------------------------------------

    def propose(self, track: InvolvementTrack) -> None:
        leverage = (
            [tracks.LeveragePlan(LeverageType.RAISE_ISSUE, "Rift Haulage", "Raise it.")]
            if track.kind is TrackKind.CONTRIBUTE
            else []
        )
        plan = tracks.RemedyActionPlan(RemedyType.CESSATION, "Remove the fence.")
        tracks.propose_remedy(self.handler, track, [plan], leverage)

    def implement(self, track: InvolvementTrack) -> None:
        """To ``implementing`` (cause, contribute) or ``partner_remedying`` (linked)."""
        if track.kind is TrackKind.DIRECTLY_LINKED:
            plan = tracks.RemedyActionPlan(RemedyType.RESTITUTION, "Rebuild the path.")
            tracks.partner_commits(self.handler, track, [plan])
            return
        self.propose(track)
        tracks.accept_proposal(self.complainant(track.grievance), track)

    def verify(self, track: InvolvementTrack) -> None:
        """To ``verifying``: every action delivered, check-ins open."""
        self.implement(track)
        for action in track.remedy_actions:
            if action.is_active and not action.is_delivered:
                tracks.report_delivered(self.handler, action, "Photos of the open path.")

    def open_check_ins(self, track: InvolvementTrack) -> list[CheckIn]:
        return [c for c in track.check_ins if c.is_open]

    def answer_all(self, track: InvolvementTrack, answer: Answer) -> None:
        grievance = track.grievance
        for check_in in self.open_check_ins(track):
            check_ins.answer_check_in(
                self.complainant(grievance, check_in.person_id),
                check_in,
                answer,
                comment="The water point is still missing." if answer is Answer.PARTLY else None,
            )

    def remedied(self, track: InvolvementTrack) -> None:
        self.verify(track)
        self.answer_all(track, Answer.YES)

    def follow_ups(self, track: InvolvementTrack) -> list[CheckIn]:
        return [c for c in track.check_ins if c.purpose is CheckInPurpose.FOLLOW_UP]

    def to_track_state(self, track: InvolvementTrack, state: str) -> None:
        """Shortest path from a fresh track to ``state``."""
        paths: dict[str, Callable[[], None]] = {
            "planning": lambda: None,
            "engaging": lambda: None,
            "proposed": lambda: self.propose(track),
            "dialogue": lambda: (
                self.propose(track),
                tracks.decline_proposal(self.complainant(track.grievance), track, "Too little."),
            ),
            "implementing": lambda: self.implement(track),
            "partner_remedying": lambda: self.implement(track),
            "escalated": lambda: tracks.escalate(self.handler, track, "No answer in 60 days."),
            "verifying": lambda: self.verify(track),
            "remedied": lambda: self.remedied(track),
            "partly_remedied": lambda: (self.verify(track), self.answer_all(track, Answer.PARTLY)),
            "unconfirmed": lambda: self._unconfirmed(track),
            "referred": lambda: self._referred(track),
            "relationship_ended": lambda: (
                tracks.escalate(self.handler, track, "No answer in 60 days."),
                tracks.end_relationship(self.supervisor, track, "Jobs at risk; assessed."),
            ),
            "withdrawn": lambda: intake.withdraw(
                self.complainant(track.grievance), track.grievance
            ),
            "classification_contested": lambda: contests.contest_classification(
                self.complainant(track.grievance), track, "The company itself built the fence."
            ),
            "explanation_requested": lambda: self.ask_explanation(track),
            "parallel_proceedings": lambda: proceedings.enter_parallel_proceedings(
                self.handler,
                track,
                "The labour court took up the dismissals.",
                ProceedingKind.COURT,
            ),
        }
        paths[state]()

    def ask_explanation(self, track: InvolvementTrack) -> None:
        """The people ask why; only a grievance about an automated decision allows it."""
        if track.grievance.category is not Category.AUTOMATED_DECISION:
            track.grievance.category = Category.AUTOMATED_DECISION
            db.session.commit()
        explanations.request_explanation(
            self.complainant(track.grievance), track, "Why was the fence route chosen?"
        )

    def _unconfirmed(self, track: InvolvementTrack) -> None:
        self.verify(track)
        track.check_in_window_ends_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        tracks.close_without_confirmation(self.supervisor, track, "No answer after 3 reminders.")

    def _referred(self, track: InvolvementTrack) -> None:
        if track.kind is not TrackKind.DIRECTLY_LINKED:
            self.to_track_state(track, "dialogue")
        tracks.refer(self.handler, track, self.court(), "A court can award damages.")

    def to_grievance_state(self, state: str) -> Grievance:
        """A fresh grievance brought to ``state`` of the intake workflow."""
        if state == "received":
            raise ValueError("grievances are acknowledged as they are filed")
        grievance = self.file()
        steps: dict[str, Callable[[], None]] = {
            "screening": lambda: None,
            "awaiting_complainant": lambda: intake.request_info(
                self.handler, grievance, "Where exactly is the fence?"
            ),
            "assessment": lambda: intake.accept(self.handler, grievance),
            "not_admissible": lambda: intake.reject(
                self.handler, grievance, "Outside our operations.", self.court()
            ),
            "withdrawn": lambda: intake.withdraw(self.complainant(grievance), grievance),
        }
        if state in steps:
            steps[state]()
        elif state in ("in_remedy", "no_involvement", "resolved", "under_review"):
            intake.accept(self.handler, grievance)
            if state == "no_involvement":
                intake.find_no_involvement(self.handler, grievance, "Not our site.", self.court())
            else:
                plan = intake.TrackPlan(self.company, TrackKind.CAUSE, "We built the fence.")
                (track,) = intake.classify(
                    self.handler, grievance, [plan], intake.Severity(2, 2, 1)
                )
                if state in ("resolved", "under_review"):
                    self.remedied(track)
                if state == "under_review":
                    intake.appeal(self.complainant(grievance), grievance, "Not really solved.")
        else:
            raise ValueError(state)
        return grievance


def system() -> Actor:
    return SYSTEM
