"""Administrators vet an NGO before its members may file or act for anyone; until then the
members see a page that says so, and nothing they send is kept."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.accounts.organisations import create_organisation
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.models import AuditEvent, Grievance, Organisation, OrganisationKind, Role
from tests.proxy.portal import count, filing
from tests.support import Account, csrf_token, make_account, sign_in, submit_form

PAGE = "/console/organisations/"
REASON = "Registered in 2015 (certificate seen); two references from district officers."


@pytest.fixture
def admin(app: Flask) -> Account:
    return make_account("admin@example.org", Role.ADMIN)


@pytest.fixture
def admin_client(client: FlaskClient, admin: Account) -> FlaskClient:
    sign_in(client, admin)
    return client


@pytest.fixture
def unvetted(app: Flask) -> Organisation:
    return create_organisation(OPERATOR, "Sauti ya Jamii", OrganisationKind.NGO, "KE")


@pytest.fixture
def unvetted_member(client: FlaskClient, unvetted: Organisation) -> FlaskClient:
    sign_in(client, make_account("member@sauti.example", Role.PROXY_MEMBER, unvetted))
    return client


def organisation(name: str) -> Organisation:
    db.session.expire_all()
    return db.session.scalars(select(Organisation).where(Organisation.name == name)).one()


def test_an_admin_adds_an_ngo_and_vets_it(admin_client: FlaskClient) -> None:
    response = submit_form(
        admin_client, PAGE, {"name": "Haki Watch", "kind": "ngo", "country": "ke"}
    )
    assert response.status_code == 302
    ngo = organisation("Haki Watch")
    assert (ngo.kind, ngo.country, ngo.is_vetted) == (OrganisationKind.NGO, "KE", False)
    listing = admin_client.get(PAGE).get_data(as_text=True)
    assert "Not vetted yet" in listing
    assert "Vet Haki Watch" in listing

    response = submit_form(admin_client, PAGE, {"note": REASON}, action=f"{PAGE}{ngo.id}/vet")

    assert response.status_code == 302
    vetted = organisation("Haki Watch")
    assert (vetted.is_vetted, vetted.vetting_note) == (True, REASON)
    assert vetted.vetted_at is not None
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "organisation.vet")
    ).one()
    assert (event.actor_kind, event.subject_id) == ("staff", str(ngo.id))
    assert event.after == {"note_length": len(REASON), "vetted_at": event.after["vetted_at"]}
    listing = admin_client.get(PAGE).get_data(as_text=True)
    assert "Vet Haki Watch" not in listing
    assert REASON in listing


@pytest.mark.parametrize("note", ["", "   "])
def test_vetting_without_a_reason_is_refused_beside_the_field(
    admin_client: FlaskClient, unvetted: Organisation, note: str
) -> None:
    response = submit_form(admin_client, PAGE, {"note": note}, action=f"{PAGE}{unvetted.id}/vet")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="vet-note-{unvetted.id}-error"' in page
    assert "Say why you vet it" in page
    assert not organisation("Sauti ya Jamii").is_vetted
    assert count(AuditEvent, AuditEvent.action == "organisation.vet") == 0


def test_a_duplicate_name_is_refused_beside_the_field(admin_client: FlaskClient) -> None:
    create_organisation(OPERATOR, "Acme Mining", OrganisationKind.COMPANY)

    response = submit_form(admin_client, PAGE, {"name": "acme mining", "kind": "company"})

    assert response.status_code == 400
    assert "An organisation with this name already exists." in response.get_data(as_text=True)
    assert count(Organisation) == 1


def test_only_ngos_are_vetted(admin_client: FlaskClient) -> None:
    company = create_organisation(OPERATOR, "Acme Mining", OrganisationKind.COMPANY)

    response = submit_form(admin_client, PAGE, {}, action=f"{PAGE}{company.id}/vet")

    assert response.status_code == 422
    assert "Only NGOs are vetted" in response.get_data(as_text=True)
    assert not organisation("Acme Mining").is_vetted


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.HANDLER, Role.AUDITOR, Role.PROXY_MEMBER])
def test_only_administrators_open_the_organisations_page(
    client: FlaskClient, unvetted: Organisation, role: Role
) -> None:
    sign_in(client, make_account("someone@example.org", role))
    token = csrf_token(client.get("/account").get_data(as_text=True))

    assert client.get(PAGE).status_code == 403
    vetting = client.post(f"{PAGE}{unvetted.id}/vet", data={"csrf_token": token})
    assert vetting.status_code == 403
    assert not organisation("Sauti ya Jamii").is_vetted


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get(PAGE)

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("page", ["/proxy/", "/proxy/file"])
def test_members_of_an_unvetted_ngo_are_told_so_and_cannot_file(
    unvetted_member: FlaskClient, page: str
) -> None:
    response = unvetted_member.get(page)

    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "<title>Your organisation is not vetted yet" in text
    assert "Sauti ya Jamii" in text
    assert text.count('action="/sign-out"') == 1, "one way out, in the page, not its title"


def test_what_a_member_of_an_unvetted_ngo_sends_is_not_kept(unvetted_member: FlaskClient) -> None:
    token = csrf_token(unvetted_member.get("/account").get_data(as_text=True))

    response = unvetted_member.post("/proxy/file", data={**filing(), "csrf_token": token})

    assert response.status_code == 403
    assert count(Grievance) == 0


def test_once_vetted_the_members_open_the_portal(
    unvetted_member: FlaskClient, unvetted: Organisation, admin: Account, app: Flask
) -> None:
    admin_client = app.test_client()
    sign_in(admin_client, admin)
    submit_form(admin_client, PAGE, {"note": REASON}, action=f"{PAGE}{unvetted.id}/vet")

    response = unvetted_member.get("/proxy/")

    assert response.status_code == 200
    assert "Your organisation has no case yet." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.HANDLER, Role.ADMIN])
def test_staff_cannot_use_the_proxy_portal(client: FlaskClient, role: Role) -> None:
    sign_in(client, make_account("staff@example.org", role))

    assert client.get("/proxy/").status_code == 403
