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
GROUP_LEFT_EDGES = """([element, shown]) => {
  const text = element.firstChild;
  const at = text.data.indexOf(shown);
  const first = document.createRange();
  first.setStart(text, at);
  first.setEnd(text, at + 4);
  const second = document.createRange();
  second.setStart(text, at + 5);
  second.setEnd(text, at + 9);
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

    grouped = f"{reference[:4]} {reference[4:]}"
    heading = page.locator(".case-ref bdi.ltr")
    assert heading.inner_text() == grouped
    assert heading.evaluate("element => getComputedStyle(element).direction") == "ltr"
    first, second = page.evaluate(GROUP_LEFT_EDGES, [heading.element_handle(), grouped])
    assert first < second, "the first four digits stand on the left"
    # The acknowledgement in the team's messages names it too, isolated by LRI ... PDI.
    message = page.locator(".case-history .user-text bdi").first
    assert grouped in message.inner_text()
    first, second = page.evaluate(GROUP_LEFT_EDGES, [message.element_handle(), grouped])
    assert first < second, "in the message too"
    page.screenshot(path=tmp_path / "case-arabic-390.png", full_page=True)
    assert (tmp_path / "case-arabic-390.png").stat().st_size > 0
