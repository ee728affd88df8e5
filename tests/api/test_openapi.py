"""The OpenAPI document is generated from the code, describes every endpoint, and holds:
schemathesis sends it generated requests (valid and invalid) and checks every answer."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from remedy.api.actions import GRIEVANCE_ACTIONS, TRACK_ACTIONS
from remedy.api.openapi import openapi_document
from remedy.api.problems import PROBLEM_TYPES
from tests.api.conftest import API


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
