"""The people's consent to an organisation they once withdrew a mandate from.

Once the people have withdrawn a mandate of an organisation, that organisation cannot
give itself a new one: the mandate it records is ``pending`` and gives no rights until

- the people confirm it: a one-time code goes to their phone (through the outbox, as a
  secret template that staff and the organisation see masked), they give it to the
  organisation if they agree, and the organisation enters it; or
- a supervisor of the mechanism approves it, saying what evidence shows the people
  agree (a signed form seen, a call with them).

Every step is audited. Withdrawn by the organisation itself, a mandate needs no such
consent to be recorded again: the people never said no.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update

from remedy.audit import log as audit
from remedy.cases.representation import mandates_of, mandates_on
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.passwords import burn_time, hash_secret, verify_secret
from remedy.core.references import normalise
from remedy.core.roles import Role
from remedy.core.unit_of_work import durable, transactional
from remedy.messaging import sms_texts
from remedy.messaging.codes import queue_code
from remedy.models.grievance import Grievance
from remedy.models.mandate import Mandate
from remedy.models.organisation import Organisation
from remedy.models.outbox_message import MANDATE_CODE_TEMPLATE
from remedy.models.person import Person
from remedy.models.types import utcnow

# Long enough for the organisation to meet the people again and ask them.
CODE_LIFETIME = timedelta(days=7)
MAX_TRIES = 5
MAX_EVIDENCE = 1000
# Who withdrew a mandate for the organisation itself (``Mandate.withdrawn_by``); any other
# withdrawal was the people's, or the mechanism's on their behalf.
BY_THE_ORGANISATION = ActorKind.PROXY.value


def people_withdrew(organisation: Organisation, grievance: Grievance) -> bool:
    """Whether the people have withdrawn a mandate of this organisation on this case."""
    return any(
        mandate.withdrawn_at is not None and mandate.withdrawn_by != BY_THE_ORGANISATION
        for mandate in mandates_of(organisation.id, grievance)
    )


def _reachable(grievance: Grievance, mandate: Mandate) -> list[Person]:
    """The people the mandate covers whose phone we may write to."""
    return [
        link.person
        for link in grievance.people
        if mandate.person_id in (None, link.person_id)
        and link.person.phone
        and link.person.phone_opted_out_at is None
    ]


def ask_people(actor: Actor, mandate: Mandate, grievance: Grievance) -> int:
    """Send the people a code for this pending mandate; how many phones it went to (none:
    only a supervisor's approval can put it in force)."""
    code = f"{secrets.randbelow(10**6):06d}"
    mandate.consent_code_hash = hash_secret(code)
    mandate.consent_code_expires_at = utcnow() + CODE_LIFETIME
    mandate.consent_code_attempts = 0
    people = _reachable(grievance, mandate)
    for person in people:
        language = person.language or grievance.language
        with force_locale(language):
            body = str(sms_texts.MANDATE_CODE) % {
                "organisation": mandate.organisation.name,
                "code": code,
            }
        queue_code(
            f"mandate-consent:{mandate.id}:{person.id}",
            grievance.id,
            person,
            language,
            MANDATE_CODE_TEMPLATE,
            body,
        )
    audit.record(
        actor,
        "mandate.consent_asked",
        "mandate",
        mandate.id,
        after={"grievance": grievance.reference, "phones": len(people)},
    )
    return len(people)


def _wrong_code() -> InvalidInput:
    return InvalidInput(
        _("This code is wrong or no longer valid. Ask the people for the code they received."),
        "code",
    )


def confirm_with_code(actor: Actor, mandate: Mandate, code: str) -> Mandate:
    """The organisation enters the code the people gave it: the mandate comes into force.
    A wrong code counts against its five tries, committed whatever the caller does next."""
    if actor.kind is not ActorKind.PROXY or actor.organisation_id != mandate.organisation_id:
        raise NotAllowed(_("You may confirm mandates only for your own organisation."))
    if not mandate.awaiting_consent:
        return mandate
    code = normalise(code)
    expires = mandate.consent_code_expires_at
    usable = (
        mandate.withdrawn_at is None
        and mandate.consent_code_hash is not None
        and expires is not None
        and expires > utcnow()
        and mandate.consent_code_attempts < MAX_TRIES
    )
    if not usable or mandate.consent_code_hash is None:
        burn_time(code or "000000")
        raise _wrong_code()
    if not (code.isdigit() and len(code) == 6 and verify_secret(mandate.consent_code_hash, code)):
        with durable():
            db.session.execute(
                update(Mandate)
                .where(Mandate.id == mandate.id)
                .values(consent_code_attempts=Mandate.consent_code_attempts + 1)
            )
        raise _wrong_code()
    return _in_force(actor, mandate, "code")


@transactional
def _in_force(actor: Actor, mandate: Mandate, via: str) -> Mandate:
    mandate.awaiting_consent = False
    mandate.consented_at = utcnow()
    mandate.consented_via = via
    mandate.consent_code_hash = None
    mandate.consent_code_expires_at = None
    action = "mandate.consent_confirmed" if via == "code" else "mandate.consent_approved"
    audit.record(actor, action, "mandate", mandate.id, after={"via": via})
    return mandate


def awaiting_approval(actor: Actor, grievance: Grievance) -> list[Mandate]:
    """The case's mandates waiting for the people's consent, for a supervisor who may
    approve them (nobody else: the list is empty)."""
    if not may_approve(actor):
        return []
    return [
        mandate
        for mandate in mandates_on(grievance)
        if mandate.awaiting_consent and mandate.withdrawn_at is None
    ]


def pending_mandate(grievance: Grievance, mandate_id: int) -> Mandate:
    mandate = db.session.get(Mandate, mandate_id)
    if mandate is None or mandate.grievance_id != grievance.id:
        raise NotFound(_("There is no such mandate on this case."))
    return mandate


def may_approve(actor: Actor) -> bool:
    """A supervisor of the mechanism itself, never of an organisation involved."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.role is Role.SUPERVISOR
        and actor.organisation_id is None
    )


@transactional
def approve_mandate(actor: Actor, mandate: Mandate, evidence: str) -> Mandate:
    """A supervisor puts a pending mandate in force, saying what shows the people agree."""
    if not may_approve(actor):
        raise NotAllowed(_("Only a supervisor of the mechanism approves a mandate."))
    if mandate.withdrawn_at is not None or not mandate.awaiting_consent:
        raise InvalidInput(_("This mandate is not waiting for approval."), "mandate")
    evidence = (evidence or "").strip()
    if not evidence:
        raise InvalidInput(_("Say what shows that the people agree."), "evidence")
    if len(evidence) > MAX_EVIDENCE:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_EVIDENCE), "evidence"
        )
    mandate.approval_evidence = evidence
    mandate.approved_by_id = actor.staff_user_id
    return _in_force(actor, mandate, "supervisor")
