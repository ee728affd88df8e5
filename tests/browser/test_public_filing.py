"""Filing in a real browser without JavaScript: in French with a printable receipt, and in
Arabic with a page laid out right to left."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import FloatRect, Locator, Page
from sqlalchemy import select

from remedy.access.case_access import open_case
from remedy.core.extensions import db
from remedy.filing.receipts import verify_receipt
from remedy.models.grievance import Grievance


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return found


def cont(page: Page) -> None:
    page.locator("form.form button[type=submit]").click()


def answer_every_question(page: Page) -> None:
    """The whole filing, by element ids: the words are in the page's own language."""
    page.locator("#description").fill("La nouvelle clôture bloque le chemin du puits.")
    cont(page)
    page.wait_for_url("**/file/category")
    page.locator("label[for=category-1]").click()  # land
    cont(page)
    page.locator("#location").fill("Kaptagat")
    cont(page)
    page.locator("#harm_date").fill("2024-03-31")
    cont(page)
    page.locator("label[for=affected-0]").click()  # only me
    cont(page)
    page.locator("label[for=identity-1]").click()  # keep my name from the company
    cont(page)
    page.locator("label[for=contact-0]").click()  # SMS
    page.locator("#phone").fill("+254 712 000 002")
    cont(page)
    page.locator("label[for=reprisal-0]").click()  # not afraid
    cont(page)
    page.wait_for_url("**/file/review")


def test_a_person_files_in_french_and_gets_a_receipt(page: Page, tmp_path: Path) -> None:
    page.goto("/?lang=fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.locator('main a[href="/file/what"]').click()
    page.wait_for_url("**/file/what")

    answer_every_question(page)
    page.screenshot(path=tmp_path / "review-fr.png", full_page=True)
    cont(page)
    page.wait_for_url("**/file/done")

    reference = page.locator("#reference").inner_text().replace(" ", "")
    pin = page.locator("#pin").inner_text().replace(" ", "")
    filed = db.session.scalars(select(Grievance).where(Grievance.reference == reference)).one()
    assert filed.language == "fr"
    assert open_case(reference, pin, source="test") == filed
    page.screenshot(path=tmp_path / "done-fr.png", full_page=True)

    page.locator('a[href="/file/receipt"]').click()
    page.wait_for_url("**/file/receipt")
    assert page.locator("html").get_attribute("lang") == "fr"
    code = page.locator("#verification-code").inner_text()
    assert verify_receipt(reference, code) == filed
    assert pin[:3] not in page.locator("main").inner_text()

    # Printed, the receipt stands alone: no header, no menu, no language links.
    page.emulate_media(media="print")
    assert page.locator(".receipt").is_visible()
    assert not page.locator("header.top").is_visible()
    assert not page.locator("footer.bottom").is_visible()
    page.pdf(path=tmp_path / "receipt-fr.pdf")


def test_the_pin_never_prints_from_the_result_page(page: Page) -> None:
    page.goto("/file/what")
    answer_every_question(page)
    cont(page)
    page.wait_for_url("**/file/done")
    assert page.locator("#pin").is_visible()

    page.emulate_media(media="print")

    assert not page.locator("#pin").is_visible()


@pytest.mark.parametrize(("code", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_the_filing_pages_mirror_in_arabic(
    page: Page, code: str, direction: str, tmp_path: Path
) -> None:
    page.goto(f"/?lang={code}")
    page.locator('main a[href="/file/what"]').click()
    page.locator("#description").fill("السياج الجديد يسد الطريق إلى البئر.")
    cont(page)
    page.wait_for_url("**/file/category")

    html = page.locator("html")
    assert html.get_attribute("dir") == direction
    assert page.evaluate("getComputedStyle(document.body).direction") == direction
    radio = box(page.locator("#category-0"))
    words = box(page.locator("label[for=category-0] span"))
    picto = box(page.locator("label[for=category-0] svg"))
    proceed = box(page.locator("form.form button[type=submit]"))
    back = box(page.locator("form.form .actions a"))
    if direction == "rtl":
        # Read from the right: the radio, then the pictogram, then the words; Continue first.
        assert radio["x"] >= picto["x"] + picto["width"]
        assert picto["x"] >= words["x"] + words["width"]
        assert proceed["x"] >= back["x"] + back["width"]
    else:
        assert radio["x"] + radio["width"] <= picto["x"]
        assert picto["x"] + picto["width"] <= words["x"]
        assert proceed["x"] + proceed["width"] <= back["x"]
    page.screenshot(path=tmp_path / f"category-{code}.png", full_page=True)


def test_a_person_files_in_arabic_end_to_end(page: Page) -> None:
    page.goto("/?lang=ar")
    page.locator('main a[href="/file/what"]').click()
    answer_every_question(page)
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The phone number stays left to right inside the right-to-left page.
    phone = page.locator("bdi[dir=ltr]").first
    assert phone.inner_text() == "+254712000002"
    cont(page)
    page.wait_for_url("**/file/done")

    reference = page.locator("#reference").inner_text().replace(" ", "")
    filed = db.session.scalars(select(Grievance).where(Grievance.reference == reference)).one()
    assert filed.language == "ar"
    assert page.evaluate("getComputedStyle(document.querySelector('#reference')).direction") == (
        "ltr"
    )
