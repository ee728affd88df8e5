"""axe-core finds no accessibility violation on any page of the proxy portal, or on the
administrators' organisations page, in any shipped language: as first shown, with form
errors, and in each state a case page can take (a proposal, check-ins, a mandate ended)."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from remedy.accounts.organisations import create_organisation
from remedy.core.actors import OPERATOR
from remedy.core.config import LANGUAGES
from remedy.models import OrganisationKind, Role, TrackKind
from remedy.proxy.mandates import withdraw_mandate_as_person
from tests.browser.axe import axe_violations
from tests.proxy.portal import enrolled, in_a_year
from tests.support import Account, make_account
from tests.workflows.scenarios import Scenario

PHONE = {"width": 360, "height": 740}


def signed_in(browser: Browser, live_server: str, account: Account, language: str) -> Page:
    """A new browser profile signed in as ``account``, in ``language``.

    JavaScript is on here only because axe-core needs it: with it off, ``axe.run`` never
    settles (its timers do not run). The pages run no script of their own (the policy
    forbids inline ones and they load none), so what axe sees is what a browser without
    JavaScript shows; ``test_proxy_portal`` uses them with JavaScript off.
    """
    context = browser.new_context(base_url=live_server, java_script_enabled=True, viewport=PHONE)
    page = context.new_page()
    page.goto(f"/sign-in?lang={language}")
    page.locator("input[name=email]").fill(account.user.email)
    page.locator("input[name=password]").fill(account.password)
    page.locator("form button[type=submit]").click()
    page.locator("input[name=code]").fill(account.code())
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    return page


def file_a_minimal_grievance(page: Page) -> None:
    page.goto("/proxy/file")
    page.locator("input[name=for_whom][value=person]").check()
    page.locator("textarea[name=description]").fill("The fence blocks the path to the well.")
    page.locator("input[name=identity][value=no]").check()
    page.locator("input[name=reprisal_risk][value=high]").check()
    page.locator("input[name=recipients][value=proxy]").check()
    page.locator("input[name=consent_method][value=written]").check()
    page.locator("input[name=valid_until]").fill(in_a_year())
    page.locator("form.form button[type=submit]").click()
    page.locator("#pin").wait_for()


def violations_on(page: Page, label: str, found: dict[str, list[str]]) -> None:
    problems = [str(violation) for violation in axe_violations(page)]
    if problems:
        found[f"{label} ({page.url})"] = problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_proxy_page_has_no_accessibility_violation(
    browser: Browser, live_server: str, app: Flask, scenario: Scenario, language: str
) -> None:
    proposed, (track,) = scenario.in_remedy(TrackKind.CAUSE, people=2)
    scenario.mandate(proposed)
    scenario.propose(track)
    verifying, (track,) = scenario.in_remedy(TrackKind.CAUSE, people=2)
    scenario.mandate(verifying)
    scenario.to_track_state(track, "verifying")
    ended, (track,) = scenario.in_remedy(TrackKind.CAUSE, people=2)
    scenario.mandate(ended)
    scenario.propose(track)
    withdraw_mandate_as_person(ended, None)
    unvetted = create_organisation(OPERATOR, "Sauti ya Jamii", OrganisationKind.NGO)
    newcomer = make_account("member@sauti.example", Role.PROXY_MEMBER, unvetted)
    admin = make_account("admin@example.org", Role.ADMIN)
    found: dict[str, list[str]] = {}

    page = signed_in(browser, live_server, enrolled(scenario.proxy), language)
    assert page.locator("html").get_attribute("lang") == language
    for label, path in [
        ("dashboard", "/proxy/"),
        ("filing form", "/proxy/file"),
        ("proposal", f"/proxy/cases/{proposed.reference}"),
        ("check-ins", f"/proxy/cases/{verifying.reference}"),
        ("mandate ended", f"/proxy/cases/{ended.reference}"),
        ("new mandate", f"/proxy/cases/{proposed.reference}/mandates/new"),
    ]:
        page.goto(path)
        violations_on(page, label, found)
    page.locator("form.form button[type=submit]").click()
    violations_on(page, "new mandate with errors", found)
    page.goto("/proxy/file")
    page.locator("form.form button[type=submit]").click()
    violations_on(page, "filing form with errors", found)
    page.goto(f"/proxy/cases/{proposed.reference}")
    page.locator(".action form.form button[type=submit]").first.click()  # decline, no reason
    violations_on(page, "case page after an action", found)
    file_a_minimal_grievance(page)
    violations_on(page, "filed", found)

    page = signed_in(browser, live_server, newcomer, language)
    page.goto("/proxy/")
    violations_on(page, "not vetted", found)

    page = signed_in(browser, live_server, admin, language)
    page.goto("/console/organisations/")
    violations_on(page, "organisations", found)
    page.locator("form.form button[type=submit]").first.click()  # vetting without a note
    violations_on(page, "vetting with errors", found)
    page.goto("/console/organisations/")
    page.locator("form.form button[type=submit]").last.click()  # adding, nothing filled
    violations_on(page, "organisations with errors", found)

    assert found == {}
