"""An administrator on a 390 px phone, in French and in Arabic: finds an organisation's
accounts, deactivates a handler who left, gives it back, changes a role, resets a lost
second factor, and vets an NGO with the reason why (tests/browser/walks.py)."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from remedy.accounts.organisations import create_organisation
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.models import Organisation, OrganisationKind, Role, User
from tests.browser.walks import Walk
from tests.support import make_account


def confirm(walk: Walk, key: str) -> None:
    """Tick the confirmation box of an action that takes something away, and do it."""
    walk.page.locator(f"#{key}-confirm").check()
    walk.page.locator(f"form:has(#{key}-confirm) button[type=submit]").click()


def the_user(email: str) -> User:
    db.session.rollback()  # see what the server committed
    return db.session.scalars(select(User).where(User.email == email)).one()


def test_an_administrator_runs_the_accounts_on_a_phone(walk: Walk) -> None:
    page = walk.page
    admin = make_account("admin@example.org", Role.ADMIN)
    make_account("handler@example.org")
    ngo = create_organisation(OPERATOR, "Haki Watch", OrganisationKind.NGO, "KE")
    make_account("member@haki.example", Role.PROXY_MEMBER, ngo)
    walk.sign_in(admin)

    walk.go("/console/users/", "accounts")
    page.locator("#filter-role").select_option("handler")
    page.locator("form.filters button[type=submit]").click()
    walk.check("accounts-handlers")
    page.locator("tbody a", has_text="handler@example.org").click()
    walk.check("account")

    confirm(walk, "deactivate")
    expect(page.locator(".flash-success")).to_be_visible()
    assert not the_user("handler@example.org").is_active
    walk.check("deactivated")
    page.locator("form[action$='/reactivate'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert the_user("handler@example.org").is_active

    page.locator("#role-role").select_option("supervisor")
    page.locator("#role-confirm").check()
    page.locator("form[action$='/role'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert the_user("handler@example.org").role is Role.SUPERVISOR

    confirm(walk, "reset")
    expect(page.locator("#enrolment-link")).to_contain_text("/sign-in/enrol/")
    walk.check("second-factor-reset")

    walk.go("/console/organisations/", "organisations")
    haki = page.locator(".org").filter(has_text="Haki Watch")
    haki.locator(f'a[href*="organisation={ngo.id}"]').click()
    expect(page.locator("tbody")).to_contain_text("member@haki.example")
    walk.check("ngo-accounts")
    walk.go("/console/organisations/", "organisations-again")
    haki.locator("textarea[name=note]").fill("Certificat vu / شهادة التسجيل")
    haki.locator("form[action$='/vet'] button[type=submit]").click()
    expect(haki).to_contain_text("Certificat vu / شهادة التسجيل")
    walk.check("ngo-vetted")
    db.session.rollback()
    assert db.session.get(Organisation, ngo.id).is_vetted  # type: ignore[union-attr]
