"""The team's queue on a phone: each grievance reflows into a card, with every cell after
its column's name, and the page never scrolls sideways (it was 1,037 px wide)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from tests.browser.test_console_case import sign_in
from tests.workflows.scenarios import Scenario


def test_the_queue_reflows_into_cards_on_a_phone(page: Page, tmp_path: Path) -> None:
    scenario = Scenario.create()
    for _ in range(3):
        scenario.file()
    sign_in(page, scenario)

    page.goto("/console/")

    page_width, screen_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert screen_width <= 400
    assert page_width <= screen_width
    first = page.locator("table.queue tbody tr").first
    state = first.locator('td[data-label="State"]')
    label = state.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"State"'
    page.screenshot(path=tmp_path / "queue-390.png", full_page=True)
