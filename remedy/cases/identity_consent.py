"""Asking the people whether an organisation they did not answer for at filing may know
who they are, and taking their answer from whichever channel it comes.

When a track opens for an organisation the mechanism does not serve, the people are
asked on their own channel: "May <organisation> know who you are? 1 yes, 2 no". On a
phone the message opens an ask (:mod:`remedy.cases.asks`), so a reply, 1 or 2 or a yes
or no word of their language, answers it; a discreet phone hears only that there is
news. The web status page and an NGO holding their mandate answer through
:func:`answer` too, as will the call channel: the service does not care how the answer
came, only who gave it. See :mod:`remedy.identity.consents` for what the answer decides.
"""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.cases.consultations import Consultation, record_for_decision
from remedy.cases.notify import notify_people
from remedy.cases.policy import holds_mandate, is_complainant
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import NotAllowed
from remedy.core.unit_of_work import transactional
from remedy.identity.consents import consent_for, needs_asking, open_consent, record_answer
from remedy.models.ask import Ask
from remedy.models.grievance import Grievance
from remedy.models.group_consultation import GroupDecision
from remedy.models.identity_consent import ConsentVia, IdentityConsent
from remedy.models.involvement_track import InvolvementTrack
from remedy.workflows.definition import MandateScope

CONSENT_TEMPLATE = "identity_consent"
# An NGO whose mandate lets it answer proposals for the people answers this for them too.
CONSENT_SCOPE = MandateScope.ANSWER_PROPOSALS


def ask_for_track(actor: Actor, track: InvolvementTrack) -> IdentityConsent | None:
    """Ask the people about the track's organisation, unless it is served or they
    answered already; the question goes to every recipient of the case's messages."""
    grievance = track.grievance
    organisation = track.organisation
    if not needs_asking(grievance, organisation):
        return None
    consent = open_consent(grievance, organisation)
    if consent is None:
        return None
    event = f"consent:{consent.id}:{consent.asked_at:%Y%m%d%H%M%S%f}"
    notify_people(grievance, CONSENT_TEMPLATE, event, {"organisation": organisation.name}, track)
    audit.record(
        actor,
        "identity.consent_asked",
        "grievance",
        grievance.reference,
        after={"organisation_id": organisation.id},
    )
    return consent


def may_answer(actor: Actor, grievance: Grievance) -> bool:
    """The people (reference and PIN, or their phone) or an NGO holding their mandate."""
    return is_complainant(actor, grievance) or holds_mandate(actor, grievance, CONSENT_SCOPE)


@transactional
def answer(
    actor: Actor,
    consent: IdentityConsent,
    yes: bool,
    via: ConsentVia,
    consultation: Consultation | None = None,
) -> IdentityConsent:
    """The people's answer for one organisation, from whichever channel it came; a proxy
    answering for a group says how it consulted them (``consultations``)."""
    grievance = consent.grievance
    if not may_answer(actor, grievance):
        raise NotAllowed(_("Only the people of the case, or who acts for them, can answer."))
    if actor.kind is ActorKind.PROXY:
        via = ConsentVia.PROXY
    person_id = actor.person_id if actor.kind is ActorKind.COMPLAINANT else None
    answered = record_answer(actor, consent, yes, via, person_id=person_id)
    record_for_decision(actor, grievance, GroupDecision.IDENTITY_CONSENT, consultation)
    return answered


def consent_of_ask(ask: Ask) -> IdentityConsent | None:
    """The question an SMS ask of kind CONSENT puts (its track names the organisation)."""
    if ask.grievance is None or ask.track is None:
        return None
    return consent_for(ask.grievance, ask.track.organisation_id)
