"""Phone numbers through the API: a local number is read in the default country and stored
in E.164; one that cannot be used is refused with the form expected."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.test_grievances import filing, stored


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_DEFAULT_COUNTRY": "KE"}


def test_a_local_number_is_stored_in_e164(handler_api: Api) -> None:
    body = filing(
        complainant={"name": "Amina", "phone": "0700 000 001"},
        affected=[{"name": "Baraka", "phone": "٠٧٠٠٠٠٠٠٠٢"}],
    )

    response = handler_api.post("/grievances", body)

    assert response.status_code == 201, response.get_json()
    grievance = stored(response.get_json()["reference"])
    assert [link.person.phone for link in grievance.people] == ["+254700000001", "+254700000002"]


def test_a_number_that_cannot_be_used_is_a_clear_error_with_an_example(
    handler_api: Api,
) -> None:
    response = handler_api.post("/grievances", filing(complainant={"name": "Amina", "phone": "12"}))

    assert response.status_code in (400, 422)
    problem = response.get_json()
    assert "0712 123456 or +254 712 123456" in str(problem)
