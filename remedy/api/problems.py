"""Errors as ``application/problem+json`` (RFC 9457), the same shape for every failure.

Each problem ``type`` is a link to its explanation on the API's docs page; ``title`` says
what kind of problem it is, ``detail`` what happened this time, and a 422 adds ``errors``:
the failing fields, each with its messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response, json, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: LazyString
    explanation: LazyString  # shown on the docs page


PROBLEM_TYPES: tuple[ProblemType, ...] = (
    ProblemType(
        "bad-request",
        400,
        _l("The request could not be read"),
        _l("The body is not valid JSON, or the request is malformed."),
    ),
    ProblemType(
        "unauthorized",
        401,
        _l("A valid API token is needed"),
        _l(
            "Send the header Authorization: Bearer followed by your token. The token may be "
            "missing, unknown, expired or revoked, or its account deactivated or locked."
        ),
    ),
    ProblemType(
        "forbidden",
        403,
        _l("Your account may not do this"),
        _l("The token's account may see the case but not take this step, or is read-only."),
    ),
    ProblemType(
        "not-found",
        404,
        _l("Not found"),
        _l("Nothing by that name, or nothing your account may see: the two look the same."),
    ),
    ProblemType(
        "method-not-allowed",
        405,
        _l("This method is not possible here"),
        _l("The Allow header lists the methods this address accepts."),
    ),
    ProblemType(
        "trigger-refused",
        409,
        _l("This step is not possible now"),
        _l(
            "The case is not in a state that allows this step, or a rule of the workflow "
            "is not met yet; the detail says which. List the steps possible now with GET "
            "on the triggers address."
        ),
    ),
    ProblemType(
        "version-conflict",
        409,
        _l("Someone else changed this case at the same time"),
        _l("Nothing was saved. Read the case again to get its new ETag, then try again."),
    ),
    ProblemType(
        "stale-cursor",
        409,
        _l("This page link belongs to another order of the list"),
        _l(
            "The after cursor was made for another order of the list (priority, due or "
            "newest) than the one asked for. Start again from the first page, then follow "
            "next."
        ),
    ),
    ProblemType(
        "precondition-failed",
        412,
        _l("The case changed since you read it"),
        _l(
            "The If-Match header does not match the case's current ETag. Nothing was "
            "saved. Read the case again, then try again."
        ),
    ),
    ProblemType(
        "precondition-required",
        428,
        _l("Send the ETag you read in If-Match"),
        _l(
            "Every change to a case needs the If-Match header with the case's ETag, so no "
            "one overwrites a change they have not seen. Nothing was saved. Read the case, "
            "then send its ETag."
        ),
    ),
    ProblemType(
        "payload-too-large",
        413,
        _l("The request is too large"),
        _l("Request bodies are limited to 1 MB."),
    ),
    ProblemType(
        "unsupported-media-type",
        415,
        _l("Send the body as JSON"),
        _l("Request bodies must have the Content-Type application/json."),
    ),
    ProblemType(
        "validation",
        422,
        _l("Some fields are not valid"),
        _l("The errors member names each failing field with its messages."),
    ),
    ProblemType(
        "too-many-requests",
        429,
        _l("Too many requests"),
        _l("This token sent too many requests. Wait as long as Retry-After says."),
    ),
    ProblemType(
        "server-error",
        500,
        _l("Something went wrong on our side"),
        _l("Nothing you did caused this. Please try again in a few minutes."),
    ),
)
BY_SLUG = {problem.slug: problem for problem in PROBLEM_TYPES}
BY_STATUS: dict[int, ProblemType] = {}
for _problem in PROBLEM_TYPES:
    BY_STATUS.setdefault(_problem.status, _problem)


def field_errors(value: Any) -> Any:
    """Each field's messages as a list of strings (lazy strings translated now); nested
    objects and list items keep their own mapping, keyed by field name or index."""
    if isinstance(value, Mapping):
        return {str(key): field_errors(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return [str(value)]


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    slug: str | None = None,
    errors: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    kind = (
        BY_SLUG[slug] if slug else BY_STATUS.get(status, BY_STATUS[500 if status >= 500 else 400])
    )
    body: dict[str, Any] = {
        "type": url_for("api.docs", _anchor=f"problem-{kind.slug}"),
        "title": str(kind.title),
        "status": status,
        "detail": str(detail) if detail else str(kind.explanation),
    }
    if errors is not None:
        body["errors"] = field_errors(errors)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class ApiProblem(Exception):
    """Raised by API code for a problem no service error describes (415, 412, ...)."""

    def __init__(
        self,
        status: int,
        detail: str | LazyString | None = None,
        *,
        slug: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(str(detail) if detail else "")
        self.status = status
        self.detail = str(detail) if detail else None
        self.slug = slug
        self.headers = dict(headers or {})

    def response(self) -> Response:
        return problem_response(self.status, self.detail, slug=self.slug, headers=self.headers)
