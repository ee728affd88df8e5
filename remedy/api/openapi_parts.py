"""Pieces of the OpenAPI document every group of paths shares: path parameters, the
problem responses, request bodies."""

from __future__ import annotations

from typing import Any

from remedy.api.problems import PROBLEM_JSON, PROBLEM_TYPES
from remedy.models.types import MAX_ROW_ID

PREFIX = "/api/v1"


def path_id(name: str, description: str) -> dict[str, Any]:
    return {
        "in": "path",
        "name": name,
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID},
    }


TRACK_ID = path_id("track_id", "The track's id, as the grievance lists it.")
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The ETag you read; 428 without it, 412 if the case changed since.",
    "schema": {"type": "string"},
}
ETAG_HEADER = {"ETag": {"description": "The case's version.", "schema": {"type": "string"}}}


def problem_description(status: int) -> str:
    """What this status means here; several problem types share 409, so name each."""
    kinds = [kind for kind in PROBLEM_TYPES if kind.status == status]
    if len(kinds) == 1:
        return str(kinds[0].explanation)
    return " Or: ".join(f"{kind.slug}: {kind.title}." for kind in kinds) or "A problem."


def problem(status: int) -> dict[str, Any]:
    return {
        "description": problem_description(status),
        "content": {PROBLEM_JSON: {"schema": "ProblemOut"}},
    }


def responses(ok: int, schema: Any, *problems: int, etag: bool = False) -> dict[str, Any]:
    success: dict[str, Any] = {
        "description": "OK" if ok == 200 else "Created",
        "content": {"application/json": {"schema": schema}},
    }
    if etag:
        success["headers"] = dict(ETAG_HEADER)
    answers: dict[str, Any] = {str(ok): success}
    for status in sorted({401, 429, *problems}):
        answers[str(status)] = problem(status)
    answers["default"] = problem(500)
    return answers


WRITE_PROBLEMS = (400, 403, 404, 409, 412, 413, 415, 422, 428)


def request_body(schema: Any, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}
