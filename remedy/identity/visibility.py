"""Who may see which grievances, tracks and identities (DESIGN §6).

- Staff of the mechanism itself (no organisation) see every grievance.
- Staff of an organisation (a company or partner in a joint mechanism) see the
  grievances with a track of their organisation, and only that track.
- Proxy members see the grievances their organisation filed or holds a mandate
  for, valid or not (history stays readable; acting needs a valid mandate, which
  the workflow guard checks at every action).
- Identities (names, phone numbers) never appear in queues, exports or
  statistics. On a case page, in the API and in message addresses they are shown
  to case workers and protection officers, by one rule (``may_see_identity``):

  - the mechanism's own staff see them unless the people withheld their identity
    at filing; a withheld identity only through an approved, time-limited reveal;
  - staff of an organisation the mechanism serves (``Organisation.served``) see them
    on its cases unless the people withheld them at filing (no reveal reaches them);
  - staff of any other organisation with a track (a business partner, another
    contributor, above all an accused one) see pseudonyms until the people answer
    yes for that organisation (:mod:`remedy.identity.consents`); a no, or no answer,
    keeps pseudonyms. The stricter of the two answers wins: identity withheld at
    filing is withheld from every organisation, whatever was answered for one of
    them. A partner works with the company it supplies and could pass on what it
    knows, so a yes for it must not undo a no for the company; and the people are
    not even asked then, since no yes could be honoured.

  Auditors never see identities; proxies see the people they represent.

Console, API and channels all ask here, so one rule decides everywhere.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select, true

from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import NotFound
from remedy.core.extensions import db
from remedy.core.references import is_valid, normalise
from remedy.identity.consents import organisation_may_know
from remedy.identity.reveals import active_reveal
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.mandate import Mandate
from remedy.models.user import Role

IDENTITY_ROLES = frozenset({Role.HANDLER, Role.SUPERVISOR, Role.PROTECTION_OFFICER})
READ_ONLY_ROLES = frozenset({Role.AUDITOR, Role.ADMIN, Role.OVERSIGHT})


def _is_mechanism_staff(actor: Actor) -> bool:
    return actor.kind is ActorKind.STAFF and actor.organisation_id is None


def may_see_reprisal_risk(actor: Actor) -> bool:
    """Everyone who reads a case but the staff of the organisations involved: the people
    may fear them, and a risk level in their hands says who is afraid of what."""
    return not (actor.kind is ActorKind.STAFF and actor.organisation_id is not None)


def visible_grievances(actor: Actor) -> ColumnElement[bool]:
    """A where-clause for ``select(Grievance)`` that keeps what ``actor`` may see."""
    if _is_mechanism_staff(actor):
        return true()
    if actor.kind is ActorKind.STAFF:
        return exists(
            select(InvolvementTrack.id).where(
                InvolvementTrack.grievance_id == Grievance.id,
                InvolvementTrack.organisation_id == actor.organisation_id,
            )
        )
    if actor.kind is ActorKind.PROXY and actor.organisation_id is not None:
        return or_(
            Grievance.filed_by_organisation_id == actor.organisation_id,
            exists(
                select(Mandate.id).where(
                    Mandate.grievance_id == Grievance.id,
                    Mandate.organisation_id == actor.organisation_id,
                )
            ),
        )
    if actor.kind is ActorKind.COMPLAINANT and actor.id:
        return Grievance.reference == actor.id
    return false()


def may_see_grievance(actor: Actor, grievance: Grievance) -> bool:
    if _is_mechanism_staff(actor):
        return True
    if actor.kind is ActorKind.STAFF:
        return any(track.organisation_id == actor.organisation_id for track in grievance.tracks)
    query = select(Grievance.id).where(Grievance.id == grievance.id, visible_grievances(actor))
    return db.session.scalar(query) is not None


def get_visible_grievance(actor: Actor, reference: str) -> Grievance:
    """The grievance, or NotFound when it does not exist or ``actor`` may not see it (404 both)."""
    reference = normalise(reference)
    if not is_valid(reference):  # also keeps NUL bytes and the like away from the database
        raise NotFound("No such grievance.")
    grievance = db.session.scalars(
        select(Grievance).where(Grievance.reference == reference, visible_grievances(actor))
    ).one_or_none()
    if grievance is None:
        raise NotFound("No such grievance.")
    return grievance


def visible_tracks(actor: Actor, grievance: Grievance) -> list[InvolvementTrack]:
    """Every track for the mechanism, the complainant and proxies; its own for an organisation."""
    if actor.kind is ActorKind.STAFF and actor.organisation_id is not None:
        own = actor.organisation_id
        return [track for track in grievance.tracks if track.organisation_id == own]
    return list(grievance.tracks)


def may_see_identity(actor: Actor, grievance: Grievance) -> bool:
    """Names and phone numbers of the grievance's people, on a case page (never in lists):
    the rule of the module's docstring."""
    if actor.kind is ActorKind.PROXY:
        return may_see_grievance(actor, grievance)
    if actor.kind is not ActorKind.STAFF or actor.role not in IDENTITY_ROLES:
        return False
    if actor.organisation_id is not None:
        return may_see_grievance(actor, grievance) and organisation_may_know(
            grievance, actor.organisation_id
        )
    if grievance.identity_withheld:
        return active_reveal(actor, grievance) is not None
    return True


def may_change(actor: Actor) -> bool:
    """Auditors, administrators and oversight bodies read; they never change case work."""
    return actor.role not in READ_ONLY_ROLES
