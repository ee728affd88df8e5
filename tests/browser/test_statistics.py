"""The public statistics page in a real browser: axe finds nothing in any language, its
links are big enough for a finger, and in Arabic the charts read from the right."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from remedy.core.config import LANGUAGES
from remedy.models.grievance import Channel
from tests.browser.axe import axe_violations
from tests.browser.test_public_pages import box, small_touch_targets
from tests.statistics.cases import build_case_set
from tests.workflows.scenarios import Scenario


@pytest.mark.parametrize("code", LANGUAGES)
def test_axe_finds_no_violation_on_the_statistics_page(
    page: Page, scenario: Scenario, code: str
) -> None:
    build_case_set(scenario)

    page.goto(f"/statistics?lang={code}")

    assert page.locator("html").get_attribute("lang") == code
    assert page.locator("svg.chart").count() >= 5
    assert [str(violation) for violation in axe_violations(page)] == []


def test_every_touch_target_on_the_statistics_page_is_big_enough(
    page: Page, scenario: Scenario
) -> None:
    build_case_set(scenario)
    page.goto("/statistics")

    assert small_touch_targets(page) == []


def test_in_arabic_the_bars_start_from_the_right(page: Page, scenario: Scenario) -> None:
    build_case_set(scenario)
    for _ in range(6):  # nine by SMS, shown; eight by web, hidden beside the small ones
        scenario.file()
        scenario.file(channel=Channel.WEB)
    page.goto("/statistics?lang=ar")

    chart = box(page.locator("#table-channels ~ figure svg"))
    bar = box(page.locator("#table-channels ~ figure svg rect").first)

    assert abs((bar["x"] + bar["width"]) - (chart["x"] + chart["width"])) < 2
