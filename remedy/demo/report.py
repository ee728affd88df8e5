"""What the demo seeded: the accounts with their passwords, and the cases with their PINs."""

from __future__ import annotations

from dataclasses import dataclass, field

from remedy.models.grievance import Channel
from remedy.models.involvement_track import TrackKind
from remedy.models.organisation import Organisation
from remedy.models.referral import ReferralMechanism
from remedy.models.user import Role


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    role: Role
    display_name: str
    organisation: str | None


@dataclass(frozen=True)
class DemoTrack:
    organisation: str
    kind: TrackKind
    state: str


@dataclass(frozen=True)
class DemoCase:
    title: str
    reference: str
    pin: str
    state: str
    language: str
    channel: Channel
    tracks: tuple[DemoTrack, ...]


@dataclass
class DemoReport:
    organisations: list[Organisation] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    mechanisms: list[ReferralMechanism] = field(default_factory=list)
    cases: list[DemoCase] = field(default_factory=list)
