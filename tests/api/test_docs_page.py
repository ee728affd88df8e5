"""The API docs page: a table of contents, and an example request for every operation
that the server itself accepts."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import pytest
from flask import Flask

from remedy.api.examples import curl, sample
from remedy.api.openapi import openapi_document
from remedy.models.involvement_track import TrackKind
from tests.api.conftest import Api
from tests.workflows.scenarios import Scenario

API = "/api/v1"


def _document(app: Flask) -> dict[str, Any]:
    with app.test_request_context():
        return openapi_document()


def _operations(app: Flask) -> list[tuple[str, str, dict[str, Any]]]:
    document = _document(app)
    return [(p, m, o) for p, ops in document["paths"].items() for m, o in ops.items()]


def test_the_page_lists_every_operation_in_its_contents_with_an_example(
    app: Flask, handler_api: Api
) -> None:
    page = handler_api.client.get("/api/v1/docs").get_data(as_text=True)

    contents = page.split('id="contents-title"', 1)[1].split("</nav>", 1)[0]
    for path, method, operation in _operations(app):
        assert f'href="#{operation["operationId"]}"' in contents, (method, path)
    assert page.count('<details class="api-example">') == len(_operations(app))
    assert "$REMEDY_URL/api/v1/grievances" in page


def _body_of(command: str) -> Any:
    words = shlex.split(command.replace("\\\n", " "))
    return json.loads(words[words.index("-d") + 1]) if "-d" in words else None


def test_each_example_carries_token_if_match_and_a_json_body_where_needed(app: Flask) -> None:
    document = _document(app)
    for path, method, operation in _operations(app):
        command = curl(document, path, method, operation)
        public = operation.get("security") == []
        assert ("Authorization: Bearer $TOKEN" in command) is not public, path
        needs_match = any(p["name"] == "If-Match" for p in operation.get("parameters", []))
        assert ("If-Match: $ETAG" in command) is needs_match, path
        assert "{" not in command.split('"')[1], path  # every path parameter is a variable
        if "requestBody" in operation and method == "post":
            if "application/octet-stream" in operation["requestBody"]["content"]:
                assert "--data-binary @" in command, path  # a file, not JSON
            else:
                assert isinstance(_body_of(command), dict), path


def test_filing_as_the_example_shows_files_a_grievance(app: Flask, handler_api: Api) -> None:
    document = _document(app)
    operation = document["paths"]["/api/v1/grievances"]["post"]
    body = _body_of(curl(document, "/api/v1/grievances", "post", operation))

    answer = handler_api.post("/grievances", body)

    assert answer.status_code == 201, answer.get_json()


@pytest.mark.parametrize("kind", [TrackKind.CAUSE])
def test_every_step_example_passes_the_servers_checks_of_its_body(
    app: Flask, handler_api: Api, scenario: Scenario, kind: TrackKind
) -> None:
    """A step may be refused for the case's state (409) or the reader's role (403), never
    because the example's body is malformed (400, 422)."""
    document = _document(app)
    grievance, (track,) = scenario.in_remedy(kind)
    shaped = []
    for path, method, operation in _operations(app):
        if method != "post" or "requestBody" not in operation:
            continue
        variables = set(re.findall(r"\{(\w+)\}", path))
        if not variables <= {"reference", "track_id"} or not variables:
            continue
        media = operation["requestBody"]["content"]["application/json"]
        url = path.removeprefix(API).format(reference=grievance.reference, track_id=track.id)
        answer = handler_api.post(url, sample(document, media["schema"]))
        shaped.append(path)
        assert answer.status_code not in (400, 422), (path, answer.get_json())
    assert len(shaped) > 20
