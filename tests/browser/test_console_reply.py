"""The reply composer's live segment count (optional JavaScript) agrees with the server's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from remedy.messaging.segments import Encoding, segments
from tests.browser.conftest import PHONE
from tests.console.case_support import enrolled, user_of
from tests.workflows.scenarios import Scenario

SAMPLES = ["", "Karibu", "a" * 161, "€" * 81, "Ça coûte 5 €", "شكرا " * 15, "😀" * 36]


@pytest.fixture
def scripted(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    viewport = ViewportSize(width=PHONE["width"], height=PHONE["height"])
    profile = browser.new_context(base_url=live_server, locale="en-GB", viewport=viewport)
    yield profile
    profile.close()


def test_the_live_count_matches_the_server_for_every_kind_of_text(
    app: Flask, scripted: BrowserContext
) -> None:
    scenario = Scenario.create()
    grievance = scenario.file()
    account = enrolled(user_of(scenario.handler))
    page: Page = scripted.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email").fill(account.user.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("6-digit code from your authenticator app").fill(account.code())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console/**")
    page.goto(f"/console/grievances/{grievance.reference}")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    live = page.locator("#reply-live output")
    for text in SAMPLES:
        page.get_by_label("Your reply").fill(text)
        info = segments(text)
        encoding = "GSM-7" if info.encoding is Encoding.GSM7 else "Unicode (UCS-2)"
        expect(live).to_have_text(f"{info.count} · {encoding}")
    assert errors == []
