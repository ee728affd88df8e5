"""Grievances: one complaint about one situation, with its severity and safety flags."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow
from remedy.models.withdrawal import WithdrawalReason

if TYPE_CHECKING:
    from remedy.models.grievance_person import GrievancePerson
    from remedy.models.involvement_track import InvolvementTrack
    from remedy.models.user import User


class Channel(enum.StrEnum):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    VOICE = "voice"
    WEB = "web"
    PROXY = "proxy"
    API = "api"


# How each channel is named to readers: the console's queue and the public statistics.
CHANNEL_TITLES = {
    Channel.SMS: _l("SMS"),
    Channel.WHATSAPP: _l("WhatsApp"),
    Channel.VOICE: _l("Voice call"),
    Channel.WEB: _l("Web"),
    Channel.PROXY: _l("Through a proxy"),
    Channel.API: _l("Another system (API)"),
}


class Category(enum.StrEnum):
    LABOUR = "labour"
    LAND = "land"
    ENVIRONMENT = "environment"
    HEALTH_AND_SAFETY = "health_and_safety"
    COMMUNITY = "community"
    DISCRIMINATION = "discrimination"
    SECURITY_FORCES = "security_forces"
    PRODUCT = "product"
    # Harms particular to technology (UN B-Tech).
    AUTOMATED_DECISION = "automated_decision"
    PRIVACY = "privacy"
    ONLINE_CONTENT = "online_content"
    TECH_LABOUR = "tech_labour"
    SEXUAL_VIOLENCE = "sexual_violence"
    CHILDREN = "children"
    HEALTH = "health"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(CATEGORY_TITLES[self])

    @property
    def restricted(self) -> bool:
        """Only cleared staff read what was told (``remedy.cases.sensitive``)."""
        return self in RESTRICTED_CATEGORIES


CATEGORY_TITLES = {
    Category.LABOUR: _l("Work and pay"),
    Category.LAND: _l("Land and housing"),
    Category.ENVIRONMENT: _l("Water, air and environment"),
    Category.HEALTH_AND_SAFETY: _l("Health and safety"),
    Category.COMMUNITY: _l("Community life"),
    Category.DISCRIMINATION: _l("Discrimination or harassment"),
    Category.SECURITY_FORCES: _l("Guards or security forces"),
    Category.PRODUCT: _l("A product or service"),
    Category.AUTOMATED_DECISION: _l("A decision made by a computer or an algorithm"),
    Category.PRIVACY: _l("Privacy and personal data"),
    Category.ONLINE_CONTENT: _l("Online content and its moderation"),
    Category.TECH_LABOUR: _l("Work making technology: devices, data, moderation"),
    Category.SEXUAL_VIOLENCE: _l("Sexual or gender-based violence"),
    Category.CHILDREN: _l("Children"),
    Category.HEALTH: _l("A health or medical matter"),
    Category.OTHER: _l("Something else"),
}

RESTRICTED_CATEGORIES = frozenset({Category.SEXUAL_VIOLENCE, Category.CHILDREN, Category.HEALTH})
TECHNOLOGY_CATEGORIES = (
    Category.AUTOMATED_DECISION,
    Category.PRIVACY,
    Category.ONLINE_CONTENT,
    Category.TECH_LABOUR,
)
# An account, content or flag id in another system: bounded, one line.
MAX_EXTERNAL_REFERENCE_LENGTH = 200


class ProductUser(enum.StrEnum):
    """Whether the person uses the product or service, or is affected without using it."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return str(PRODUCT_USER_LABELS[self])


PRODUCT_USER_LABELS = {
    ProductUser.YES: _l("Uses the product or service"),
    ProductUser.NO: _l("Affected without using it"),
    ProductUser.UNKNOWN: _l("Not known"),
}


class ReprisalRisk(enum.StrEnum):
    """Recorded at intake, reviewed at each stage; anything but none means discreet defaults."""

    NONE = "none"
    LOW = "low"
    HIGH = "high"


class Outcome(enum.StrEnum):
    """How a grievance ended. Closed is not remedied: the outcome says which."""

    REMEDIED = "remedied"
    PARTLY_REMEDIED = "partly_remedied"
    UNCONFIRMED = "unconfirmed"
    NOT_REMEDIED = "not_remedied"
    REFERRED = "referred"
    WITHDRAWN = "withdrawn"
    NOT_ADMISSIBLE = "not_admissible"
    NO_INVOLVEMENT = "no_involvement"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {
    Outcome.REMEDIED: _l("remedied"),
    Outcome.PARTLY_REMEDIED: _l("partly remedied"),
    Outcome.UNCONFIRMED: _l("closed without your confirmation"),
    Outcome.NOT_REMEDIED: _l("not remedied"),
    Outcome.REFERRED: _l("referred to another body"),
    Outcome.WITHDRAWN: _l("withdrawn"),
    Outcome.NOT_ADMISSIBLE: _l("not admissible"),
    Outcome.NO_INVOLVEMENT: _l("no involvement found"),
}


class UrgencyFlag(enum.StrEnum):
    """Set at screening by a person (suggested from words, never applied silently)."""

    VIOLENCE = "violence"
    SEXUAL_VIOLENCE = "sexual_violence"
    CHILD = "child"
    LIFE_OR_HEALTH = "life_or_health"
    ONGOING = "ongoing"

    @property
    def label(self) -> str:
        return str(URGENCY_LABELS[self])


URGENCY_LABELS = {
    UrgencyFlag.VIOLENCE: _l("Violence"),
    UrgencyFlag.SEXUAL_VIOLENCE: _l("Sexual violence"),
    UrgencyFlag.CHILD: _l("A child involved"),
    UrgencyFlag.LIFE_OR_HEALTH: _l("Life or health at risk"),
    UrgencyFlag.ONGOING: _l("Harm still going on"),
}

SEVERITY_RANGE = "BETWEEN 1 AND 4"
# A factor rated this high or higher makes a case severe: shorter deadlines, a reviewer.
SEVERE_FROM = 3
# The queue's priority: any urgent flag outranks every severity (see priority_of).
URGENT_RANK = 5


class Grievance(Model):
    """Free text (description, location) is encrypted; ``version`` guards concurrent changes."""

    __tablename__ = "grievances"
    __table_args__ = (
        CheckConstraint(f"severity_scale {SEVERITY_RANGE}", name="severity_scale_range"),
        CheckConstraint(f"severity_scope {SEVERITY_RANGE}", name="severity_scope_range"),
        CheckConstraint(
            f"severity_irremediability {SEVERITY_RANGE}", name="severity_irremediability_range"
        ),
        CheckConstraint("people_affected >= 1", name="people_affected_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(8), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(255))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    language: Mapped[str] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(EncryptedText("grievances.description"))
    location: Mapped[str | None] = mapped_column(EncryptedText("grievances.location"))
    category: Mapped[Category | None] = mapped_column(enum_column(Category, "category"))
    harm_date: Mapped[date | None] = mapped_column()
    # Technology harms: whether the person uses the product (None: not asked), and an
    # account, content or flag id elsewhere, encrypted: an account id can name a person.
    product_user: Mapped[ProductUser | None] = mapped_column(
        enum_column(ProductUser, "product_user")
    )
    external_reference: Mapped[str | None] = mapped_column(
        EncryptedText("grievances.external_reference")
    )
    people_affected: Mapped[int] = mapped_column(default=1)
    # Severity (UNGP 14): 1 low to 4 very high; set in assessment.
    severity_scale: Mapped[int | None] = mapped_column(SmallInteger)
    severity_scope: Mapped[int | None] = mapped_column(SmallInteger)
    severity_irremediability: Mapped[int | None] = mapped_column(SmallInteger)
    reprisal_risk: Mapped[ReprisalRisk] = mapped_column(
        enum_column(ReprisalRisk, "reprisal_risk"), default=ReprisalRisk.NONE
    )
    identity_withheld: Mapped[bool] = mapped_column(default=False)
    discreet_messages: Mapped[bool] = mapped_column(default=False)
    contact_consent: Mapped[bool] = mapped_column(default=False)
    # How the people asked to be contacted: SMS, WhatsApp or a call (the team phones; written
    # messages then wait on the web status page). None: as they wrote in (SMS or WhatsApp).
    contact_channel: Mapped[Channel | None] = mapped_column(enum_column(Channel, "contact_channel"))
    # A hold on all contact after a reprisal incident (remedy.cases.contact_hold): since when
    # nothing goes to the people's phones about this case; None when contact is free.
    contact_held_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(32), default="received", index=True)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "outcome"))
    # Why the people withdrew, if they said (remedy.cases.withdrawal); the note is theirs.
    withdrawal_reason: Mapped[WithdrawalReason | None] = mapped_column(
        enum_column(WithdrawalReason, "withdrawal_reason")
    )
    withdrawal_note: Mapped[str | None] = mapped_column(EncryptedText("grievances.withdrawal_note"))
    filed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Indexed: a proxy organisation's dashboard and visibility filter on it.
    filed_by_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The jurisdiction policy that sets this grievance's deadlines (fixed at filing).
    jurisdiction: Mapped[str] = mapped_column(String(32), default="default")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Substantive feedback promised by (EU whistle-blower style policies); None when given.
    feedback_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who took the last appealable decision, and when: the appeal window and reviewer rule.
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appealed_state: Mapped[str | None] = mapped_column(String(32))
    # Who on the team works on it (remedy.queue.assignment); None while unassigned.
    assigned_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The earliest deadline of the grievance or its open tracks: the queue's sort key, kept in
    # step on every flush by remedy.models.queue; in the past means overdue.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Its tracks' kinds, states and organisations as tags (",kind:cause,state:planning,org:3,"),
    # kept in step like next_due_at: the queue filters on them without a join.
    track_tags: Mapped[str | None] = mapped_column(Text)
    # When it entered an ended state (None while open): retention counts from here.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The subject key sealing what was written about the case; destroyed at erasure.
    data_key_id: Mapped[str | None] = mapped_column(String(32))
    # When its personal data was erased (retention or a request): only facts remain.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Triage at screening: confirmed and dismissed urgency flags (",violence,child,"), the
    # priority the queue sorts by (kept in step by remedy.models.queue), and the senior
    # reviewer a supervisor named for a severe or urgent case.
    urgency_flags: Mapped[str | None] = mapped_column(String(120))
    dismissed_flags: Mapped[str | None] = mapped_column(String(120))
    priority: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    people: Mapped[list[GrievancePerson]] = relationship(
        back_populates="grievance", cascade="all, delete-orphan"
    )
    tracks: Mapped[list[InvolvementTrack]] = relationship(
        back_populates="grievance", order_by="InvolvementTrack.id", cascade="all, delete-orphan"
    )
    assigned_user: Mapped[User | None] = relationship(foreign_keys=[assigned_user_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_user_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def workflow_name(self) -> str:
        return "intake"

    # Told by remedy.workflows when it declares the intake workflow: models sit below the
    # workflows and cannot ask them.
    ended_states: ClassVar[frozenset[str]] = frozenset()

    @property
    def is_ended(self) -> bool:
        assert self.ended_states, "remedy.workflows declares the ended states: import it first"
        return self.state in self.ended_states

    @property
    def severity(self) -> int | None:
        """Priority from the three severity factors; None until assessed."""
        parts = [self.severity_scale, self.severity_scope, self.severity_irremediability]
        known = [part for part in parts if part is not None]
        return max(known) if known else None

    @property
    def flags(self) -> tuple[UrgencyFlag, ...]:
        """The urgency flags a person confirmed."""
        return parse_flags(self.urgency_flags)

    @property
    def is_urgent(self) -> bool:
        return bool(self.flags)

    @property
    def is_severe(self) -> bool:
        return (self.severity or 0) >= SEVERE_FROM

    @property
    def needs_senior_review(self) -> bool:
        """Severe or urgent: shorter deadlines and a named senior reviewer."""
        return self.is_urgent or self.is_severe

    def __repr__(self) -> str:
        return f"<Grievance {self.reference} {self.state}>"


def parse_flags(stored: str | None) -> tuple[UrgencyFlag, ...]:
    known = {flag.value for flag in UrgencyFlag}
    return tuple(UrgencyFlag(v) for v in (stored or "").split(",") if v in known)


def store_flags(flags: set[UrgencyFlag] | tuple[UrgencyFlag, ...]) -> str | None:
    """Flags as stored, in the enum's order; None for none."""
    chosen = [flag.value for flag in UrgencyFlag if flag in flags]
    return f",{','.join(chosen)}," if chosen else None


def priority_of(grievance: Grievance) -> int:
    """Urgent flags first, then the highest severity factor (0 until rated)."""
    return (URGENT_RANK if grievance.urgency_flags else 0) + (grievance.severity or 0)
