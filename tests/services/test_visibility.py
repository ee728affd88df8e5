"""One rule decides who sees which grievance, track and identity, for console, API and channels."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation
from remedy.core.actors import OPERATOR, Actor
from remedy.core.errors import NotFound
from remedy.core.extensions import db
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.identity.visibility import (
    get_visible_grievance,
    may_change,
    may_see_grievance,
    may_see_identity,
    visible_grievances,
    visible_tracks,
)
from remedy.models import Channel, Grievance, Organisation, OrganisationKind, Role, TrackKind
from tests.workflows.scenarios import PASSWORD, Scenario


def seen(actor: Actor) -> set[str]:
    return set(db.session.scalars(select(Grievance.reference).where(visible_grievances(actor))))


def staff_of(organisation: Organisation, email: str, role: Role = Role.HANDLER) -> Actor:
    return Actor.for_user(accounts.create_user(OPERATOR, email, PASSWORD, role, organisation))


def test_mechanism_staff_see_every_grievance_and_every_track(scenario: Scenario) -> None:
    joint, _ = scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    screening = scenario.file()
    for actor in (scenario.handler, scenario.supervisor, scenario.auditor):
        assert seen(actor) == {joint.reference, screening.reference}
        assert visible_tracks(actor, joint) == joint.tracks


def test_an_organisation_sees_only_grievances_with_its_track_and_only_that_track(
    scenario: Scenario,
) -> None:
    joint, (company_track, partner_track) = scenario.in_remedy(
        TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED
    )
    only_company, _ = scenario.in_remedy(TrackKind.CAUSE)
    scenario.file()
    assert seen(scenario.company_handler) == {joint.reference, only_company.reference}
    assert seen(scenario.partner_handler) == {joint.reference}
    assert visible_tracks(scenario.partner_handler, joint) == [partner_track]
    assert visible_tracks(scenario.company_handler, joint) == [company_track]
    assert not may_see_grievance(scenario.partner_handler, only_company)
    with pytest.raises(NotFound):
        get_visible_grievance(scenario.partner_handler, only_company.reference)


def test_a_proxy_sees_what_its_organisation_filed_or_holds_a_mandate_for(
    scenario: Scenario,
) -> None:
    mandated = scenario.file()
    scenario.mandate(mandated)
    filed_by_ngo = scenario.file()
    filed_by_ngo.filed_by_organisation_id = scenario.ngo.id
    db.session.commit()
    unrelated = scenario.file()
    other_ngo = create_organisation(OPERATOR, "Another NGO", OrganisationKind.NGO)
    other_member = staff_of(other_ngo, "member@another.example", Role.PROXY_MEMBER)

    assert seen(scenario.proxy) == {mandated.reference, filed_by_ngo.reference}
    assert seen(other_member) == set()
    with pytest.raises(NotFound):
        get_visible_grievance(other_member, mandated.reference)
    assert not may_see_grievance(scenario.proxy, unrelated)


def test_a_complainant_sees_only_their_own_case(scenario: Scenario) -> None:
    own, other = scenario.file(), scenario.file()
    assert seen(scenario.complainant(own)) == {own.reference}
    assert get_visible_grievance(scenario.complainant(own), own.reference) == own
    with pytest.raises(NotFound):
        get_visible_grievance(scenario.complainant(own), other.reference)


def test_a_withheld_identity_is_shown_to_no_one_but_the_representing_proxy(
    scenario: Scenario,
) -> None:
    withheld, _ = scenario.in_remedy(TrackKind.CAUSE, identity_withheld=True)
    scenario.mandate(withheld)
    open_, _ = scenario.in_remedy(TrackKind.CAUSE)
    for actor in (scenario.handler, scenario.supervisor, scenario.company_handler):
        assert not may_see_identity(actor, withheld)
        assert may_see_identity(actor, open_)
    assert may_see_identity(scenario.proxy, withheld)
    assert not may_see_identity(scenario.auditor, open_)
    assert not may_see_identity(scenario.partner_handler, open_)


def test_auditors_and_admins_read_but_never_change(scenario: Scenario) -> None:
    admin = Actor.for_user(
        accounts.create_user(OPERATOR, "admin@example.org", PASSWORD, Role.ADMIN)
    )
    assert not may_change(scenario.auditor)
    assert not may_change(admin)
    assert may_change(scenario.handler)
    assert may_change(scenario.company_handler)


@pytest.mark.parametrize("typed", ["", "1234\x005678", "12345678", "x" * 5000, "١٢٣٤٥٦٧٨"])
def test_a_reference_that_cannot_exist_is_simply_not_found(scenario: Scenario, typed: str) -> None:
    with pytest.raises(NotFound):
        get_visible_grievance(scenario.handler, typed)


def test_a_proxy_filing_with_a_known_number_never_learns_the_name_on_file(
    scenario: Scenario,
) -> None:
    phone = "+254711222333"
    earlier = submit_grievance(
        OPERATOR,
        GrievanceForm(
            channel=Channel.WEB,
            language="en",
            description="Unpaid wages at the mine.",
            complainant=PersonDetails("Amina Secret", phone, "en"),
        ),
    ).grievance
    by_proxy = submit_grievance(
        scenario.proxy,
        GrievanceForm(
            channel=Channel.PROXY,
            language="en",
            description="The river is polluted.",
            complainant=PersonDetails(None, phone, "en"),
            filed_by_organisation_id=scenario.ngo.id,
        ),
    ).grievance
    scenario.mandate(by_proxy)

    shown = [link.person for link in by_proxy.people]
    assert may_see_identity(scenario.proxy, by_proxy)
    assert [person.name for person in shown] == [None]
    assert shown[0].phone_hash == earlier.people[0].person.phone_hash
