"""Whatever a client sends, a 4xx problem and never a 5xx, on both databases (the
schemathesis run covers the whole document on SQLite; PostgreSQL is stricter about
text, so the free-form inputs are fuzzed here on both)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from remedy.models.involvement_track import TrackKind
from tests.api.conftest import Api, Cast
from tests.api.test_grievances import filing

# PostgreSQL is stricter about text than SQLite: fuzzed on both.
pytestmark = pytest.mark.postgres

FUZZ = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def assert_problem(response: Any, *statuses: int) -> None:
    assert response.status_code in statuses, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"


def test_nul_in_free_text_is_refused(handler_api: Api) -> None:
    response = handler_api.post("/grievances", filing(description="The well\x00 is dry."))
    assert_problem(response, 422)
    assert "description" in response.get_json()["errors"]


def test_nul_in_a_leverage_target_is_refused(cast: Cast, handler_api: Api) -> None:
    grievance, (track,) = cast.in_remedy(TrackKind.DIRECTLY_LINKED)
    leverage = {"type": "raise_issue", "target": "Rift\x00", "description": "A letter."}

    response = handler_api.post(
        f"/grievances/{grievance.reference}/tracks/{track.id}/triggers/record_leverage",
        {"leverage": leverage},
    )

    assert_problem(response, 422)


@given(text=st.text(max_size=40))
@example(text="")
@example(text="/12345678")  # the test client decodes %2F: /grievances//12345678
@FUZZ
def test_any_reference_in_the_path_is_answered(handler_api: Api, text: str) -> None:
    response = handler_api.get(f"/grievances/{quote(text, safe='')}")
    assert_problem(response, 200, 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/grievances/"),
        ("GET", "/grievances/{reference}/"),
        ("GET", "/grievances/{reference}/triggers/"),
        ("POST", "/grievances/"),
        ("POST", "/grievances/{reference}/triggers/withdraw/"),
        ("GET", "//grievances"),
        ("GET", "/grievances//{reference}"),
    ],
)
def test_an_address_with_a_slash_added_or_doubled_is_not_found(
    handler_api: Api, method: str, path: str
) -> None:
    reference = handler_api.post("/grievances", filing()).get_json()["reference"]
    address = path.format(reference=reference)

    sent = handler_api.post(address, filing()) if method == "POST" else handler_api.get(address)

    assert_problem(sent, 404)
    assert "Location" not in sent.headers, "never redirected to the address meant"
    assert sent.get_json()["status"] == 404


def test_a_post_to_a_doubled_slash_is_not_redirected(handler_api: Api) -> None:
    # Werkzeug finds the GET rule of /grievances on its second, slash-merged try and
    # answers 405 rather than 404; either way the body is not sent again elsewhere.
    sent = handler_api.post("//grievances", filing())

    assert_problem(sent, 404, 405)
    assert "Location" not in sent.headers


@given(
    query=st.lists(
        st.tuples(st.sampled_from(["q", "after", "state", "limit"]), st.text(max_size=30)),
        max_size=3,
    )
)
@FUZZ
def test_any_list_query_is_answered(handler_api: Api, query: list[tuple[str, str]]) -> None:
    response = handler_api.get("/grievances", query_string=query)
    assert_problem(response, 200, 422)


@given(
    body=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
        ),
        max_leaves=10,
    )
)
@FUZZ
def test_any_json_body_is_answered(handler_api: Api, body: Any) -> None:
    response = handler_api.post("/grievances", body)
    assert_problem(response, 201, 422)
