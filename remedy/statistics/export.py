"""The published figures as data: one CSV for people with a spreadsheet, and JSON for the
API. Both carry exactly what the page shows: a hidden cell has no number.

CSV: one line per cell, ``table,row,label,column,value``; ``value`` is the number, or
``suppressed`` for a hidden one (a count from 1 to k-1, a count hidden so that such a
one cannot be worked out from the total, a share or median from too few cases: one word
for all, or the difference would give numbers away), or empty where there is no figure
(a share of nothing). The first lines, table ``about``, say when the
figures were computed and what k is.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from remedy.statistics.figures import Cell, Figures

HEADER = ("table", "row", "label", "column", "value")


def _number(cell: Cell) -> Any:
    if cell.value is None:
        return None
    return round(cell.value, 4) if isinstance(cell.value, float) else cell.value


def csv_value(cell: Cell) -> str:
    if cell.hidden:
        return "suppressed"
    value = _number(cell)
    return "" if value is None else str(value)


def as_csv(figures: Figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerow(("about", "computed_at", "", "", figures.computed_at.isoformat()))
    writer.writerow(("about", "min_cell", "", "", figures.min_cell))
    for table in figures.tables:
        for row in table.rows:
            for key, cell in zip(table.column_keys, row.cells, strict=True):
                writer.writerow((table.name, row.key, row.label, key, csv_value(cell)))
    return out.getvalue()


def as_json(figures: Figures) -> dict[str, Any]:
    """The API's body (``StatisticsOut`` in ``remedy.api.openapi``)."""
    period = figures.period
    return {
        "computed_at": figures.computed_at.isoformat(),
        "min_cell": figures.min_cell,
        "period": {
            "start": period.start.isoformat() if period.start else None,
            "end": period.end.isoformat() if period.end else None,
        },
        "tables": [
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "row_heading": table.columns[0],
                "columns": [
                    {"key": key, "label": label}
                    for key, label in zip(table.column_keys, table.columns[1:], strict=True)
                ],
                "rows": [
                    {
                        "key": row.key,
                        "label": row.label,
                        "total": row.is_total,
                        "cells": [
                            {"column": key, "value": _number(cell), "suppressed": cell.hidden}
                            for key, cell in zip(table.column_keys, row.cells, strict=True)
                        ],
                    }
                    for row in table.rows
                ],
            }
            for table in figures.tables
        ],
    }
