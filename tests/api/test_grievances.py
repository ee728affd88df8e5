"""Filing, listing and reading grievances through the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.core.passwords import verify_secret
from remedy.models.grievance import Channel, Grievance
from remedy.models.mandate import Mandate
from remedy.models.types import utcnow
from tests.api.conftest import Api, Cast
from tests.workflows.scenarios import Scenario


def filing(**overrides: Any) -> dict[str, Any]:
    return {
        "description": "The new fence blocks the path to the well.",
        "language": "en",
        "location": "Kilima village",
        "category": "land",
        "complainant": {"name": "Amina Odhiambo", "phone": "+254700000001"},
        **overrides,
    }


def mandate(**overrides: Any) -> dict[str, Any]:
    return {
        "scopes": ["file", "follow", "answer_proposals", "answer_check_ins"],
        "consent_method": "written",
        "valid_until": (utcnow().date() + timedelta(days=365)).isoformat(),
        **overrides,
    }


def stored(reference: str) -> Grievance:
    grievance = db.session.scalar(select(Grievance).where(Grievance.reference == reference))
    assert grievance is not None
    return grievance


# Filing ------------------------------------------------------------------------------------


def test_a_handler_files_and_gets_the_reference_and_pin_once(handler_api: Api) -> None:
    response = handler_api.post("/grievances", filing())

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    grievance = stored(body["reference"])
    assert response.headers["Location"] == f"/api/v1/grievances/{body['reference']}"
    assert response.headers["ETag"] == f'"{grievance.version}"'
    assert len(body["pin"]) == 6
    assert verify_secret(grievance.pin_hash, body["pin"])
    assert grievance.channel is Channel.API
    assert body["grievance"]["state"] == "screening", "acknowledged at once"
    again = handler_api.get(f"/grievances/{body['reference']}").get_json()
    assert "pin" not in again
    assert body["pin"] not in str(again)


def test_the_filing_is_stored_encrypted_and_complete(handler_api: Api) -> None:
    body = handler_api.post(
        "/grievances",
        filing(
            harm_date="2026-01-15",
            people_affected=12,
            reprisal_risk="high",
            identity_withheld=True,
            contact_consent=True,
            contact_channel="whatsapp",
            affected=[{"name": "Baraka", "phone": "+254700000002", "language": "sw"}],
        ),
    ).get_json()

    grievance = stored(body["reference"])
    assert grievance.location == "Kilima village"
    assert grievance.people_affected == 12
    assert grievance.identity_withheld
    assert grievance.discreet_messages
    assert [link.person.language for link in grievance.people] == ["en", "sw"]
    assert grievance.filed_by_user_id is not None


def test_a_proxy_files_for_people_with_their_mandate(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    response = api_for(cast.proxy).post("/grievances", filing(mandate=mandate()))

    assert response.status_code == 201, response.get_json()
    grievance = stored(response.get_json()["reference"])
    assert grievance.filed_by_organisation_id == cast.ngo.id
    (granted,) = db.session.scalars(select(Mandate).where(Mandate.grievance_id == grievance.id))
    assert granted.organisation_id == cast.ngo.id
    assert set(granted.scopes) == {"file", "follow", "answer_proposals", "answer_check_ins"}
    # The proxy follows its own filing.
    assert api_for(cast.proxy).get(f"/grievances/{grievance.reference}").status_code == 200


def test_a_proxy_must_say_how_the_people_consented(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    response = api_for(cast.proxy).post("/grievances", filing())

    assert response.status_code == 422
    assert "mandate" in response.get_json()["errors"]
    assert db.session.scalar(select(Grievance.id)) is None, "nothing was filed"


def test_the_team_does_not_record_a_mandate(handler_api: Api) -> None:
    response = handler_api.post("/grievances", filing(mandate=mandate()))
    assert response.status_code == 422
    assert "mandate" in response.get_json()["errors"]


def test_an_unvetted_ngo_may_not_file(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    cast.ngo.is_vetted = False
    db.session.commit()

    response = api_for(cast.proxy).post("/grievances", filing(mandate=mandate()))

    assert response.status_code == 403


@pytest.mark.parametrize(
    "who", ["company_handler", "company_supervisor", "auditor", "admin", "protection_officer"]
)
def test_others_may_not_file(cast: Cast, api_for: Callable[[Actor], Api], who: str) -> None:
    response = api_for(getattr(cast, who)).post("/grievances", filing())

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "   "}, "description"),
        ({"description": "x" * 10_001}, "description"),
        ({"language": "xx"}, "language"),
        ({"category": "weather"}, "category"),
        ({"people_affected": 0}, "people_affected"),
        ({"people_affected": "many"}, "people_affected"),
        ({"harm_date": "yesterday"}, "harm_date"),
        ({"unexpected": 1}, "unexpected"),
        ({"complainant": {"phone": "not a phone"}}, "phone"),
    ],
)
def test_invalid_fields_are_named_in_a_422(
    handler_api: Api, change: dict[str, Any], field: str
) -> None:
    response = handler_api.post("/grievances", filing(**change))

    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["type"] == "/api/v1/docs#problem-validation"
    assert field in str(body["errors"])


def test_a_date_in_the_future_is_refused(handler_api: Api) -> None:
    tomorrow = (utcnow().date() + timedelta(days=2)).isoformat()
    response = handler_api.post("/grievances", filing(harm_date=tomorrow))
    assert response.status_code == 422
    assert "harm_date" in response.get_json()["errors"]


# Reading ----------------------------------------------------------------------------------


def test_a_grievance_reads_with_its_etag(handler_api: Api, scenario: Scenario) -> None:
    grievance = scenario.file()

    response = handler_api.get(f"/grievances/{grievance.reference}")

    assert response.status_code == 200
    body = response.get_json()
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert body["state"] == "screening"
    assert body["state_label"] == "Screening"
    assert body["people"][0]["name"] == "Person 1-0"


def test_an_unchanged_grievance_answers_304(handler_api: Api, scenario: Scenario) -> None:
    grievance = scenario.file()
    etag = handler_api.get(f"/grievances/{grievance.reference}").headers["ETag"]

    response = handler_api.get(
        f"/grievances/{grievance.reference}", headers={"If-None-Match": etag}
    )

    assert response.status_code == 304


def test_a_reference_may_be_written_as_it_is_read_aloud(
    handler_api: Api, scenario: Scenario
) -> None:
    reference = scenario.file().reference
    response = handler_api.get(f"/grievances/{reference[:4]} {reference[4:]}")
    assert response.status_code == 200


def test_an_unknown_reference_is_404(handler_api: Api, scenario: Scenario) -> None:
    response = handler_api.get("/grievances/12345678")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_withheld_identities_never_reach_the_team(handler_api: Api, scenario: Scenario) -> None:
    grievance = scenario.file(identity_withheld=True)

    body = handler_api.get(f"/grievances/{grievance.reference}").get_json()

    person = body["people"][0]
    assert "name" not in person
    assert "phone" not in person
    assert person["pseudonym"].startswith("P-")
    assert "Person 1-0" not in str(body)
    assert "+2547" not in str(body)


# The list ---------------------------------------------------------------------------------


def test_the_list_pages_with_a_cursor(handler_api: Api, scenario: Scenario) -> None:
    references = {scenario.file().reference for _ in range(5)}

    first = handler_api.get("/grievances?limit=2&order=newest").get_json()
    seen = [item["reference"] for item in first["items"]]
    following = first["next"]
    while following:
        page = handler_api.client.get(following, headers=handler_api.headers()).get_json()
        seen += [item["reference"] for item in page["items"]]
        following = page["next"]

    assert len(seen) == 5
    assert set(seen) == references
    assert first["next_cursor"]
    assert "after=" in first["next"]


def test_the_list_filters_like_the_queue(handler_api: Api, scenario: Scenario) -> None:
    in_assessment = scenario.in_assessment()
    scenario.file(channel=Channel.WEB)

    only = handler_api.get("/grievances?state=assessment").get_json()["items"]
    assert [item["reference"] for item in only] == [in_assessment.reference]
    web = handler_api.get("/grievances?channel=web").get_json()["items"]
    assert len(web) == 1
    assert web[0]["channel"] == "web"
    both = handler_api.get("/grievances?state=assessment&state=screening").get_json()["items"]
    assert len(both) == 2


def test_the_list_shows_pseudonyms_never_names(handler_api: Api, scenario: Scenario) -> None:
    scenario.file()

    (item,) = handler_api.get("/grievances").get_json()["items"]

    assert item["pseudonyms"]
    assert item["pseudonyms"][0].startswith("P-")
    assert "Person" not in str(item)
    assert "+2547" not in str(item)


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "limit=ten",
        "state=nowhere",
        "min_severity=9",
        "overdue=perhaps",
        "after=not-a-cursor",
        "colour=blue",
    ],
)
def test_bad_list_parameters_are_422(handler_api: Api, scenario: Scenario, query: str) -> None:
    response = handler_api.get(f"/grievances?{query}")
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"]
