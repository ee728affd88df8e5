"""Filing for others: for one person or a group, with the mandate the people gave, and the
people's choice of who receives the messages. Without a mandate nothing is filed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models import Attachment, AuditEvent, Channel, Grievance, Mandate, PersonRole
from remedy.models.outbox_message import OutboxMessage
from remedy.models.types import utcnow
from remedy.proxy.filing import parse_people
from remedy.workflows.definition import MandateScope
from tests.proxy.portal import CONSENT_PDF, PIN, count, file_for_others, filed
from tests.support import Account
from tests.workflows.scenarios import Scenario


def grievances() -> int:
    return count(Grievance)


def test_a_member_files_for_one_person_and_gets_the_reference_and_pin_once(
    portal: FlaskClient, member: Account, scenario: Scenario
) -> None:
    response = file_for_others(
        portal,
        for_whom="person",
        name="Amina Wanjiru",
        phone="+254711100101",
        people=None,
        people_affected=None,
        scopes=["file", "follow", "answer_proposals"],
        consent_method="written",
    )

    grievance = filed(response)
    page = response.get_data(as_text=True)
    assert PIN.search(page), "the PIN is shown on the result page"
    assert grievance.channel is Channel.PROXY
    assert grievance.state == "screening"  # filed and acknowledged
    assert grievance.filed_by_organisation_id == scenario.ngo.id
    assert grievance.filed_by_user_id == member.user.id
    assert grievance.people_affected == 1
    (link,) = grievance.people
    assert (link.person.name, link.person.phone, link.role) == (
        "Amina Wanjiru",
        "+254711100101",
        PersonRole.COMPLAINANT,
    )
    (mandate,) = db.session.scalars(select(Mandate).where(Mandate.grievance_id == grievance.id))
    assert mandate.person_id == link.person_id  # a mandate for that person
    assert mandate.organisation_id == scenario.ngo.id
    assert sorted(mandate.scopes) == ["answer_proposals", "file", "follow"]
    assert mandate.consent_method.value == "written"
    assert mandate.valid_until == utcnow().date() + timedelta(days=365)


def test_a_member_files_for_a_group_with_a_list_of_people_and_a_count(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = filed(file_for_others(portal, evidence=CONSENT_PDF))

    assert grievance.people_affected == 12
    assert [(p.person.name, p.person.phone) for p in grievance.people] == [
        ("Amina Wanjiru", "+254711100101"),
        ("Joseph Otieno", "+254711100102"),
        ("Grace Achieng", None),
    ]
    assert grievance.language == "sw"
    assert grievance.contact_consent  # phones were given by people who agreed to contact
    (mandate,) = db.session.scalars(select(Mandate).where(Mandate.grievance_id == grievance.id))
    assert mandate.person_id is None  # the whole group
    assert mandate.consent_note == "Witnessed by the village elder."
    evidence = db.session.get(Attachment, mandate.evidence_attachment_id)
    assert evidence is not None
    assert (evidence.content_type, evidence.content) == ("application/pdf", CONSENT_PDF)


def test_a_group_may_be_given_as_a_number_only(portal: FlaskClient) -> None:
    grievance = filed(file_for_others(portal, people="", people_affected="40", recipients="proxy"))

    assert grievance.people == []
    assert grievance.people_affected == 40


def recipients_of_the_acknowledgement(grievance: Grievance) -> set[str]:
    rows = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == grievance.id, OutboxMessage.template == "acknowledged"
        )
    ).all()
    return {"organisation" if row.organisation_id else f"person {row.address}" for row in rows}


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("people", {"person +254711100101", "person +254711100102", "person None"}),
        ("proxy", {"organisation"}),
        ("both", {"organisation", "person +254711100101", "person +254711100102", "person None"}),
    ],
)
def test_the_members_choice_says_who_receives_the_messages(
    portal: FlaskClient, choice: str, expected: set[str]
) -> None:
    grievance = filed(file_for_others(portal, recipients=choice))

    # The acknowledgement goes out as the grievance is filed: the mandate (and with it the
    # organisation's place among the recipients) is on file before intake starts.
    assert recipients_of_the_acknowledgement(grievance) == expected


def test_filing_without_a_mandate_to_file_is_refused_and_nothing_is_kept(
    portal: FlaskClient,
) -> None:
    before = (grievances(), count(Mandate), count(AuditEvent))

    response = file_for_others(portal, scopes=["follow", "answer_proposals"])

    assert response.status_code == 400
    assert "allows your organisation to file" in response.get_data(as_text=True)
    assert (grievances(), count(Mandate), count(AuditEvent)) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scopes": []}, "Choose what the mandate allows."),
        ({"consent_method": None}, "Choose how consent was given."),
        ({"valid_until": ""}, "Give the last day of the mandate."),
        ({"valid_until": "2001-01-01"}, "The end date of the mandate has passed."),
        ({"recipients": None}, "Choose who receives the messages."),
        ({"description": "  "}, "Tell us what happened."),
        (
            {"people": "Amina, +2547", "people_affected": "5"},
            "is not a phone number; write",
        ),
        ({"people_affected": "2"}, "smaller than the list of people"),
        ({"people": "", "people_affected": "", "recipients": "both"}, "at least 2 people"),
        ({"people": "", "people_affected": "9", "recipients": "people"}, "Nobody could receive"),
        ({"for_whom": "person", "name": "A", "phone": "12"}, "not a phone number we can use"),
    ],
)
def test_a_filing_that_breaks_a_rule_says_which_and_keeps_nothing(
    portal: FlaskClient, change: dict[str, object], message: str
) -> None:
    before = (grievances(), count(Mandate), count(AuditEvent))

    response = file_for_others(portal, **change)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert (grievances(), count(Mandate), count(AuditEvent)) == before


def test_evidence_that_is_not_a_photo_pdf_or_recording_is_refused(portal: FlaskClient) -> None:
    before = grievances()

    response = file_for_others(portal, evidence=b"MZ\x90\x00 an executable renamed consent.pdf")

    assert response.status_code == 400
    assert "must be a photo (JPEG or PNG), a PDF or an audio recording" in response.get_data(
        as_text=True
    )
    assert grievances() == before


def test_the_filing_page_offers_the_mandate_to_file_and_follow_by_default(
    portal: FlaskClient,
) -> None:
    page = portal.get("/proxy/file").get_data(as_text=True)

    assert 'name="scopes" value="file" checked' in page
    assert 'name="scopes" value="follow" checked' in page
    assert 'name="scopes" value="answer_proposals">' in page
    assert 'enctype="multipart/form-data"' in page


# The people list, typed free-form ------------------------------------------------------------

names = (
    st.text(
        alphabet=st.characters(
            categories=["L", "Zs"], exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)
phones = st.integers(min_value=700_000_000, max_value=799_999_999).map(lambda n: f"+254{n}")


@given(st.lists(st.tuples(st.none() | names, st.none() | phones), max_size=8))
def test_each_line_of_the_people_list_is_one_person(
    people: list[tuple[str | None, str | None]],
) -> None:
    lines = [", ".join(part for part in person if part) for person in people if any(person)]

    parsed = parse_people("\n".join(["", *lines, "   "]))

    assert [(p.name, p.phone) for p in parsed] == [
        (name, phone) for name, phone in people if name or phone
    ]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    description=st.text(max_size=300),
    people=st.text(max_size=300),
    count=st.text(max_size=12),
    valid_until=st.text(max_size=12),
    scopes=st.lists(st.text(max_size=20), max_size=3),
)
def test_whatever_is_typed_into_the_filing_form_the_answer_is_never_a_server_error(
    portal: FlaskClient,
    description: str,
    people: str,
    count: str,
    valid_until: str,
    scopes: list[str],
) -> None:
    response = file_for_others(
        portal,
        description=description,
        people=people,
        people_affected=count,
        valid_until=valid_until,
        scopes=scopes or [MandateScope.FILE.value],
    )

    assert response.status_code in (200, 400)
