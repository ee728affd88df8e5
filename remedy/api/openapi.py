"""The OpenAPI 3 document, generated from the marshmallow schemas and the trigger tables,
and the docs page rendered from it on the server (no CDN, no script).

Every trigger the API can take gets its own documented operation with its own request
schema, so clients and schemathesis see exactly which fields each step needs.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Response, json, render_template
from flask_babel import force_locale

from remedy.api import examples
from remedy.api.actions import GRIEVANCE_ACTIONS, TRACK_ACTIONS, TriggerAction
from remedy.api.base import bp
from remedy.api.grievance_schemas import (
    FiledOut,
    GrievanceInput,
    GrievanceOut,
    GrievancePageOut,
    GrievanceQuery,
)
from remedy.api.incidents import IncidentOut
from remedy.api.openapi_parts import (
    IF_MATCH,
    PREFIX,
    TRACK_ID,
    WRITE_PROBLEMS,
    path_id,
    request_body,
    responses,
)
from remedy.api.openapi_referrals import referral_paths
from remedy.api.problems import PROBLEM_TYPES
from remedy.api.record_schemas import (
    AuditEventListOut,
    CheckInAnswerInput,
    CheckInListOut,
    DeliveryInput,
    FairnessAnswerInput,
    LeverageActionListOut,
    MessageListOut,
    RemedyActionListOut,
    ReprisalRiskInput,
    ReviewerInput,
    TriageInput,
)
from remedy.api.schemas import ProblemOut
from remedy.api.statistics import statistics_paths
from remedy.api.trigger_schemas import TriggerListOut
from remedy.api.version import API_VERSION, API_VERSION_HEADER

DESCRIPTION = """\
The JSON API of Remedy, a grievance and remedy mechanism. Other systems (a content-reporting
tool, a worker-voice app, an NGO's own system) file grievances and follow them here.

**Authentication.** Send `Authorization: Bearer <token>`. An operator issues tokens with
`flask --app wsgi tokens create --user EMAIL`. A token acts as its account: the account's role
and organisation decide what it sees and may do, exactly as in the console. Read-only accounts
(auditors) may only read.

**Concurrency.** A grievance's `ETag` changes with every change of the case or its tracks.
Every change to an existing grievance (a step, a delivery, a check-in answer) must send it back
in `If-Match`: without the header nothing is saved and you get 428; if someone changed the case
meanwhile, nothing is saved and you get 412 (or 409 when the changes crossed). Filing a new
grievance needs no `If-Match`.

**Versions.** `info.version` (and the `API-Version` header of every answer) is the version
of this contract; CHANGELOG.md says what each version changed.

**Text.** Free text may not hold control characters (tabs and line breaks are fine), and a
required text may not be blank; every field's `pattern` and lengths say so.

**Pages.** `after` takes the `next_cursor` of the previous page, with the same filters and
order; a cursor made for another order is stale (409).

**Errors** are `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`,
and for 422 `errors`, the failing fields with their messages.

**Steps.** `GET .../triggers` lists the steps the caller may take now, each with its fields;
each step is a `POST` to its `href`, documented below one by one.
"""

REFERENCE = {
    "in": "path",
    "name": "reference",
    "required": True,
    "description": "The grievance's 8-digit reference.",
    "schema": {"type": "string", "pattern": "^[0-9]{8}$"},
}


def _trigger_operation(action: TriggerAction, *parameters: dict[str, Any]) -> dict[str, Any]:
    has_fields = bool(action.schema().fields)
    return {
        "summary": action.summary,
        "operationId": f"{'track_' if parameters[-1] is TRACK_ID else ''}{action.trigger}",
        "tags": ["tracks" if parameters[-1] is TRACK_ID else "steps"],
        "parameters": [*parameters, IF_MATCH],
        "requestBody": request_body(action.schema, required=has_fields),
        "responses": responses(200, GrievanceOut, *WRITE_PROBLEMS, etag=True),
    }


def _paths() -> dict[str, dict[str, Any]]:
    grievance = f"{PREFIX}/grievances/{{reference}}"
    track = f"{grievance}/tracks/{{track_id}}"
    paths: dict[str, dict[str, Any]] = {
        f"{PREFIX}/grievances": {
            "get": {
                "summary": "Grievances the caller may see, as in the console queue.",
                "description": "Filters narrow the list; pages follow with `after`. Rows show "
                "pseudonyms only, never a name or a phone number.",
                "operationId": "list_grievances",
                "tags": ["grievances"],
                "parameters": [{"in": "query", "schema": GrievanceQuery}],
                "responses": responses(200, GrievancePageOut, 422, "stale-cursor"),
            },
            "post": {
                "summary": "File a grievance; the answer holds its reference and PIN, once.",
                "description": "For the mechanism's handlers and supervisors, and members of "
                "vetted NGOs filing for people, with their consent as `mandate`.",
                "operationId": "file_grievance",
                "tags": ["grievances"],
                "requestBody": request_body(GrievanceInput),
                "responses": responses(201, FiledOut, 400, 403, 413, 415, 422, etag=True),
            },
        },
        grievance: {
            "get": {
                "summary": "One grievance, with the tracks the caller may see.",
                "description": "Names and phone numbers appear only for callers who may see "
                "the people's identity: the mechanism's staff and those of an organisation it "
                "serves, unless the people withheld it at filing; staff of any other "
                "organisation only after the people said yes for that organisation.",
                "operationId": "get_grievance",
                "tags": ["grievances"],
                "parameters": [REFERENCE],
                "responses": responses(200, GrievanceOut, 404, etag=True),
            }
        },
        f"{grievance}/triggers": {
            "get": {
                "summary": "The steps the caller may take on the grievance now, with fields.",
                "operationId": "list_triggers",
                "tags": ["steps"],
                "parameters": [REFERENCE],
                "responses": responses(200, TriggerListOut, 404, etag=True),
            }
        },
        f"{track}/triggers": {
            "get": {
                "summary": "The steps the caller may take on one track now, with fields.",
                "operationId": "list_track_triggers",
                "tags": ["tracks"],
                "parameters": [REFERENCE, TRACK_ID],
                "responses": responses(200, TriggerListOut, 404, etag=True),
            }
        },
    }
    for action in GRIEVANCE_ACTIONS.values():
        paths[f"{grievance}/triggers/{action.trigger}"] = {
            "post": _trigger_operation(action, REFERENCE)
        }
    for action in TRACK_ACTIONS.values():
        paths[f"{track}/triggers/{action.trigger}"] = {
            "post": _trigger_operation(action, REFERENCE, TRACK_ID)
        }
    readings = (
        ("remedy-actions", RemedyActionListOut, "Remedy actions of the tracks the caller sees."),
        ("leverage-actions", LeverageActionListOut, "Leverage actions of the visible tracks."),
        ("check-ins", CheckInListOut, "Check-ins of the visible tracks, with their answers."),
        (
            "messages",
            MessageListOut,
            "Messages queued for the people, proxies and (for the team) console alerts.",
        ),
        ("audit-events", AuditEventListOut, "Audit events of the grievance (staff only)."),
    )
    for name, schema, summary in readings:
        paths[f"{grievance}/{name}"] = {
            "get": {
                "summary": summary,
                "operationId": f"list_{name.replace('-', '_')}",
                "tags": ["records"],
                "parameters": [REFERENCE],
                "responses": responses(200, schema, 403, 404),
            }
        }
    writes: tuple[tuple[str, str, Any, str, str | None, list[dict[str, Any]]], ...] = (
        (
            "remedy-actions/{action_id}/delivery",
            "report_delivery",
            DeliveryInput,
            "Report a remedy action delivered, with evidence.",
            "When the last active action is delivered, the affected people are asked to verify it.",
            [path_id("action_id", "The remedy action's id.")],
        ),
        (
            "reprisal-risk",
            "change_reprisal_risk",
            ReprisalRiskInput,
            "Change the reprisal risk, with a reason (protection officers and the "
            "mechanism's supervisors).",
            "A recorded risk makes the messages to the people's phones discreet "
            "from then on; lowering it leaves them discreet. The reason is kept as an internal "
            "note and the change is audited.",
            [],
        ),
        (
            "triage",
            "triage_grievance",
            TriageInput,
            "Triage: confirm urgency flags and a provisional severity (the "
            "mechanism's handlers and supervisors, before classification).",
            "Flags are only ever suggested (``suggested_flags``); this is a "
            "person confirming them. Suggestions left out are dismissed. A severe or urgent "
            "case runs by shorter deadlines. Audited.",
            [],
        ),
        (
            "reviewer",
            "name_reviewer",
            ReviewerInput,
            "Name the senior reviewer (the mechanism's supervisors).",
            "The reviewer is an active supervisor of the mechanism, not the "
            "handler the case is assigned to. Audited.",
            [],
        ),
        (
            "check-ins/{check_in_id}/answer",
            "answer_check_in",
            CheckInAnswerInput,
            "Answer a check-in for the people a proxy's mandate covers.",
            None,
            [path_id("check_in_id", "The check-in's id.")],
        ),
        (
            "fairness",
            "answer_fairness",
            FairnessAnswerInput,
            "Say how fair the handling of the ended case was, for a person a "
            "proxy's mandate covers.",
            "Open once the case ended with a decision, while it can be "
            "appealed. One answer per person: a later one replaces it.",
            [],
        ),
    )
    # Each a change to one grievance: its reference, If-Match, and the case back with its ETag.
    for name, operation_id, body, summary, description, more in writes:
        operation: dict[str, Any] = {"summary": summary}
        if description:
            operation["description"] = description
        operation.update(
            {
                "operationId": operation_id,
                "tags": ["records"],
                "parameters": [REFERENCE, *more, IF_MATCH],
                "requestBody": request_body(body),
                "responses": responses(200, GrievanceOut, *WRITE_PROBLEMS, etag=True),
            }
        )
        paths[f"{grievance}/{name}"] = {"post": operation}
    paths[f"{grievance}/remedy-actions/{{action_id}}/evidence-files"] = {
        "post": {
            "summary": "Add a file of proof to a remedy action, before reporting it delivered.",
            "description": "The body is the file itself: a photo, a PDF or a sound recording "
            "(its bytes decide the type, whatever `Content-Type` says), at most 10 MB, five "
            "per action. It is kept encrypted; the people are told proof exists, not shown "
            "it. Whoever may report the delivery may add it.",
            "operationId": "add_evidence_file",
            "tags": ["records"],
            "parameters": [
                REFERENCE,
                path_id("action_id", "The remedy action's id."),
                {
                    "in": "query",
                    "name": "filename",
                    "required": False,
                    "description": "The file's name, for the team (optional).",
                    "schema": {"type": "string", "maxLength": 255},
                },
                IF_MATCH,
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            },
            "responses": responses(200, GrievanceOut, *WRITE_PROBLEMS, etag=True),
        }
    }
    paths[f"{PREFIX}/incidents/{{incident_id}}"] = {
        "get": {
            "summary": "An incident and its linked grievances (staff only).",
            "description": "An organisation's staff see only the linked grievances they may "
            "see, with their own tracks. No people are named.",
            "operationId": "get_incident",
            "tags": ["records"],
            "parameters": [path_id("incident_id", "The incident's id.")],
            "responses": responses(200, IncidentOut, 403, 404),
        }
    }
    paths.update(referral_paths())
    paths.update(statistics_paths())
    public = {"security": [], "tags": ["documentation"]}
    paths[f"{PREFIX}/openapi.json"] = {
        "get": {
            **public,
            "summary": "This document.",
            "operationId": "openapi",
            "responses": {
                "200": {
                    "description": "OpenAPI 3.0",
                    "headers": dict(API_VERSION_HEADER),
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }
    return paths


@cache
def openapi_document() -> dict[str, Any]:
    """Built once per process, in English whatever the first reader's language (it is the
    contract; the docs page translates its own words around it)."""
    with force_locale("en"):
        return _build()


def _build() -> dict[str, Any]:
    spec = APISpec(
        title="Remedy API",
        version=API_VERSION,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": DESCRIPTION},
        security=[{"bearer": []}],
    )
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "An API token (rmd_...)."}
    )
    spec.components.schema("ProblemOut", schema=ProblemOut)
    for path, operations in _paths().items():
        spec.path(path=path, operations=operations)
    document: dict[str, Any] = spec.to_dict()
    only_null_beside(document)
    return document


# apispec writes a nullable nested object as anyOf [this, any object or null]: the second
# branch would let any object through. It is meant to add null alone.
ANY_OBJECT_OR_NULL = {"type": "object", "nullable": True}
NULL_ONLY = {"type": "object", "nullable": True, "enum": [None]}


def only_null_beside(node: Any) -> None:
    """Each such branch of the document narrowed to null, as the server reads it."""
    if isinstance(node, dict):
        if "anyOf" in node:
            node["anyOf"] = [
                dict(NULL_ONLY) if branch == ANY_OBJECT_OR_NULL else branch
                for branch in node["anyOf"]
            ]
        for value in node.values():
            only_null_beside(value)
    elif isinstance(node, list):
        for value in node:
            only_null_beside(value)


@bp.get("/openapi.json")
def openapi() -> Response:
    return Response(json.dumps(openapi_document()), mimetype="application/json")


@bp.get("/docs")
def docs() -> str:
    document = openapi_document()
    return render_template(
        "api/docs.html",
        document=document,
        problems=PROBLEM_TYPES,
        prefix=PREFIX,
        contents=examples.contents(document),
        example=lambda path, method, operation: examples.curl(document, path, method, operation),
    )
