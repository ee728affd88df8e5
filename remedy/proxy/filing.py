"""Filing for others: the mechanism's team files what reached it some other way, and a
vetted NGO files for the people who asked it to, under their mandate.

Who may file is one rule (:func:`filing_organisation`): the mechanism's handlers and
supervisors, or a member of a vetted NGO; company staff, auditors and administrators do
not file. A proxy always files under a mandate, and every filing takes one path
(:func:`_record_then_take_in`): the grievance, then the mandate, then intake, in one unit
of work, so without a mandate nothing is filed and the acknowledgement reaches whoever the
people chose. The portal's filing (:func:`file_on_behalf`) and the API's
(:func:`file_for_others`) differ only in what they are given.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from remedy.cases.intake import start_intake
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.numbers import ascii_digits, ltr_text
from remedy.core.unit_of_work import transactional
from remedy.filing.grievances import (
    MAX_PEOPLE_AFFECTED,
    GrievanceForm,
    PersonDetails,
    Submitted,
    record_grievance,
)
from remedy.identity.phones import normalise_phone, phone_example
from remedy.models.grievance import Category, Channel, ProductUser, ReprisalRisk
from remedy.models.organisation import Organisation
from remedy.models.types import utcnow
from remedy.models.user import Role
from remedy.proxy import mandates
from remedy.proxy.mandates import MandateTerms
from remedy.proxy.membership import member_organisation
from remedy.workflows.definition import MandateScope

MAX_LISTED_PEOPLE = 500
FILING_ROLES = frozenset({Role.HANDLER, Role.SUPERVISOR})


class MessageRecipients(enum.StrEnum):
    """Who receives the case's messages: the people, the organisation, or both."""

    PEOPLE = "people"
    PROXY = "proxy"
    BOTH = "both"

    @property
    def label(self) -> str:
        return str(RECIPIENT_LABELS[self])


RECIPIENT_LABELS = {
    MessageRecipients.PEOPLE: _l("The people themselves"),
    MessageRecipients.PROXY: _l("Only our organisation"),
    MessageRecipients.BOTH: _l("Both the people and our organisation"),
}


# Who may file ----------------------------------------------------------------------------


def filing_organisation(actor: Actor) -> Organisation | None:
    """The vetted NGO a proxy files for, None for the mechanism's team; NotAllowed for
    anyone else."""
    if actor.kind is ActorKind.STAFF and actor.organisation_id is None:
        if actor.role in FILING_ROLES:
            return None
    elif actor.kind is ActorKind.PROXY:
        try:
            return member_organisation(actor)
        except NotAllowed:
            pass
    raise NotAllowed(_("Your account may not file grievances."))


# The one path ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FilingMandate:
    """The mandate a proxy files under: its organisation, what the people agreed to, whether
    the organisation receives their messages, and whether it covers only the one person
    filed for (else the whole group)."""

    organisation: Organisation
    terms: MandateTerms
    proxy_receives_messages: bool = True
    only_the_complainant: bool = False


def _record_then_take_in(
    actor: Actor, form: GrievanceForm, mandate: FilingMandate | None
) -> Submitted:
    """Record the grievance, then the mandate a proxy files under, then start intake (once
    the mandate is on file, so the acknowledgement reaches whoever the people chose). Runs
    inside the caller's unit of work."""
    submitted = record_grievance(actor, form)
    grievance = submitted.grievance
    if mandate is not None:
        only = (
            grievance.people[0].person
            if mandate.only_the_complainant and grievance.people
            else None
        )
        granted = mandates.grant_mandate(
            actor,
            mandate.organisation,
            grievance,
            mandate.terms.scopes,
            mandate.terms.consent_method,
            mandate.terms.valid_until,
            person=only,
            proxy_receives_messages=mandate.proxy_receives_messages,
            consent_note=mandate.terms.consent_note,
        )
        if mandate.terms.evidence is not None:
            mandates.attach_evidence(actor, granted, mandate.terms.evidence)
    start_intake(grievance)
    return submitted


# Filing through the API ------------------------------------------------------------------


@transactional
def file_for_others(
    actor: Actor,
    form: GrievanceForm,
    terms: MandateTerms | None,
    proxy_receives_messages: bool = True,
) -> Submitted:
    """The team files without a mandate; a proxy must say how the people consented. Who
    filed is taken from ``actor``, whatever ``form`` says."""
    organisation = filing_organisation(actor)
    if organisation is not None and terms is None:
        raise InvalidInput(
            _("Say how the people consented to your organisation filing for them."), "mandate"
        )
    if organisation is None and terms is not None:
        raise InvalidInput(_("Only a proxy records a mandate when filing."), "mandate")
    form = replace(
        form,
        filed_by_user_id=actor.user_id,
        filed_by_organisation_id=organisation.id if organisation else None,
    )
    mandate = (
        FilingMandate(organisation, terms, proxy_receives_messages)
        if organisation is not None and terms is not None
        else None
    )
    return _record_then_take_in(actor, form, mandate)


# Filing through the portal ---------------------------------------------------------------


@dataclass
class ProxyFiling:
    """A grievance an organisation files for one person or a group."""

    description: str
    language: str
    mandate: MandateTerms
    for_group: bool = False
    people: list[PersonDetails] = field(default_factory=list)
    people_affected: int | None = None
    category: Category | None = None
    product_user: ProductUser | None = None
    external_reference: str | None = None
    location: str | None = None
    harm_date: date | None = None
    identity_withheld: bool = False
    reprisal_risk: ReprisalRisk = ReprisalRisk.NONE
    recipients: MessageRecipients = MessageRecipients.BOTH


class PeopleListRefused(InvalidInput):
    """Every line of a people list whose number cannot be used, each said on its own, so
    the member corrects them all at once."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(" ".join(lines), "people")
        self.lines = lines


def parse_people(text: str) -> list[PersonDetails]:
    """One person a line: a name, a phone number, or a name then a comma and a number.

    The last comma-separated part counts as the number when it holds digits (of any
    script) and only phone characters; everything else is the name. Blank lines are
    skipped. Numbers that cannot be used are refused together (:class:`PeopleListRefused`),
    each with the line it is on, counted as the person sees the list, and what was typed.
    """
    people = []
    refused = []
    for line_number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        name, _sep, last = line.rpartition(",")
        typed = last.strip() if _sep else line
        candidate = ascii_digits(typed)
        if not _looks_like_phone(candidate):
            people.append(PersonDetails(name=line))
            continue
        try:
            phone = normalise_phone(candidate)
        except InvalidInput:
            refused.append(_line_problem(line_number, typed))
            continue
        people.append(PersonDetails(name=name.strip() or None, phone=phone))
    if refused:
        raise PeopleListRefused(refused)
    return people


def _line_problem(line_number: int, typed: str) -> str:
    """ "Line 7: '0712 34' is not a phone number; write it like 0712 345 678." """
    example = phone_example()
    language = str(get_locale() or "en")
    line = format_decimal(line_number)
    if example.local is None:
        return _(
            "Line %(line)s: '%(typed)s' is not a phone number; write it with its country "
            "code, like %(international)s.",
            line=line,
            typed=ltr_text(typed, language),
            international=ltr_text(example.international, language),
        )
    return _(
        "Line %(line)s: '%(typed)s' is not a phone number; write it like %(local)s "
        "or %(international)s.",
        line=line,
        typed=ltr_text(typed, language),
        local=ltr_text(example.local, language),
        international=ltr_text(example.international, language),
    )


def _looks_like_phone(text: str) -> bool:
    allowed = set("+0123456789 ()-./")
    return any(c.isdigit() for c in text) and all(c in allowed for c in text)


def _check_terms(terms: MandateTerms) -> None:
    if MandateScope.FILE not in terms.scopes:
        raise InvalidInput(
            _("Filing needs a mandate that allows your organisation to file for them."),
            "scopes",
        )
    if terms.valid_until < utcnow().date():
        raise InvalidInput(_("The end date of the mandate has passed."), "valid_until")
    if terms.evidence is not None:
        mandates.evidence_type(terms.evidence.content)


def _people_of(filing: ProxyFiling) -> tuple[list[PersonDetails], int]:
    receive = filing.recipients is not MessageRecipients.PROXY
    people = [
        PersonDetails(p.name, p.phone, filing.language, receives_messages=receive)
        for p in filing.people
    ]
    if not filing.for_group:
        if len(people) > 1:
            raise InvalidInput(_("For more than one person, choose a group."), "people")
        # One person, named or not: they are on file, so they can be asked and answer.
        return people or [PersonDetails(None, None, filing.language, receive)], 1
    if len(people) > MAX_LISTED_PEOPLE:
        raise InvalidInput(
            _("List at most %(count)d people; give the others as a number.", count=500),
            "people",
        )
    count = filing.people_affected if filing.people_affected is not None else len(people)
    if count < 2 or count > MAX_PEOPLE_AFFECTED:
        raise InvalidInput(_("A group is at least 2 people."), "people_affected")
    if count < len(people):
        raise InvalidInput(
            _("The number of people affected is smaller than the list of people."),
            "people_affected",
        )
    if not people and filing.recipients is MessageRecipients.PEOPLE:
        raise InvalidInput(
            _(
                "Nobody could receive the messages: list the people, or let your organisation "
                "receive them."
            ),
            "recipients",
        )
    return people, count


@transactional
def file_on_behalf(actor: Actor, filing: ProxyFiling) -> Submitted:
    """File for one person or a group, with the mandate the people gave."""
    organisation = member_organisation(actor)
    _check_terms(filing.mandate)
    people, count = _people_of(filing)
    form = GrievanceForm(
        channel=Channel.PROXY,
        language=filing.language,
        description=filing.description,
        location=filing.location,
        category=filing.category,
        product_user=filing.product_user,
        external_reference=filing.external_reference,
        harm_date=filing.harm_date,
        people_affected=count,
        reprisal_risk=filing.reprisal_risk,
        identity_withheld=filing.identity_withheld,
        contact_consent=any(person.phone for person in people),
        complainant=people[0] if people else None,
        affected=people[1:],
        filed_by_user_id=actor.user_id,
        filed_by_organisation_id=organisation.id,
    )
    mandate = FilingMandate(
        organisation,
        filing.mandate,
        proxy_receives_messages=filing.recipients is not MessageRecipients.PEOPLE,
        only_the_complainant=not filing.for_group,
    )
    return _record_then_take_in(actor, form, mandate)
