"""The portal's filing form on a phone 390 px wide: short enough to fill in the field.

An NGO found it 5,100 px tall. Optional sections fold into ``<details>`` (no JavaScript),
so the height is a layout budget, measured as the browser lays the page out."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_proxy_portal import sign_in_to_the_portal
from tests.proxy.portal import enrolled
from tests.workflows.scenarios import Scenario

WIDE = {"width": 390, "height": 844}
# 5,535 px before the sections folded (an NGO measured 5,100 on its phone); 3,097 after.
BUDGET = 3200


def form_height(page: Page) -> float:
    box = page.locator("html").bounding_box()
    assert box is not None
    return box["height"]


def test_the_filing_form_fits_the_budget_on_a_phone(page: Page, scenario: Scenario) -> None:
    page.set_viewport_size(WIDE)
    sign_in_to_the_portal(page, enrolled(scenario.proxy))

    page.goto("/proxy/file")

    expect(page.locator("h1")).to_have_text("File a grievance for others")
    height = form_height(page)
    assert height < BUDGET
