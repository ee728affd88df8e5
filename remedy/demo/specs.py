"""The shapes of the demo's cast: what each organisation, account, referral mechanism
and case the demo creates is made of (the data itself is in :mod:`remedy.demo.cast`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from remedy.cases import tracks
from remedy.models.grievance import Category, Channel, ReprisalRisk
from remedy.models.involvement_track import ProceedingKind, TrackKind
from remedy.models.leverage_action import LeverageType
from remedy.models.organisation import OrganisationKind
from remedy.models.referral import MechanismKind
from remedy.models.remedy_action import ActionOwner, RemedyType
from remedy.models.types import utcnow
from remedy.models.user import Role


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    name: str
    kind: OrganisationKind
    country: str | None
    # The mechanism serves it: the identity question at filing is about it. Partners (Simba
    # above all, accused in the demo) see pseudonyms until the people say yes for them.
    served: bool = False


@dataclass(frozen=True)
class AccountSpec:
    key: str
    email: str
    role: Role
    display_name: str
    organisation: str | None = None


@dataclass(frozen=True)
class MechanismSpec:
    key: str
    country: str
    kind: MechanismKind
    name: str
    contact: str | None = None
    # The body's own organisation (key), whose referral_partner account answers through
    # the API.
    organisation: str | None = None


@dataclass(frozen=True)
class Action:
    type: RemedyType
    description: str
    owner: ActionOwner = ActionOwner.THIS_ORGANISATION
    financial: bool = False
    due_in_days: int = 60

    def plan(self) -> tracks.RemedyActionPlan:
        due = utcnow().date() + timedelta(days=self.due_in_days)
        return tracks.RemedyActionPlan(self.type, self.description, self.owner, due, self.financial)


@dataclass(frozen=True)
class Leverage:
    type: LeverageType
    target: str
    description: str

    def plan(self) -> tracks.LeveragePlan:
        return tracks.LeveragePlan(self.type, self.target, self.description)


@dataclass(frozen=True)
class Story:
    """The words said along a track's path; the affected people's in their own language."""

    evidence: str = "Signed delivery record and photographs, checked on site by the handler."
    decline: str = "This is not enough."
    refer: str = "Another body can decide what this mechanism cannot."
    refer_to: str = "ke_nhri"
    escalate: str = "No answer to two written requests in 60 days."
    impact_assessment: str = ""
    gap: str = "Not everything promised arrived."
    close: str = "No answer after three reminders by SMS and a visit."
    # A first delivery the people dispute, and the action added to put it right.
    dispute: str | None = None
    redo: Action | None = None
    # The people contest the classification (``classification_contested``) with this reason.
    contest: str = "We do not agree with how you see this company's part."
    # The people ask why an automated decision was made (``explanation_requested``).
    explain: str = "Why did the system decide this about me?"
    # A court or an inspectorate took the matter up (``parallel_proceedings``): why.
    proceedings: str = "A court took up the same facts; we wait for its decision."
    proceeding: ProceedingKind = ProceedingKind.COURT


@dataclass(frozen=True)
class TrackSpec:
    organisation: str
    kind: TrackKind
    state: str
    rationale: str
    actions: tuple[Action, ...] = ()
    leverage: tuple[Leverage, ...] = ()
    story: Story = field(default_factory=Story)


@dataclass(frozen=True)
class CaseSpec:
    """One case, written positionally as
    ``CaseSpec(title, channel, language, category, location, description, people, state, ...)``."""

    title: str  # one line in English for the operator
    channel: Channel
    language: str
    category: Category
    location: str
    description: str
    people: tuple[str | None, ...]
    state: str  # the intake state the grievance ends in
    tracks: tuple[TrackSpec, ...] = ()
    people_affected: int | None = None
    reprisal_risk: ReprisalRisk = ReprisalRisk.NONE
    identity_withheld: bool = False
    contact_consent: bool = True
    via_proxy: bool = False
    harm_days_ago: int = 30
    severity: tuple[int, int, int] = (2, 2, 1)
    question: str = ""  # request_info
    decision: str = ""  # the reason for reject or find_no_involvement
    refer_to: str = ""  # where reject or find_no_involvement refers
    appeal: str = ""
    review: str = ""  # the reason a supervisor upholds the appealed decision


# Short names the case stories use.
C, K, L = TrackKind.CAUSE, TrackKind.CONTRIBUTE, TrackKind.DIRECTLY_LINKED
R = RemedyType
PARTNER = ActionOwner.BUSINESS_PARTNER
