"""The rules the server applies are the ones the OpenAPI document states, character for
character: free text (no control characters, not blank when required), the page cursor's
form, and the document's version, published in every answer and in CHANGELOG.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from remedy.api.openapi import openapi_document
from remedy.api.schemas import (
    CONTROL_CHARACTERS,
    CONTROL_CLASS,
    FILLED_PATTERN,
    SPACE_CLASS,
    TEXT_PATTERN,
    ApiSchema,
    text,
)
from remedy.api.version import API_VERSION
from remedy.cases.technology import NOT_ON_ONE_LINE
from remedy.queue.cursor import CURSOR_PATTERN
from remedy.queue.filters import QueueFilters, QueueOrder
from remedy.queue.search import search_grievances
from tests.api.conftest import API, token_for
from tests.workflows.scenarios import Scenario

ROOT = Path(__file__).resolve().parents[2]
EVERY_CHARACTER = [chr(code) for code in range(0x110000)]


class Texts(ApiSchema):
    required = text(12, required=True)
    optional = text(12, allow_none=True)
    one_line = text(12, allow_none=True, forbidden=NOT_ON_ONE_LINE)


def test_the_patterns_name_the_characters_the_server_refuses_and_trims() -> None:
    control = re.compile(f"[{CONTROL_CLASS}]")
    space = re.compile(f"[{SPACE_CLASS}]")

    assert {c for c in EVERY_CHARACTER if control.match(c)} == CONTROL_CHARACTERS
    assert {c for c in EVERY_CHARACTER if space.match(c)} == {
        c for c in EVERY_CHARACTER if c.isspace() and c not in CONTROL_CHARACTERS
    }


def matches(pattern: str, value: str) -> bool:
    """As JSON Schema reads a pattern (ECMA-262): found anywhere, and ``$`` is the very end
    (Python's would also match before a final line break)."""
    return re.search(pattern.removesuffix("$") + r"\Z", value) is not None


def loads(field: str, value: str) -> bool:
    try:
        Texts().load({field: value, **({"required": "x"} if field != "required" else {})})
    except ValidationError:
        return False
    return True


@settings(max_examples=300, derandomize=True, database=None)
@given(value=st.text(st.characters(codec="utf-8", max_codepoint=0x3100), max_size=14))
@example(value=" \u3000\n ")
@example(value="a\x00")
@example(value="\u00a0" * 13)
@example(value=" " * 11 + "a")
@example(value=" id\u2028 ")
@example(value="id\x85")
def test_a_text_is_taken_exactly_when_the_document_says_so(value: str) -> None:
    in_limit = len(value) <= 12

    assert loads("required", value) is (in_limit and matches(FILLED_PATTERN, value))
    assert loads("optional", value) is (in_limit and matches(TEXT_PATTERN, value))
    one_line = Texts().fields["one_line"].metadata["pattern"]
    assert loads("one_line", value) is (in_limit and matches(one_line, value))


def test_every_text_field_states_its_rules() -> None:
    schemas = openapi_document()["components"]["schemas"]
    reason = schemas["ReasonFields"]
    assert reason["properties"]["reason"]["pattern"] == FILLED_PATTERN
    assert reason["properties"]["reason"]["minLength"] == 1
    assert schemas["GrievanceInput"]["properties"]["location"]["pattern"] == TEXT_PATTERN
    query = {
        p["name"]: p for p in openapi_document()["paths"][f"{API}/grievances"]["get"]["parameters"]
    }
    assert query["after"]["schema"]["pattern"] == CURSOR_PATTERN
    assert "409" in openapi_document()["paths"][f"{API}/grievances"]["get"]["responses"]


ORDERS = {"p": QueueOrder.PRIORITY, "d": QueueOrder.DUE, "n": QueueOrder.NEWEST}


@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cursor=st.from_regex(CURSOR_PATTERN, fullmatch=True))
@example(cursor="p9999.9999999999999999.9999999999")
@example(cursor="n.0.0")
def test_any_cursor_of_the_documented_form_is_a_place_in_its_list(
    scenario: Scenario, cursor: str
) -> None:
    order = ORDERS[cursor[0]]

    page = search_grievances(scenario.handler, QueueFilters(order=order), cursor)

    assert page.next_cursor is None or re.fullmatch(CURSOR_PATTERN, page.next_cursor)


def test_the_version_is_published(client: FlaskClient) -> None:
    document = client.get(f"{API}/openapi.json")
    unknown = client.get(f"{API}/no-such-thing")

    assert document.get_json()["info"]["version"] == API_VERSION
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", API_VERSION)
    assert document.headers["API-Version"] == API_VERSION
    assert unknown.headers["API-Version"] == API_VERSION
    assert "API-Version" not in client.get("/").headers


def test_every_version_of_the_api_has_its_changelog_entry() -> None:
    """A change to the contract raises the version; without its entry this fails."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    api_section = changelog.split("\n## API\n", 1)[1].split("\n## ", 1)[0]

    assert f"\n### {API_VERSION} " in api_section, f"CHANGELOG.md: no entry for {API_VERSION}"
    entries = re.findall(r"^### ([0-9]+\.[0-9]+\.[0-9]+) ", api_section, re.MULTILINE)
    assert entries[0] == API_VERSION, "the newest entry comes first and is the document's"


@pytest.mark.parametrize("value", ['W/"3"', '"3", "4"', "3", '""'])
def test_an_if_match_of_another_form_names_no_version(
    value: str, client: FlaskClient, scenario: Scenario
) -> None:
    grievance = scenario.file()
    headers = {"Authorization": f"Bearer {token_for(scenario.handler)}", "If-Match": value}

    response = client.post(
        f"{API}/grievances/{grievance.reference}/triggers/accept", headers=headers
    )

    assert response.status_code == 428
