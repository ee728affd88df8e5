"""An administrator manages accounts in a real browser without JavaScript: the list and
its filters, an account's page, deactivating with the confirmation box, a second factor
reset and its set-up link, and vetting an NGO with its reason; every page passes the
accessibility rules."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from remedy.accounts.organisations import create_organisation
from remedy.core.actors import OPERATOR
from remedy.models import OrganisationKind, Role
from tests.browser.axe import assert_accessible
from tests.support import Account, make_account


def sign_in(page: Page, account: Account) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email").fill(account.user.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("6-digit code from your authenticator app").fill(account.code())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/**")


def test_an_administrator_deactivates_an_account_and_vets_an_ngo(
    page: Page, tmp_path: Path
) -> None:
    admin = make_account("admin@example.org", Role.ADMIN)
    make_account("handler@example.org")
    ngo = create_organisation(OPERATOR, "Haki Watch", OrganisationKind.NGO, "KE")
    make_account("member@haki.example", Role.PROXY_MEMBER, ngo)
    sign_in(page, admin)

    page.get_by_role("link", name="Accounts").click()
    expect(page.locator("h1")).to_have_text("Accounts")
    assert_accessible(page)
    page.get_by_label("Role").select_option(label="Handler")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("caption")).to_have_text("1 account")

    page.get_by_role("link", name="handler@example.org").click()
    assert_accessible(page)
    page.get_by_label("Yes, deactivate handler@example.org").check()
    page.get_by_role("button", name="Deactivate the account").click()
    expect(page.locator(".flash-success")).to_contain_text("handler@example.org is deactivated")
    page.get_by_label("Yes, reset the second factor of handler@example.org").check()
    page.get_by_role("button", name="Reset the second factor").click()
    expect(page.locator("#enrolment-link")).to_contain_text("/sign-in/enrol/")
    assert_accessible(page)
    page.screenshot(path=tmp_path / "account.png", full_page=True)

    page.get_by_role("link", name="Organisations").click()
    page.get_by_role("link", name="1 accounts of Haki Watch").click()
    expect(page.locator("tbody")).to_contain_text("member@haki.example")
    page.go_back()
    page.get_by_label("Why you vet Haki Watch").fill("Registration certificate seen.")
    page.get_by_role("button", name="Vet Haki Watch").click()
    expect(page.locator(".org").filter(has_text="Haki Watch")).to_contain_text(
        "Registration certificate seen."
    )
    assert_accessible(page)
