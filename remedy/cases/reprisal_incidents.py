"""The reprisal incident log of a case, and the protective measures an incident brings.

Recorded by the mechanism's protection officers and supervisors (the people who change a
case's reprisal risk; never an organisation's staff, who may be the ones feared). The
officer chooses the measures on the same form, and each is applied in the same unit of
work and audited: a hold on all contact (:mod:`remedy.cases.contact_hold`), discreet
messages with the risk raised to high, a referral to a protection organisation from the
directory, and an alert that stays on the supervisor page until a supervisor
acknowledges it.

The people are told what was done, never what happened or who is suspected, in their
language and on their channel (discreetly when messages are discreet), unless contact
is on hold: then nothing is sent, not even to the web status page, which only says that
the team is taking steps to protect them.

Who reads what: the recorders read everything; the mechanism's auditors see that an
incident exists, when and with which measures, without its words; the mechanism's
handlers and every organisation's staff see nothing of it. Audit events carry ids,
dates and measures, never the free text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.cases import contact_hold
from remedy.cases.notify import notify_people
from remedy.cases.protection import make_discreet, may_change_reprisal_risk
from remedy.cases.referrals import describe, directory_for, get_mechanism, record_referral
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_see_grievance
from remedy.models.grievance import Grievance
from remedy.models.referral import MechanismKind, ReferralMechanism
from remedy.models.reprisal_incident import ReprisalIncident
from remedy.models.types import utcnow
from remedy.models.user import Role

MAX_TEXT = 4000
MAX_SUSPECTED = 500

# Who records incidents and reads their words: the same who-may as a change of risk.
may_record_incident = may_change_reprisal_risk


def may_see_incidents(actor: Actor, grievance: Grievance) -> bool:
    """That incidents exist: the recorders, and the mechanism's auditors."""
    return may_record_incident(actor, grievance) or (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role is Role.AUDITOR
        and may_see_grievance(actor, grievance)
    )


def may_acknowledge(actor: Actor) -> bool:
    """The mechanism's supervisors acknowledge the alerts incidents raise."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role is Role.SUPERVISOR
        and actor.user_id is not None
    )


@dataclass(frozen=True)
class IncidentReport:
    """What the officer wrote, and the measures they chose."""

    what_happened: str | None
    happened_on: date | None
    suspected: str | None = None
    hold_contact: bool = True
    make_discreet: bool = True
    mechanism_id: int | None = None
    alert_supervisors: bool = True


def protection_mechanisms(grievance: Grievance) -> list[ReferralMechanism]:
    """Active protection organisations for the case's country (see ``case_countries``),
    with those open to everyone; with no country known, every one listed."""
    near, _elsewhere = directory_for(grievance)
    return [m for m in near if m.kind is MechanismKind.PROTECTION]


def _cleaned(report: IncidentReport) -> tuple[str, date, str | None]:
    what = (report.what_happened or "").strip()
    if not what:
        raise InvalidInput(_("Say what happened."), "what_happened")
    if len(what) > MAX_TEXT:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_TEXT), "what_happened"
        )
    if report.happened_on is None:
        raise InvalidInput(_("Give the date it happened."), "happened_on")
    if report.happened_on > utcnow().date():
        raise InvalidInput(_("The date cannot be in the future."), "happened_on")
    suspected = (report.suspected or "").strip() or None
    if suspected and len(suspected) > MAX_SUSPECTED:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_SUSPECTED), "suspected"
        )
    return what, report.happened_on, suspected


def _protection_mechanism(grievance: Grievance, mechanism_id: int) -> ReferralMechanism:
    try:
        mechanism = get_mechanism(mechanism_id)
    except NotFound as missing:
        raise InvalidInput(str(missing), "mechanism") from missing
    if mechanism not in protection_mechanisms(grievance):
        raise InvalidInput(_("Choose one of the listed options."), "mechanism")
    return mechanism


@transactional
def record_incident(actor: Actor, grievance: Grievance, report: IncidentReport) -> ReprisalIncident:
    if not may_record_incident(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    what, happened_on, suspected = _cleaned(report)
    mechanism = (
        _protection_mechanism(grievance, report.mechanism_id) if report.mechanism_id else None
    )
    incident = ReprisalIncident(
        grievance_id=grievance.id,
        what_happened=what,
        happened_on=happened_on,
        suspected=suspected,
        recorded_by_user_id=actor.user_id,
        held_contact=report.hold_contact,
        made_discreet=report.make_discreet,
        alerted=report.alert_supervisors,
    )
    db.session.add(incident)
    db.session.flush()
    audit.record(
        actor,
        "protection.incident",
        "grievance",
        grievance.reference,
        after={
            "incident_id": incident.id,
            "happened_on": happened_on.isoformat(),
            "suspected_named": suspected is not None,
            "hold_contact": report.hold_contact,
            "make_discreet": report.make_discreet,
            "mechanism_id": mechanism.id if mechanism else None,
            "alert_supervisors": report.alert_supervisors,
        },
    )
    if report.hold_contact:
        contact_hold.hold_contact(actor, grievance, incident.id)
    if report.make_discreet:
        make_discreet(actor, grievance, "protection.reprisal_risk", {"incident_id": incident.id})
    if mechanism is not None:
        incident.referral = record_referral(actor, grievance, mechanism, None)
        db.session.flush()
        audit.record(
            actor,
            "protection.referral",
            "grievance",
            grievance.reference,
            after={"incident_id": incident.id, "referral_id": incident.referral.id},
        )
    _tell_the_people(grievance, incident, mechanism)
    grievance.updated_at = utcnow()
    return incident


def _tell_the_people(
    grievance: Grievance, incident: ReprisalIncident, mechanism: ReferralMechanism | None
) -> None:
    """What was done, unless contact is held: then not a word, anywhere."""
    if contact_hold.is_held(grievance):
        return
    if mechanism is None:
        notify_people(grievance, "protection_taken", f"ri{incident.id}")
    else:
        notify_people(
            grievance, "protection_referred", f"ri{incident.id}", {"referral": describe(mechanism)}
        )


@transactional
def acknowledge_alert(actor: Actor, grievance: Grievance, incident_id: int) -> ReprisalIncident:
    if not (may_acknowledge(actor) and may_see_grievance(actor, grievance)):
        raise NotAllowed(_("You may not do this on this case."))
    incident = db.session.get(ReprisalIncident, incident_id)
    if incident is None or incident.grievance_id != grievance.id:
        raise NotFound(_("There is no such incident on this case."))
    if not incident.alert_open:
        raise InvalidInput(_("This alert is already acknowledged."), "incident")
    incident.alert_acknowledged_by_user_id = actor.user_id
    incident.alert_acknowledged_at = utcnow()
    audit.record(
        actor,
        "protection.alert_acknowledged",
        "grievance",
        grievance.reference,
        after={"incident_id": incident.id},
    )
    return incident
