"""First run in a real browser: the set-up link, the first administrator, the second factor."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
from playwright.sync_api import Page

from remedy.accounts import users as accounts

EMAIL = "admin@example.org"
PASSWORD = "correct horse battery staple"


def test_the_first_administrator_sets_up_the_site_without_javascript(
    page: Page, tmp_path: Path
) -> None:
    token = accounts.first_admin_token()
    assert accounts.count_users() == 0

    page.goto(f"/setup/{token}")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password (at least 12 characters)").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()

    page.wait_for_url("**/sign-in")
    assert "The administrator account is ready" in page.locator(".flash").inner_text()
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/sign-in/enrol")
    assert page.locator("figure.qr svg").is_visible()
    page.screenshot(path=tmp_path / "enrol.png", full_page=True)
    key = re.sub(r"\s", "", page.locator("#totp-key").inner_text())
    page.get_by_label("6-digit code from your authenticator app").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Finish set-up").click()

    page.wait_for_url("**/console/")
    assert page.locator("h1").inner_text() == "Queue"
    assert "Your authenticator app is set up" in page.locator(".flash").inner_text()
    assert EMAIL in page.locator(".console-user").inner_text()

    answer = page.goto(f"/setup/{token}")
    assert answer is not None
    assert answer.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
