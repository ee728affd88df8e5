"""Issue 12, finding 1: identity consent was one switch for every organisation, so the
token of the business partner accused of the harm read the complainants' names and phone
numbers. Now the identity question at filing is about the company the mechanism serves;
the partner reads pseudonyms until the people say yes for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from remedy.cases import identity_consent
from remedy.core.actors import Actor
from remedy.identity.consents import consent_for
from remedy.models.grievance import Grievance
from remedy.models.identity_consent import ConsentAnswer, ConsentVia
from remedy.models.involvement_track import TrackKind
from tests.api.conftest import Api, Cast

NAME = "Person"  # every person the scenario files is "Person <n>-<i>"
PHONE = "+2547"


@pytest.fixture
def accused_partner(cast: Cast) -> Grievance:
    """The company is directly linked; its business partner caused the harm."""
    grievance, _ = cast.in_remedy(TrackKind.DIRECTLY_LINKED, TrackKind.CAUSE)
    return grievance


def read(api: Api, grievance: Grievance) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The case and its messages, as the token reads them."""
    detail = api.get(f"/grievances/{grievance.reference}")
    messages = api.get(f"/grievances/{grievance.reference}/messages")
    assert detail.status_code == 200, detail.get_json()
    assert messages.status_code == 200, messages.get_json()
    return detail.get_json(), messages.get_json()["items"]


def identity_in(detail: dict[str, Any], messages: list[dict[str, Any]]) -> bool:
    person = detail["people"][0]
    shown = "name" in person or "phone" in person
    addresses = any("address" in message for message in messages)
    leaked = NAME in str(detail) or PHONE in str(detail) or PHONE in str(messages)
    return shown or addresses or leaked


def people_answer(grievance: Grievance, cast: Cast, yes: bool) -> None:
    consent = consent_for(grievance, cast.partner.id)
    assert consent is not None
    people = Actor.complainant(grievance.reference, grievance.people[0].person_id)
    identity_consent.answer(people, consent, yes, ConsentVia.SMS)


def test_the_accused_partners_token_reads_pseudonyms_only(
    cast: Cast, accused_partner: Grievance, api_for: Callable[[Actor], Api]
) -> None:
    detail, messages = read(api_for(cast.partner_handler), accused_partner)

    assert not identity_in(detail, messages)
    assert detail["people"][0]["pseudonym"].startswith("P-")


def test_the_company_the_mechanism_serves_still_reads_who_they_are(
    cast: Cast, accused_partner: Grievance, api_for: Callable[[Actor], Api]
) -> None:
    detail, _ = read(api_for(cast.company_handler), accused_partner)

    assert detail["people"][0]["name"].startswith(NAME)
    assert detail["people"][0]["phone"].startswith(PHONE)


def test_the_people_are_asked_about_the_partner_and_not_about_the_company(
    cast: Cast, accused_partner: Grievance
) -> None:
    partner = consent_for(accused_partner, cast.partner.id)

    assert partner is not None
    assert partner.answer is ConsentAnswer.PENDING
    assert consent_for(accused_partner, cast.company.id) is None


def test_after_the_people_say_yes_the_partner_reads_who_they_are(
    cast: Cast, accused_partner: Grievance, api_for: Callable[[Actor], Api]
) -> None:
    people_answer(accused_partner, cast, yes=True)

    detail, messages = read(api_for(cast.partner_handler), accused_partner)

    assert detail["people"][0]["name"].startswith(NAME)
    assert detail["people"][0]["phone"].startswith(PHONE)
    assert any(message.get("address", "").startswith(PHONE) for message in messages)


def test_after_the_people_say_no_the_partner_still_reads_pseudonyms_only(
    cast: Cast, accused_partner: Grievance, api_for: Callable[[Actor], Api]
) -> None:
    people_answer(accused_partner, cast, yes=False)

    detail, messages = read(api_for(cast.partner_handler), accused_partner)

    assert not identity_in(detail, messages)


def test_the_people_may_take_a_yes_back(
    cast: Cast, accused_partner: Grievance, api_for: Callable[[Actor], Api]
) -> None:
    people_answer(accused_partner, cast, yes=True)
    people_answer(accused_partner, cast, yes=False)

    detail, messages = read(api_for(cast.partner_handler), accused_partner)

    assert not identity_in(detail, messages)


def test_identity_withheld_at_filing_is_withheld_from_the_partner_too(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, _ = cast.in_remedy(
        TrackKind.DIRECTLY_LINKED, TrackKind.CAUSE, identity_withheld=True
    )

    detail, messages = read(api_for(cast.partner_handler), grievance)

    assert not identity_in(detail, messages)
    # No yes could be honoured: the people are not asked.
    assert consent_for(grievance, cast.partner.id) is None
