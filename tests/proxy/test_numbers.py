"""Numbers in the proxy portal: local phone formats and digits of any script in the list
of people, a refused number named by its line, and the reference read left to right."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.proxy.portal import file_for_others, filed

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_DEFAULT_COUNTRY": "KE"}


def test_local_numbers_in_a_group_list_are_stored_in_e164(portal: FlaskClient) -> None:
    people = "Amina Wanjiru, 0711 100 101\nJoseph Otieno, " + "0711100102".translate(ARABIC_INDIC)

    grievance = filed(file_for_others(portal, people=people, people_affected="٤٠"))

    assert [(p.person.name, p.person.phone) for p in grievance.people] == [
        ("Amina Wanjiru", "+254711100101"),
        ("Joseph Otieno", "+254711100102"),
    ]
    assert grievance.people_affected == 40


def test_a_local_number_for_one_person_is_stored_in_e164(portal: FlaskClient) -> None:
    grievance = filed(
        file_for_others(portal, for_whom="person", people="", name="Amina", phone="0711 100 101")
    )

    (link,) = grievance.people
    assert link.person.phone == "+254711100101"


def test_a_bad_number_in_a_group_list_names_its_line(portal: FlaskClient) -> None:
    people = "Amina Wanjiru, 0711 100 101\n\nJoseph Otieno, 12\nGrace Achieng"

    response = file_for_others(portal, people=people)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r"Line 3: (&#39;|')12(&#39;|') is not a phone number", page)
    assert "0712 123456" in page, "the error shows the expected form"


def test_the_arabic_case_page_isolates_the_reference(portal: FlaskClient) -> None:
    grievance = filed(file_for_others(portal))
    shown = f"{grievance.reference[:4]} {grievance.reference[4:]}"

    page = portal.get(f"/proxy/cases/{grievance.reference}?lang=ar").get_data(as_text=True)

    assert f'<bdi dir="ltr" class="ltr">{shown}</bdi>' in page
    assert '<bdi dir="ltr" class="ltr">+254711100101</bdi>' in page
