"""A case number on an Arabic phone: typed in Arabic-Indic digits, and shown left to right
(the first group of four digits on the left), at 390 px with JavaScript off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from remedy.filing.grievances import PersonDetails
from tests.support import file_grievance

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Where each group of digits lands on the screen: measured from the text's own layout.
GROUP_LEFT_EDGES = """element => {
  const text = element.firstChild;
  const first = document.createRange();
  first.setStart(text, 0);
  first.setEnd(text, 4);
  const second = document.createRange();
  second.setStart(text, 5);
  second.setEnd(text, 9);
  return [first.getBoundingClientRect().left, second.getBoundingClientRect().left];
}"""


@pytest.fixture
def arabic_phone(browser: Browser, live_server: str) -> Iterator[Page]:
    """An Arabic-speaking phone 390 px wide, JavaScript off."""
    profile = browser.new_context(
        base_url=live_server,
        java_script_enabled=False,
        locale="ar",
        viewport={"width": 390, "height": 844},
    )
    yield profile.new_page()
    profile.close()


def test_the_case_number_reads_left_to_right_on_an_arabic_case_page(
    arabic_phone: Page, tmp_path: Path
) -> None:
    submitted = file_grievance(complainant=PersonDetails("أمينة", "+254712000004", "ar"))
    reference, pin = submitted.grievance.reference, submitted.pin
    page = arabic_phone

    page.goto("/case?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#reference").fill(f"{reference[:4]} {reference[4:]}".translate(ARABIC_INDIC))
    page.locator("#pin").fill(pin.translate(ARABIC_INDIC))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/case/{reference}")

    shown = page.locator(".case-ref bdi.ltr")
    assert shown.inner_text() == f"{reference[:4]} {reference[4:]}"
    assert shown.evaluate("element => getComputedStyle(element).direction") == "ltr"
    first, second = shown.evaluate(GROUP_LEFT_EDGES)
    assert first < second, "the first four digits stand on the left"
    page.screenshot(path=tmp_path / "case-arabic-390.png", full_page=True)
    assert (tmp_path / "case-arabic-390.png").stat().st_size > 0
