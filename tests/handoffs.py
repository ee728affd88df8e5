"""What the hand-off tests share: a receiving body connected to its mechanism, a track
referred to it, and the body's own API account."""

from __future__ import annotations

from dataclasses import dataclass

from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation
from remedy.cases import tracks
from remedy.cases.referrals import add_mechanism, link_mechanism
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.models import (
    Grievance,
    InvolvementTrack,
    MechanismKind,
    OrganisationKind,
    Referral,
    ReferralMechanism,
    Role,
)
from tests.workflows.scenarios import PASSWORD, Scenario

TOLD = "The new fence blocks the path to the well."


@dataclass
class Body:
    """A labour inspectorate with its own API account, and a second body with its own."""

    mechanism: ReferralMechanism
    partner: Actor
    other_mechanism: ReferralMechanism
    other_partner: Actor


def connected_bodies() -> Body:
    def body(name: str, email: str) -> tuple[ReferralMechanism, Actor]:
        organisation = create_organisation(OPERATOR, name, OrganisationKind.OVERSIGHT_BODY, "KE")
        mechanism = add_mechanism(OPERATOR, "KE", MechanismKind.LABOUR_INSPECTORATE, name)
        link_mechanism(OPERATOR, mechanism, organisation)
        user = accounts.create_user(OPERATOR, email, PASSWORD, Role.REFERRAL_PARTNER, organisation)
        return mechanism, Actor.for_user(user)

    mechanism, partner = body("Kenya Labour Inspectorate", "desk@inspectorate.example")
    other_mechanism, other_partner = body("Coast Labour Office", "desk@coast.example")
    db.session.commit()
    return Body(mechanism, partner, other_mechanism, other_partner)


def refer_track(
    scenario: Scenario, mechanism: ReferralMechanism
) -> tuple[Grievance, InvolvementTrack, Referral]:
    """A cause track in dialogue, referred to ``mechanism``."""
    grievance, (track,) = scenario.in_remedy()
    scenario.to_track_state(track, "dialogue")
    tracks.refer(scenario.handler, track, mechanism.id, "The inspectorate can order back pay.")
    db.session.commit()
    referral = db.session.query(Referral).filter_by(track_id=track.id).one()
    return grievance, track, referral
