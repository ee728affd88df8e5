"""The OpenAPI document is generated from the code, describes every endpoint, and holds:
schemathesis sends it generated requests (valid and invalid) and checks every answer."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks
from schemathesis.core.failures import FailureGroup
from sqlalchemy import select

from remedy.api.actions import GRIEVANCE_ACTIONS, TRACK_ACTIONS
from remedy.api.openapi import openapi_document
from remedy.api.problems import PROBLEM_TYPES
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import TrackKind
from tests.api.conftest import API, Cast, token_for


def test_the_document_is_served_without_a_token(client: FlaskClient) -> None:
    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def flask_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def test_every_route_is_documented(app: Flask) -> None:
    documented = set(openapi_document()["paths"])
    generic = {f"{API}/grievances/{{reference}}/triggers/{{trigger}}"}
    generic.add(f"{API}/grievances/{{reference}}/tracks/{{track_id}}/triggers/{{trigger}}")
    routes = {
        flask_path(rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API) and rule.endpoint != "api.docs"
    }

    assert routes - generic <= documented
    for trigger in GRIEVANCE_ACTIONS:
        assert f"{API}/grievances/{{reference}}/triggers/{trigger}" in documented
    for trigger in TRACK_ACTIONS:
        assert (
            f"{API}/grievances/{{reference}}/tracks/{{track_id}}/triggers/{trigger}" in documented
        )


def test_every_operation_documents_its_problems(app: Flask) -> None:
    for path, operations in openapi_document()["paths"].items():
        for method, operation in operations.items():
            if path.endswith("openapi.json"):
                continue
            responses = operation["responses"]
            # A public operation (no token) never answers 401; every other one may.
            refused = "401" if operation.get("security") != [] else "429"
            assert {refused, "429", "default"} <= set(responses), (method, path)
            problem = responses[refused]["content"]["application/problem+json"]["schema"]
            assert problem == {"$ref": "#/components/schemas/ProblemOut"}


def test_the_docs_page_is_served_locally(client: FlaskClient) -> None:
    response = client.get(f"{API}/docs")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>The Remedy API</h1>" in html
    for problem in PROBLEM_TYPES:
        assert f'id="problem-{problem.slug}"' in html
    assert 'id="schema-GrievanceInput"' in html
    assert 'id="file_grievance"' in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "nothing from elsewhere"
    assert "<script" not in html


def test_the_docs_page_speaks_the_readers_language(client: FlaskClient) -> None:
    response = client.get(f"{API}/docs", headers={"Accept-Language": "fr"})
    assert '<html lang="fr"' in response.get_data(as_text=True)


# schemathesis ---------------------------------------------------------------------------


def narrowed(
    document: dict[str, Any], values: dict[str, list[Any]], on_track: dict[str, list[Any]]
) -> dict[str, Any]:
    """The document with path parameters drawn from the seeded cases (``on_track`` for the
    addresses of a track), so generated requests reach real grievances rather than 404 on
    random references, and without a generated If-Match (each write carries the case's
    current ETag instead: see ``seeded_schema``), so they reach the services rather than
    412 or 428. Unknown references, wrong or missing ETags and the rest have tests of their
    own."""
    document = copy.deepcopy(document)
    for path, operations in document["paths"].items():
        chosen = on_track if "{track_id}" in path else values
        for operation in operations.values():
            kept = []
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "header" and parameter["name"] == "If-Match":
                    continue
                if parameter.get("in") == "path" and parameter["name"] in chosen:
                    schema = {**parameter["schema"], "enum": chosen[parameter["name"]]}
                    schema.pop("pattern", None)
                    parameter = {**parameter, "schema": schema}
                kept.append(parameter)
            operation["parameters"] = kept
    return document


@pytest.fixture
def seeded_schema(app: Flask, cast: Cast) -> schemathesis.BaseSchema:
    screening = cast.file()
    assessment = cast.in_assessment()
    grievance, (track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.mandate(grievance)
    cast.propose(track)
    values = {
        "reference": [screening.reference, assessment.reference, grievance.reference],
        "action_id": [action.id for action in track.remedy_actions],
    }
    on_track = {"reference": [grievance.reference], "track_id": [track.id]}
    schema = schemathesis.openapi.from_dict(narrowed(openapi_document(), values, on_track))

    def isolated(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Each request in its own application context, as in production; statuses noted."""

        def noting(status: str, headers: Any, *args: Any) -> Any:
            key = f"{environ['REQUEST_METHOD']} {status[:3]}"
            STATUSES[key] = STATUSES.get(key, 0) + 1
            return start_response(status, headers, *args)

        with app.app_context():
            write = WRITE_PATH.match(environ["PATH_INFO"])
            if environ["REQUEST_METHOD"] == "POST" and write:
                version = db.session.scalar(
                    select(Grievance.version).where(Grievance.reference == write.group(1))
                )
                if version is not None:  # as a careful client, who read the case first
                    environ["HTTP_IF_MATCH"] = f'"{version}"'
            return list(app.wsgi_app(environ, noting))

    STATUSES.clear()
    schema.app = isolated
    return schema


STATUSES: dict[str, int] = {}
WRITE_PATH = re.compile(rf"^{API}/grievances/([^/]+)/.")


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
EXAMPLES = 10  # per operation and mode: the whole run stays well under a minute


# SQLite only: the document and the code under test are the same on both databases, and
# PostgreSQL runs every other test here; this keeps the suite's time in bounds. One test
# walks every operation on one seeded database, so the seeding is paid once.
def test_the_api_keeps_its_documented_contract(
    seeded_schema: schemathesis.BaseSchema, cast: Cast, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("schemathesis runs on SQLite only (see the comment above)")
    headers = {"Authorization": f"Bearer {token_for(cast.handler)}"}
    failures: list[str] = []
    operations = [result.ok() for result in seeded_schema.get_all_operations()]
    assert len(operations) == sum(len(ops) for ops in openapi_document()["paths"].values())
    for operation in operations:
        modes = [GenerationMode.POSITIVE]
        if operation.path_parameters or operation.query or operation.body:
            modes.append(GenerationMode.NEGATIVE)  # something to get wrong
        for mode in modes:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def each(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                each()
            except Exception as failure:  # reported below, with the operation
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)
    # The token worked and the seeded cases were reached: not a run of 401s and 404s.
    assert STATUSES.get("GET 200", 0) > 30, STATUSES
    assert STATUSES.get("POST 201", 0) > 0, STATUSES
    assert STATUSES.get("POST 422", 0) > 10, STATUSES


def test_schemathesis_finds_a_broken_contract(app: Flask, cast: Cast) -> None:
    """The check above can fail: a response that breaks its schema is reported."""
    document = copy.deepcopy(openapi_document())
    grievance_schema = document["components"]["schemas"]["GrievanceOut"]
    grievance_schema["properties"]["state"] = {"type": "integer"}
    broken = schemathesis.openapi.from_dict(document)
    broken.app = app
    reference = cast.file().reference
    operation = broken.find_operation_by_label("GET /api/v1/grievances/{reference}")
    assert operation is not None
    case = broken.make_case(operation=operation, path_parameters={"reference": reference})

    with pytest.raises(FailureGroup) as failed:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token_for(cast.handler)}"}, checks=CHECKS
        )

    assert '"screening" is not of type "integer"' in str(failed.value.exceptions[0])


__all__ = ["Actor"]
