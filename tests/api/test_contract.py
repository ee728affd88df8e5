"""The API keeps its documented contract: schemathesis sends generated requests, valid and
invalid by the document, to the live app with a handler's token, and runs every check it
has. A request the document calls valid must not be refused for its form (no 422 for a
blank or a control character the document allows, no 428 for a well-formed If-Match), an
invalid one must be refused, and every answer must be documented for its operation, with
its status, content type, headers and body.

The budget is fixed and the run derandomized: the same requests every time."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure, FailureGroup
from sqlalchemy import select

from remedy.api.openapi import openapi_document
from remedy.api.openapi_parts import ETAG_FORM
from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import TrackKind
from remedy.models.types import utcnow
from tests.api.conftest import API, Cast, token_for
from tests.handoffs import connected_bodies, refer_track

load_all_checks()
# The document's own format for phone numbers: ones that can exist (libphonenumber).
schemathesis.openapi.format(
    "phone", st.sampled_from(["+254712345678", "+254733000111", "+33612345678", "+14155550123"])
)
EVERY_CHECK = list(CHECKS.get_all())
EXAMPLES = 8  # per operation and mode: the whole run stays under a minute on 2 cores
# 428 is this API's answer to a missing If-Match (RFC 6585), as the document says.
CONFIG = {"checks": {"missing_required_header": {"expected-statuses": [400, 401, 403, 428]}}}


class UndocumentedStatus(Failure):
    """An answer whose status the operation lists only under ``default``."""

    def __init__(self, operation: str, status: int) -> None:
        super().__init__(
            operation=operation,
            title="Status documented only as default",
            message=f"{status} is not among the operation's documented answers",
            code="undocumented_status",
        )


def documented_status(ctx: Any, response: Any, case: schemathesis.Case) -> bool | None:
    """Every problem an operation answers is listed for it, not only ``default``."""
    operation = openapi_document()["paths"][case.operation.path][case.method.lower()]
    if str(response.status_code) not in operation["responses"]:
        raise UndocumentedStatus(case.operation.label, response.status_code)
    return None


def narrowed(document: dict[str, Any], seeds: dict[str, dict[str, list[Any]]]) -> dict[str, Any]:
    """The document with the ids that name records drawn from the seeded ones: path
    parameters (``on_track`` for a track's addresses) and the body's references to other
    records (an organisation, a mechanism, a reviewer). A generated request then reaches a
    real case, as a client's does, instead of 404 or 422 on an id that does not exist (an
    unknown id has tests of its own)."""
    document = copy.deepcopy(document)
    for path, operations in document["paths"].items():
        chosen = seeds["on_track"] if "{track_id}" in path else seeds["path"]
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter["name"] in chosen:
                    schema = {"type": parameter["schema"]["type"]}
                    parameter["schema"] = {**schema, "enum": chosen[parameter["name"]]}
    for name, properties in seeds.get("body", {}).items():
        for field, values in properties.items():
            document["components"]["schemas"][name]["properties"][field]["enum"] = values
    # Rules JSON Schema cannot state, which the descriptions say in words: one track per
    # organisation (one at a time here), and dates compared with today (drawn from a few).
    schemas = document["components"]["schemas"]
    schemas["ClassifyFields"]["properties"]["tracks"]["maxItems"] = 1
    today = utcnow().date()  # as the server counts days
    past = [today - timedelta(days=days) for days in (0, 40, 3000)]
    to_come = [today + timedelta(days=days) for days in (1, 30, 400)]
    for name, field, dates in (
        ("GrievanceInput", "harm_date", [*past, None]),
        ("MandateInput", "valid_until", to_come),
        ("RemedyActionInput", "due_date", [*to_come, None]),
        ("LeverageInput", "due_date", [*to_come, None]),
    ):
        schemas[name]["properties"][field]["enum"] = [
            day.isoformat() if day else None for day in dates
        ]
    return document


@pytest.fixture
def seeded_schema(app: Flask, cast: Cast) -> schemathesis.BaseSchema:
    screening = cast.file()
    assessment = cast.in_assessment()
    grievance, (track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.mandate(grievance)
    cast.propose(track)
    bodies = connected_bodies()
    referred, referred_track, referral = refer_track(cast.scenario, bodies.mechanism)
    references = [screening.reference, assessment.reference, grievance.reference]
    seeds = {
        "path": {
            "reference": [*references, referred.reference],
            "action_id": [action.id for action in track.remedy_actions],
            "referral_id": [referral.id],
        },
        "on_track": {
            "reference": [grievance.reference, referred.reference],
            "track_id": [track.id, referred_track.id],
        },
        "body": {
            "TrackPlanInput": {"organisation_id": [cast.company.id, cast.partner.id]},
            "ReferralFields": {"referral": [bodies.mechanism.id]},
            "ReviewerInput": {"reviewer_id": [int(str(cast.supervisor.id))]},
        },
    }
    schema = schemathesis.openapi.from_dict(
        narrowed(openapi_document(), seeds), config=SchemathesisConfig.from_dict(CONFIG)
    )

    def isolated(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Each request in its own application context, as in production; statuses noted.
        A well-formed If-Match is the one a careful client sends: the case's current ETag,
        read just before (a stale one answers 412, as documented: tests/api/test_if_match)."""

        def noting(status: str, headers: Any, *args: Any) -> Any:
            key = f"{environ['REQUEST_METHOD']} {status[:3]}"
            STATUSES[key] = STATUSES.get(key, 0) + 1
            return start_response(status, headers, *args)

        with app.app_context():
            write = WRITE_PATH.match(environ["PATH_INFO"])
            if write and ETAG_FORM.match(environ.get("HTTP_IF_MATCH", "")):
                version = db.session.scalar(
                    select(Grievance.version).where(Grievance.reference == write.group(1))
                )
                if version is not None:
                    environ["HTTP_IF_MATCH"] = f'"{version}"'
            return list(app.wsgi_app(environ, noting))

    STATUSES.clear()
    schema.app = isolated
    return schema


STATUSES: dict[str, int] = {}
WRITE_PATH = re.compile(rf"^{API}/grievances/([^/]+)/.")


# On SQLite locally, and on both databases in CI (the full matrix, docs/testing.md): the
# document is the same, but what the server refuses is not always (a number too large for
# PostgreSQL's integer was a 500 there only). One test walks every operation on one
# seeded database, so the seeding is paid once.
def test_the_api_keeps_its_documented_contract(
    seeded_schema: schemathesis.BaseSchema, cast: Cast
) -> None:
    headers = {"Authorization": f"Bearer {token_for(cast.handler)}"}
    every = [*EVERY_CHECK, documented_status]
    failures: list[str] = []
    operations = [result.ok() for result in seeded_schema.get_all_operations()]
    assert len(operations) == sum(len(ops) for ops in openapi_document()["paths"].values())
    for operation in operations:
        modes = [GenerationMode.POSITIVE]
        if operation.path_parameters or operation.query or operation.body or operation.headers:
            modes.append(GenerationMode.NEGATIVE)  # something to get wrong
        for mode in modes:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def each(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers, checks=every)

            try:
                each()
            except BaseException as failure:  # a FailureGroup; reported below
                if not isinstance(failure, Exception | BaseExceptionGroup):
                    raise
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, f"{len(failures)} failing:\n\n" + "\n\n".join(failures)
    # The token worked and the seeded cases were reached: not a run of 401s and 404s.
    assert STATUSES.get("GET 200", 0) > 30, STATUSES
    assert STATUSES.get("POST 200", 0) > 0, STATUSES
    assert STATUSES.get("POST 201", 0) > 0, STATUSES
    assert STATUSES.get("POST 422", 0) > 10, STATUSES


def test_a_response_that_breaks_its_schema_is_reported(app: Flask, cast: Cast) -> None:
    """The check above can fail: an answer unlike its schema is reported."""
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
            headers={"Authorization": f"Bearer {token_for(cast.handler)}"}, checks=EVERY_CHECK
        )

    assert '"screening" is not of type "integer"' in str(failed.value.exceptions[0])


def test_a_valid_request_refused_is_reported(app: Flask, cast: Cast) -> None:
    """And so can a document that promises more than the server takes: one that allowed a
    blank question (as it did before the patterns) has its request refused, and reported."""
    document = copy.deepcopy(openapi_document())
    question = document["components"]["schemas"]["QuestionFields"]["properties"]["question"]
    question.update({"enum": ["   "]})
    del question["pattern"], question["minLength"]
    grievance = cast.file()
    seeds: dict[str, dict[str, list[Any]]] = {"path": {"reference": [grievance.reference]}}
    broken = schemathesis.openapi.from_dict(narrowed(document, {**seeds, "on_track": {}}))
    broken.app = app
    label = "POST /api/v1/grievances/{reference}/triggers/request_info"
    operation = broken.find_operation_by_label(label)
    assert operation is not None
    headers = {
        "Authorization": f"Bearer {token_for(cast.handler)}",
        "If-Match": f'"{grievance.version}"',
    }

    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    @settings(max_examples=1, derandomize=True, database=None, deadline=None)
    def each(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=[checks.positive_data_acceptance])

    with pytest.raises(FailureGroup) as failed:
        each()

    (rejected,) = failed.value.exceptions
    assert rejected.title == "Schema-valid request rejected"
    assert getattr(rejected, "status_code", None) == 422
