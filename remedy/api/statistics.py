"""``GET /api/v1/statistics``: the public statistics as JSON, for anyone, without a token.

The same tables as the page and ``/statistics.csv`` (``remedy.statistics.export``): small
numbers hidden, hidden cells without a number. Public like the page, so no token; limited
per address like every API request without one (``remedy.api.base``).
"""

from __future__ import annotations

from typing import Any

from flask import Response, json
from marshmallow import fields

from remedy.api.base import bp
from remedy.api.openapi_parts import PREFIX, responses
from remedy.api.schemas import ApiSchema
from remedy.statistics import export
from remedy.statistics.figures import compute


class StatisticsCellOut(ApiSchema):
    column = fields.String(required=True, metadata={"description": "The column's key."})
    value = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "The number; null when hidden or when there is no figure."},
    )
    suppressed = fields.Boolean(
        required=True,
        metadata={
            "description": "Hidden: a count from 1 to min_cell - 1, a count hidden so "
            "that such a one cannot be worked out from the total, or a share or median "
            "from fewer than min_cell cases. One flag for all: telling them apart would "
            "give numbers away. The value is then null."
        },
    )


class StatisticsRowOut(ApiSchema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    total = fields.Boolean(required=True)
    cells = fields.List(fields.Nested(StatisticsCellOut), required=True)


class StatisticsColumnOut(ApiSchema):
    key = fields.String(required=True)
    label = fields.String(required=True)


class StatisticsTableOut(ApiSchema):
    name = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    row_heading = fields.String(required=True)
    columns = fields.List(fields.Nested(StatisticsColumnOut), required=True)
    rows = fields.List(fields.Nested(StatisticsRowOut), required=True)


class StatisticsPeriodOut(ApiSchema):
    start = fields.String(required=True, allow_none=True)
    end = fields.String(required=True, allow_none=True)


class StatisticsOut(ApiSchema):
    computed_at = fields.String(required=True, metadata={"description": "ISO 8601, UTC."})
    min_cell = fields.Integer(required=True, metadata={"description": "The smallest count shown."})
    period = fields.Nested(StatisticsPeriodOut, required=True)
    tables = fields.List(fields.Nested(StatisticsTableOut), required=True)


@bp.get("/statistics")
def statistics() -> Response:
    return Response(json.dumps(export.as_json(compute())), mimetype="application/json")


def statistics_paths() -> dict[str, dict[str, Any]]:
    ok = responses(200, StatisticsOut)
    ok.pop("401", None)  # no token asked for
    return {
        f"{PREFIX}/statistics": {
            "get": {
                "security": [],
                "tags": ["statistics"],
                "summary": "The public statistics, with small numbers hidden (no token).",
                "description": "What the mechanism received and how it ended, all time, as "
                "tables (the page /statistics and /statistics.csv show the same). Labels "
                "follow Accept-Language. See docs/statistics.md for the suppression rules.",
                "operationId": "statistics",
                "responses": ok,
            }
        }
    }
