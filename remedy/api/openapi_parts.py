"""Pieces of the OpenAPI document every group of paths shares: path parameters, the
problem responses, request bodies."""

from __future__ import annotations

import re
from typing import Any

from remedy.api.problems import BY_SLUG, PROBLEM_JSON, PROBLEM_TYPES
from remedy.api.version import API_VERSION_HEADER
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


# The ETag the API gives: the case's version, quoted (remedy.api.present.etag).
ETAG_PATTERN = r'^"[0-9]{1,10}"$'
ETAG_FORM = re.compile(ETAG_PATTERN.removesuffix("$") + r"\Z")
TRACK_ID = path_id("track_id", "The track's id, as the grievance lists it.")
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The ETag you read, quotes included; 428 without it (or with anything "
    "else: `*`, a weak tag, a list), 412 if the case changed since.",
    "schema": {"type": "string", "pattern": ETAG_PATTERN, "example": '"3"'},
}
ETAG_HEADER = {
    "ETag": {
        "description": "The case's version.",
        "schema": {"type": "string", "pattern": ETAG_PATTERN},
    }
}


def problem_description(status: int, slugs: frozenset[str] = frozenset()) -> str:
    """What this status means here; several problem types share 409, so name each (those
    ``slugs`` names, when the operation says which it answers)."""
    kinds = [
        kind
        for kind in PROBLEM_TYPES
        if kind.status == status and (not slugs or kind.slug in slugs)
    ]
    if len(kinds) == 1:
        return str(kinds[0].explanation)
    return " Or: ".join(f"{kind.slug}: {kind.title}." for kind in kinds) or "A problem."


def problem(status: int, slugs: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {
        "description": problem_description(status, slugs),
        "headers": dict(API_VERSION_HEADER),
        "content": {PROBLEM_JSON: {"schema": "ProblemOut"}},
    }


def responses(ok: int, schema: Any, *problems: int | str, etag: bool = False) -> dict[str, Any]:
    """The success and every problem the operation answers: a status, or a problem type's
    slug where a status has several (409: trigger-refused, version-conflict, stale-cursor)."""
    success: dict[str, Any] = {
        "description": "OK" if ok == 200 else "Created",
        "content": {"application/json": {"schema": schema}},
        "headers": dict(API_VERSION_HEADER),
    }
    if etag:
        success["headers"].update(ETAG_HEADER)
    slugs = frozenset(item for item in problems if isinstance(item, str))
    statuses = {item if isinstance(item, int) else BY_SLUG[item].status for item in problems}
    answers: dict[str, Any] = {str(ok): success}
    for status in sorted({401, 429, *statuses}):
        answers[str(status)] = problem(status, slugs)
    answers["default"] = problem(500)
    return answers


WRITE_PROBLEMS = (400, 403, 404, "trigger-refused", "version-conflict", 412, 413, 415, 422, 428)


def request_body(schema: Any, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}
