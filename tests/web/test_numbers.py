"""Numbers on the public pages: local phone formats, digits of any script, numbers read
left to right in Arabic, and the ways to reach the team."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from tests.web.conftest import Case, WebVisitor

CONTACTS = {
    "REMEDY_CONTACT_SMS": "+254 700 111 222",
    "REMEDY_CONTACT_WHATSAPP": "+254 700 111 333",
    "REMEDY_CONTACT_VOICE": "+254 700 111 444",
    "REMEDY_CONTACT_EMAIL": "help@remedy.example.org",
    "REMEDY_CONTACT_ADDRESS": "P.O. Box 1234, Eldoret",
}
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN_ARABIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_DEFAULT_COUNTRY": "KE", **CONTACTS}


def grievance(reference: str) -> Grievance:
    return db.session.scalars(select(Grievance).where(Grievance.reference == reference)).one()


def isolated(html: str, text: str) -> bool:
    """``text`` inside the left-to-right isolate the ``ltr`` filter writes."""
    return f'<bdi dir="ltr" class="ltr">{text}</bdi>' in html


def to_the_contact_step(visitor: WebVisitor) -> None:
    for step in ("what", "category", "where", "when", "who", "identity"):
        visitor.answer(step)


# Phone numbers ------------------------------------------------------------------------------


def test_a_local_number_is_accepted_and_stored_in_e164(visitor: WebVisitor) -> None:
    reference, _pin = visitor.file(contact={"contact": "sms", "phone": "0712 345 678"})

    (link,) = grievance(reference).people
    assert link.person.phone == "+254712345678"


def test_a_number_in_arabic_indic_digits_is_the_same_number(visitor: WebVisitor) -> None:
    typed = "0712 345 678".translate(ARABIC_INDIC)
    reference, _pin = visitor.file(contact={"contact": "sms", "phone": typed})

    (link,) = grievance(reference).people
    assert link.person.phone == "+254712345678"


def test_a_number_that_cannot_be_used_is_refused_with_an_example_of_the_country(
    visitor: WebVisitor,
) -> None:
    to_the_contact_step(visitor)

    response = visitor.answer("contact", {"contact": "sms", "phone": "12"})

    assert response.status_code == 400
    assert "Write it like 0712 123456 or +254 712 123456." in response.text


def test_the_phone_question_shows_the_local_and_the_international_form(
    visitor: WebVisitor,
) -> None:
    to_the_contact_step(visitor)

    html = visitor.get("/file/contact?lang=ar").text

    assert isolated(html, "0712 123456")
    assert isolated(html, "+254 712 123456")
    assert "+254 712 345 678" not in html, "no example of another country"


# Digits of any script -------------------------------------------------------------------------


def test_a_head_count_in_arabic_indic_digits_is_accepted(visitor: WebVisitor) -> None:
    reference, _pin = visitor.file(who={"affected": "group", "people_affected": "٣٠"})

    assert grievance(reference).people_affected == 30


def test_a_head_count_in_eastern_arabic_digits_is_accepted(visitor: WebVisitor) -> None:
    reference, _pin = visitor.file(who={"affected": "group", "people_affected": "۴۵"})

    assert grievance(reference).people_affected == 45


def test_a_head_count_refused_says_the_minimum_in_the_readers_language(
    visitor: WebVisitor,
) -> None:
    visitor.get("/?lang=fr")
    for step in ("what", "category", "where", "when"):
        visitor.answer(step)

    response = visitor.answer("who", {"affected": "group", "people_affected": "١"})

    assert response.status_code == 400
    assert "(2 ou plus)" in response.text


@pytest.mark.parametrize("digits", [ARABIC_INDIC, EASTERN_ARABIC], ids=["arabic", "persian"])
def test_a_case_opens_with_its_reference_and_pin_in_arabic_digits(
    visitor: WebVisitor, filed_case: Any, digits: dict[int, str]
) -> None:
    case: Case = filed_case()
    reference = f"{case.reference[:4]} {case.reference[4:]}".translate(digits)

    response = visitor.open_case(reference, case.pin.translate(digits))

    assert response.status_code == 302, response.text
    assert response.location == f"/case/{case.reference}"


# Left to right in right-to-left pages ---------------------------------------------------------


def test_the_reference_reads_left_to_right_on_the_arabic_case_page(
    visitor: WebVisitor, filed_case: Any
) -> None:
    case: Case = filed_case(language="ar")
    visitor.get("/?lang=ar")
    visitor.open_case(case.reference, case.pin)

    html = visitor.get(f"/case/{case.reference}").text

    assert 'dir="rtl"' in html
    assert isolated(html, f"{case.reference[:4]} {case.reference[4:]}")


def test_the_arabic_receipt_isolates_the_reference_and_the_phone_numbers(
    visitor: WebVisitor,
) -> None:
    visitor.get("/?lang=ar")
    reference, _pin = visitor.file()

    html = visitor.get("/file/receipt").text

    assert isolated(html, f"{reference[:4]} {reference[4:]}")
    assert isolated(html, CONTACTS["REMEDY_CONTACT_SMS"])


def test_the_arabic_review_isolates_the_phone_number(visitor: WebVisitor) -> None:
    visitor.get("/?lang=ar")
    for step in ("what", "category", "where", "when", "who", "identity", "contact", "safety"):
        visitor.answer(step)

    assert isolated(visitor.get("/file/review").text, "+254712000001")


# Contact points ---------------------------------------------------------------------------------


def contact_section(html: str) -> str:
    match = re.search(r'<section class="contact".*?</section>', html, re.S)
    assert match, "no contact points on the page"
    return match.group(0)


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_the_home_page_shows_every_contact_point_set(visitor: WebVisitor, language: str) -> None:
    section = contact_section(visitor.get(f"/?lang={language}").text)

    for value in CONTACTS.values():
        assert value in section
    assert 'href="tel:+254700111444"' in section
    assert 'href="mailto:help@remedy.example.org"' in section


def test_the_receipt_the_case_page_and_pin_recovery_show_the_contact_points(
    visitor: WebVisitor, filed_case: Any
) -> None:
    visitor.file()
    assert CONTACTS["REMEDY_CONTACT_SMS"] in contact_section(visitor.get("/file/receipt").text)
    case: Case = filed_case()
    visitor.open_case(case.reference, case.pin)
    page = visitor.get(f"/case/{case.reference}").text
    assert CONTACTS["REMEDY_CONTACT_EMAIL"] in contact_section(page)

    recovery = visitor.get("/pin-reset").text

    assert "Ask the team" in recovery
    assert CONTACTS["REMEDY_CONTACT_VOICE"] in contact_section(recovery)


@pytest.mark.parametrize("app_overrides", [{"REMEDY_CONTACT_EMAIL": "help@remedy.example.org"}])
def test_only_the_contact_points_set_are_shown(visitor: WebVisitor) -> None:
    section = contact_section(visitor.get("/").text)

    assert "help@remedy.example.org" in section
    assert "tel:" not in section
    assert "sms:" not in section


@pytest.mark.parametrize("app_overrides", [{}])
def test_without_contact_points_no_page_promises_a_way_to_reach_the_team(
    visitor: WebVisitor,
) -> None:
    assert '<section class="contact"' not in visitor.get("/").text
    recovery = visitor.get("/pin-reset").text
    assert "ask the team" not in recovery.lower()
    assert "ask the organisation that helped you file" in recovery
    visitor.file()
    done = visitor.get("/file/done").text
    assert "by SMS or by phone" not in done
    assert '<section class="contact"' not in visitor.get("/file/receipt").text


@pytest.mark.parametrize("app_overrides", [{}])
def test_without_a_default_country_a_number_needs_its_country_code(
    visitor: WebVisitor,
) -> None:
    to_the_contact_step(visitor)

    response = visitor.answer("contact", {"contact": "sms", "phone": "0712 345 678"})

    assert response.status_code == 400
    assert "Write it with its country code, for example +254 712 345 678." in response.text
