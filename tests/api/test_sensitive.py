"""The API follows the sensitive-case rule of the console: the description of a case in a
restricted category reaches only callers whose account is cleared; the rest get null and
``restricted``, in the case and in the list."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from remedy.core.actors import Actor
from remedy.models import Category
from remedy.models.check_in import Answer
from tests.api.conftest import Api
from tests.sensitive_support import TOLD, handler_cleared, sensitive_case
from tests.workflows.scenarios import Scenario


@pytest.fixture
def cleared_api(api_for: Callable[[Actor], Api]) -> Api:
    return api_for(handler_cleared("cleared@example.org"))


@pytest.mark.parametrize(
    ("who", "description", "restricted"), [("uncleared", None, True), ("cleared", TOLD, False)]
)
def test_a_sensitive_case_reads_as_the_clearance_allows(
    handler_api: Api,
    cleared_api: Api,
    scenario: Scenario,
    who: str,
    description: str | None,
    restricted: bool,
) -> None:
    grievance = sensitive_case(scenario, Category.CHILDREN)
    api = cleared_api if who == "cleared" else handler_api

    response = api.get(f"/grievances/{grievance.reference}")

    assert response.status_code == 200
    body = response.get_json()
    assert (body["description"], body["restricted"]) == (description, restricted)
    assert body["category"] == "children"
    if restricted:
        assert "Quorvane" not in response.get_data(as_text=True)


def test_other_cases_read_in_full_without_clearance(handler_api: Api, scenario: Scenario) -> None:
    grievance = scenario.file(category=Category.LAND)

    body = handler_api.get(f"/grievances/{grievance.reference}").get_json()

    assert body["restricted"] is False
    assert body["description"] == "The new fence blocks the path to the well."


def test_the_list_marks_restricted_rows_and_its_search_ignores_the_story(
    handler_api: Api, cleared_api: Api, scenario: Scenario
) -> None:
    grievance = sensitive_case(scenario, Category.HEALTH)

    def rows(api: Api, query: str) -> dict[str, bool]:
        response = api.get(f"/grievances?{query}")
        assert response.status_code == 200, response.get_json()
        return {row["reference"]: row["restricted"] for row in response.get_json()["items"]}

    assert rows(handler_api, f"q={grievance.reference}") == {grievance.reference: True}
    assert rows(cleared_api, f"q={grievance.reference}") == {grievance.reference: False}
    assert grievance.reference not in rows(handler_api, "q=Quorvane")


@pytest.mark.parametrize("category", ["sexual_violence", "children", "health"])
def test_the_new_categories_can_be_filed(handler_api: Api, category: str) -> None:
    response = handler_api.post(
        "/grievances",
        {
            "description": TOLD,
            "language": "en",
            "category": category,
            "complainant": {"name": "Amina Odhiambo", "phone": "+254700000001"},
        },
    )

    assert response.status_code == 201, response.get_json()
    filed = response.get_json()["grievance"]
    assert (filed["category"], filed["description"], filed["restricted"]) == (category, None, True)


def test_what_the_people_answer_in_a_check_in_is_as_restricted_as_the_story(
    handler_api: Api, cleared_api: Api, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(category=Category.HEALTH)
    scenario.verify(track)
    scenario.answer_all(track, Answer.PARTLY)  # "The water point is still missing."
    path = f"/grievances/{grievance.reference}/check-ins"

    def comments(api: Api) -> list[str | None]:
        items = api.get(path).get_json()["items"]
        return [item["response"]["comment"] for item in items if item["response"]]

    assert comments(handler_api) == [None]
    gaps = [
        track["gap"] for track in handler_api.get(path[: -len("/check-ins")]).get_json()["tracks"]
    ]
    assert gaps == [None]
    assert comments(cleared_api) == ["The water point is still missing."]
