"""Demo data: a joint mechanism with realistic, entirely fictional cases in every state.

``seed_demo()`` fills an empty database through the services only, as people would:
organisations, one account per role, a directory of referral mechanisms, and grievances
brought to every state of every workflow by the same steps the console, the channels and
the check-ins take (nothing sets a state). Used by ``flask --app wsgi demo seed`` and tests.

The data walked through is :mod:`remedy.demo.cast`, all of it demo data.
Companies, people and cases are invented; the referral directory names kinds of public
bodies, without contact details. Phones are in Ofcom's drama range (+44 7700 900xxx), so
no real phone gets a demo message; e-mail addresses use the reserved ``.example`` domain.

Each case lives on its own dates of the past year (:mod:`remedy.demo.timing`). One
compromise with time: a supervisor may close a track without the people's
confirmation only after the check-in window (two weeks). The demo cannot wait,
so :func:`~remedy.demo.timing.let_check_in_window_pass` moves that window's end into the past, as
the clock would have; the closing itself goes through the service.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import exists, select

from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation, vet_organisation
from remedy.cases import check_ins, contests, explanations, intake, proceedings, tracks
from remedy.cases.referrals import add_mechanism, link_mechanism
from remedy.core.actors import OPERATOR, SYSTEM, Actor
from remedy.core.errors import ServiceError
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.demo.cast import ACCOUNTS, CASES, MECHANISMS, ORGANISATIONS
from remedy.demo.consulted import consulted
from remedy.demo.learning import LESSONS, seed_learning
from remedy.demo.report import DemoAccount, DemoCase, DemoReport, DemoTrack
from remedy.demo.specs import CaseSpec, Story, TrackSpec
from remedy.demo.timing import backdated, filing_days_ago, let_check_in_window_pass, paced
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.models.check_in import Answer, CheckIn
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.mandate import ConsentMethod
from remedy.models.organisation import Organisation
from remedy.models.referral import ReferralMechanism
from remedy.models.types import utcnow
from remedy.proxy.mandates import grant_mandate
from remedy.workflows.definition import MandateScope

# Each step a few days after the one before (:mod:`remedy.demo.timing`).
check_ins, contests, explanations = paced(check_ins), paced(contests), paced(explanations)
intake, proceedings, tracks = paced(intake), paced(proceedings), paced(tracks)

DEMO_PHONE_PREFIX = "+447700900"  # Ofcom's drama range: 900000 to 900999.
Progress = Callable[[str], None]


class DemoRefused(ServiceError):
    """The database is not empty enough for demo data."""


def demo_refusal() -> str | None:
    """Why the demo cannot be seeded here, or None."""
    if db.session.scalar(select(exists().where(Grievance.id.is_not(None)))):
        return "The database already has grievances: demo data goes only into an empty one."
    taken = [spec.email for spec in ACCOUNTS if accounts.find_user(spec.email) is not None]
    if taken:
        return f"Demo accounts already exist: {', '.join(taken)}."
    return None


def seed_demo(password: str | None = None, progress: Progress | None = None) -> DemoReport:
    """Fill an empty database with the demo, all in one unit of work (all or nothing).

    ``password`` gives every account the same password (tests); by default each
    gets a random one, returned in the report.
    """
    say = progress or (lambda _line: None)
    with atomic():
        refusal = demo_refusal()
        if refusal is not None:
            raise DemoRefused(refusal)
        seeder = _Seeder(say)
        seeder.organisations()
        seeder.accounts(password)
        seeder.mechanisms()
        say(f"{len(CASES)} grievances over the past year, step by step through the services...")
        filed = filing_days_ago(CASES)
        for spec in CASES:
            with backdated(spec, filed[spec.title]):
                seeder.case(spec)
        given = seed_learning(seeder.actors["handler"], seeder.actors["supervisor"], seeder.orgs)
        say(f"Root causes on {given} grievances, and {len(LESSONS)} lessons learned.")
    return seeder.report


# How the demo gets there --------------------------------------------------------------


class _Seeder:
    def __init__(self, say: Progress) -> None:
        self.say = say
        self.report = DemoReport()
        self.orgs: dict[str, Organisation] = {}
        self.actors: dict[str, Actor] = {}
        self.places: dict[str, ReferralMechanism] = {}
        self.phones = 0

    # The cast -----------------------------------------------------------------------

    def organisations(self) -> None:
        for spec in ORGANISATIONS:
            organisation = create_organisation(
                OPERATOR, spec.name, spec.kind, spec.country, spec.served
            )
            self.orgs[spec.key] = organisation
            self.report.organisations.append(organisation)
        self.say(f"{len(ORGANISATIONS)} organisations.")

    def accounts(self, password: str | None) -> None:
        for spec in ACCOUNTS:
            chosen = password or secrets.token_urlsafe(12)
            organisation = self.orgs[spec.organisation] if spec.organisation else None
            user = accounts.create_user(
                OPERATOR, spec.email, chosen, spec.role, organisation, spec.display_name
            )
            self.actors[spec.key] = Actor.for_user(user)
            self.report.accounts.append(
                DemoAccount(
                    spec.email,
                    chosen,
                    spec.role,
                    spec.display_name,
                    organisation.name if organisation else None,
                )
            )
        vet_organisation(
            self.actors["admin"],
            self.orgs["ngo"],
            "Demo: registration certificate and two years of field reports seen.",
        )
        self.say(f"{len(ACCOUNTS)} accounts.")

    def mechanisms(self) -> None:
        admin = self.actors["admin"]
        for spec in MECHANISMS:
            mechanism = add_mechanism(admin, spec.country, spec.kind, spec.name, spec.contact)
            if spec.organisation:
                link_mechanism(admin, mechanism, self.orgs[spec.organisation])
            self.places[spec.key] = mechanism
            self.report.mechanisms.append(mechanism)
        self.say(f"{len(MECHANISMS)} referral mechanisms.")

    def team_for(self, track: InvolvementTrack) -> Actor:
        """A company's or partner's own staff work their track when they have accounts."""
        for key in ("kilima_team", "simba_team"):
            if self.actors[key].organisation_id == track.organisation_id:
                return self.actors[key]
        return self.actors["handler"]

    # Intake ---------------------------------------------------------------------------

    def _people(self, spec: CaseSpec) -> list[PersonDetails]:
        people = []
        for name in spec.people:
            self.phones += 1
            people.append(
                PersonDetails(name, f"{DEMO_PHONE_PREFIX}{self.phones:03d}", spec.language)
            )
        return people

    def file(self, spec: CaseSpec) -> tuple[Grievance, str]:
        people = self._people(spec)
        form = GrievanceForm(
            channel=spec.channel,
            language=spec.language,
            description=spec.description,
            location=spec.location,
            category=spec.category,
            harm_date=utcnow().date() - timedelta(days=spec.harm_days_ago),
            people_affected=spec.people_affected or len(people),
            reprisal_risk=spec.reprisal_risk,
            identity_withheld=spec.identity_withheld,
            contact_consent=spec.contact_consent,
            complainant=people[0],
            affected=people[1:],
        )
        filer = self.actors["proxy"] if spec.via_proxy else SYSTEM
        submitted = submit_grievance(filer, form)
        grievance = submitted.grievance
        if spec.via_proxy:
            grant_mandate(
                self.actors["proxy"],
                self.orgs["ngo"],
                grievance,
                tuple(MandateScope),
                ConsentMethod.THUMBPRINT,
                utcnow().date() + timedelta(days=365),
            )
        return grievance, submitted.pin

    def complainant(self, grievance: Grievance) -> Actor:
        return Actor.complainant(grievance.reference, grievance.people[0].person_id)

    def answerer(self, grievance: Grievance, spec: CaseSpec) -> Actor:
        """Who answers a proposal: the NGO when it holds the mandate, else the complainant."""
        return self.actors["proxy"] if spec.via_proxy else self.complainant(grievance)

    def case(self, spec: CaseSpec) -> None:
        grievance, pin = self.file(spec)
        handler, other_handler = self.actors["handler"], self.actors["handler2"]
        state = spec.state
        if state == "awaiting_complainant":
            intake.request_info(handler, grievance, spec.question)
        elif state == "assessment":
            intake.accept(handler, grievance)
        elif state in ("not_admissible", "under_review") and not spec.tracks:
            mechanism = self.places[spec.refer_to]
            intake.reject(other_handler, grievance, spec.decision, mechanism.id)
        elif state == "no_involvement":
            intake.accept(handler, grievance)
            mechanism = self.places[spec.refer_to]
            intake.find_no_involvement(other_handler, grievance, spec.decision, mechanism.id)
        elif spec.tracks:
            self.classify(grievance, spec)
        if state == "withdrawn":
            intake.withdraw(self.answerer(grievance, spec), grievance)
        if spec.appeal:
            intake.appeal(self.complainant(grievance), grievance, spec.appeal)
        if spec.review:
            intake.review(self.actors["supervisor"], grievance, True, spec.review)
        self._check(grievance, spec)
        self.report.cases.append(
            DemoCase(
                spec.title,
                grievance.reference,
                pin,
                grievance.state,
                spec.language,
                spec.channel,
                tuple(
                    DemoTrack(track.organisation.name, track.kind, track.state)
                    for track in grievance.tracks
                ),
            )
        )

    def classify(self, grievance: Grievance, spec: CaseSpec) -> None:
        handler = self.actors["handler"]
        intake.accept(handler, grievance)
        plans = [
            intake.TrackPlan(self.orgs[item.organisation], item.kind, item.rationale)
            for item in spec.tracks
        ]
        opened = intake.classify(handler, grievance, plans, intake.Severity(*spec.severity))
        for track, item in zip(opened, spec.tracks, strict=True):
            self.track_to(track, item, spec)

    @staticmethod
    def _check(grievance: Grievance, spec: CaseSpec) -> None:
        reached = [grievance.state, *(track.state for track in grievance.tracks)]
        wanted = [spec.state, *(item.state for item in spec.tracks)]
        if reached != wanted:
            raise RuntimeError(f"demo case {spec.title!r} reached {reached}, not {wanted}")

    # Tracks ---------------------------------------------------------------------------

    def track_to(self, track: InvolvementTrack, item: TrackSpec, spec: CaseSpec) -> None:
        """The shortest path to ``item.state``, as tests/workflows/scenarios.py takes it."""
        if item.state == "withdrawn":
            return  # the grievance's withdrawal ends the track
        if item.state in (
            "classification_contested",
            "explanation_requested",
            "parallel_proceedings",
        ):
            # Paused from its first state, with the leverage it already planned.
            team = self.team_for(track)
            for entry in item.leverage:
                tracks.add_leverage_action(team, track, entry.plan())
            story = item.story
            if item.state == "parallel_proceedings":
                proceedings.enter_parallel_proceedings(
                    team, track, story.proceedings, story.proceeding
                )
            elif item.state == "explanation_requested":
                answerer = self.answerer(track.grievance, spec)
                explanations.request_explanation(answerer, track, story.explain)
            else:
                answerer = self.answerer(track.grievance, spec)
                contests.contest_classification(answerer, track, story.contest)
            return
        if item.kind is TrackKind.DIRECTLY_LINKED:
            self._linked(track, item)
        else:
            self._remedy(track, item, spec)

    def _remedy(self, track: InvolvementTrack, item: TrackSpec, spec: CaseSpec) -> None:
        """cause and contribute: plan, propose, answer, implement, verify."""
        target, story = item.state, item.story
        if target == "planning":
            return
        team = self.team_for(track)
        leverage = [entry.plan() for entry in item.leverage]
        tracks.propose_remedy(team, track, [action.plan() for action in item.actions], leverage)
        if target == "proposed":
            return
        answerer = self.answerer(track.grievance, spec)
        if target in ("dialogue", "referred"):
            tracks.decline_proposal(answerer, track, story.decline, consulted(answerer, track))
            if target == "referred":
                mechanism = self.places[story.refer_to]
                tracks.refer(self.actors["handler"], track, mechanism.id, story.refer)
            return
        tracks.accept_proposal(answerer, track, consulted(answerer, track))
        if story.dispute and story.redo:
            self._deliver(track, story)
            self._answer(track, Answer.NO, None, story.dispute)
            tracks.add_remedy_action(team, track, story.redo.plan())
        if target == "implementing":
            return
        self._deliver(track, story)
        self._verify(track, item)

    def _linked(self, track: InvolvementTrack, item: TrackSpec) -> None:
        """directly linked: leverage, then the partner commits, or escalation, or referral."""
        target, story = item.state, item.story
        handler = self.actors["handler"]
        team = self.team_for(track)
        for entry in item.leverage:
            tracks.record_leverage(team, track, entry.plan())
        if target == "engaging":
            return
        if target == "referred":
            tracks.refer(handler, track, self.places[story.refer_to].id, story.refer)
            return
        if target in ("escalated", "relationship_ended"):
            tracks.escalate(handler, track, story.escalate)
            if target == "relationship_ended":
                tracks.end_relationship(self.actors["supervisor"], track, story.impact_assessment)
            return
        tracks.partner_commits(team, track, [action.plan() for action in item.actions])
        if target == "partner_remedying":
            return
        self._deliver(track, story)
        self._verify(track, item)

    def _deliver(self, track: InvolvementTrack, story: Story) -> None:
        team = self.team_for(track)
        for action in list(track.remedy_actions):
            if action.is_active and not action.is_delivered:
                tracks.report_delivered(team, action, story.evidence)

    def _verify(self, track: InvolvementTrack, item: TrackSpec) -> None:
        """The people's answers: all yes, one "partly", or some silent until a supervisor
        closes; in ``verifying`` only the first has answered yet."""
        target, story = item.state, item.story
        if target == "remedied":
            self._answer(track, Answer.YES, Answer.YES)
        elif target == "partly_remedied":
            self._answer(track, Answer.PARTLY, Answer.YES, story.gap)
        elif target in ("verifying", "unconfirmed") and len(self._open(track)) > 1:
            self._answer(track, Answer.YES, None)  # the others have not answered yet
        if target == "unconfirmed":
            let_check_in_window_pass(track)
            tracks.close_without_confirmation(self.actors["supervisor"], track, story.close)

    @staticmethod
    def _open(track: InvolvementTrack) -> list[CheckIn]:
        return [check_in for check_in in track.check_ins if check_in.is_open]

    def _answer(
        self,
        track: InvolvementTrack,
        first: Answer,
        rest: Answer | None,
        comment: str | None = None,
    ) -> None:
        """The first recipient answers ``first`` (with ``comment``); the others ``rest``."""
        grievance = track.grievance
        for index, check_in in enumerate(self._open(track)):
            answer = first if index == 0 else rest
            if answer is None or not check_in.is_open:
                continue
            actor = (
                self.actors["proxy"]
                if check_in.person_id is None
                else Actor.complainant(grievance.reference, check_in.person_id)
            )
            check_ins.answer_check_in(
                actor,
                check_in,
                answer,
                comment=comment if index == 0 else None,
                satisfaction={Answer.YES: 4, Answer.PARTLY: 3, Answer.NO: 1}[answer],
                consultation=consulted(actor, track, check_in.person),
            )
