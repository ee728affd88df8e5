"""Through the API the team writes the people's words in each of their languages, and
reads them back per language beside the text as first written."""

from __future__ import annotations

from remedy.core.extensions import db
from tests.api.conftest import Api
from tests.people_languages import ENGLISH, EXPLAINED, FIRST, FRENCH, french_and_english
from tests.workflows.scenarios import Scenario


def test_a_proposal_carries_its_description_in_each_language(
    handler_api: Api, scenario: Scenario
) -> None:
    case = french_and_english(scenario, propose=False)
    base = f"/grievances/{case.grievance.reference}"
    action = {
        "type": "restitution",
        "description": FIRST,
        "description_by_language": {"fr": FRENCH, "en": ENGLISH},
    }

    response = handler_api.post(
        f"{base}/tracks/{case.track.id}/triggers/propose_remedy", {"actions": [action]}
    )

    assert response.status_code == 200, response.get_json()
    (shown,) = handler_api.get(f"{base}/remedy-actions").get_json()["items"]
    assert shown["description"] == FIRST
    assert shown["description_by_language"] == {"fr": FRENCH, "en": ENGLISH}
    (track,) = handler_api.get(base).get_json()["tracks"]
    assert track["explanation_by_language"] == EXPLAINED
    db.session.expire_all()
    (french,) = case.told("remedy_proposed", "fr")
    assert FRENCH in french.body


def test_a_language_the_mechanism_does_not_speak_is_refused(
    handler_api: Api, scenario: Scenario
) -> None:
    case = french_and_english(scenario, propose=False)
    base = f"/grievances/{case.grievance.reference}"
    action = {"type": "restitution", "description": FIRST, "description_by_language": {"xx": "?"}}

    response = handler_api.post(
        f"{base}/tracks/{case.track.id}/triggers/propose_remedy", {"actions": [action]}
    )

    assert response.status_code == 422
    assert case.told("remedy_proposed", "fr") == []
