"""The supervisor's figures as one CSV file: time per stage, outcomes and workload.

One row per figure, in long form, so a spreadsheet filters it by ``section``; columns a
section does not use stay empty. Durations are in seconds (exact, for sums and medians
elsewhere). Cells that begin like a formula are quoted with an apostrophe, so a handler's
display name can never run in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from remedy.queue.workload import OutcomeCount, StageTime, Workload

HEADER = (
    "section",
    "item",
    "label",
    "stays",
    "median_seconds",
    "longest_seconds",
    "grievances",
    "tracks",
    "open",
    "overdue",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _rows(
    stages: Iterable[StageTime], outcomes: Iterable[OutcomeCount], load: Workload
) -> Iterable[tuple[object, ...]]:
    for stage in stages:
        yield (
            "time_per_stage",
            f"{stage.subject}:{stage.state}",
            stage.label,
            stage.stays,
            int(stage.median.total_seconds()),
            int(stage.longest.total_seconds()),
            None,
            None,
            None,
            None,
        )
    for count in outcomes:
        yield (
            "outcome",
            count.outcome.value,
            count.outcome.label,
            None,
            None,
            None,
            count.grievances,
            count.tracks,
            None,
            None,
        )
    for row in load.handlers:
        yield (
            "workload",
            row.user_id,
            row.label,
            None,
            None,
            None,
            None,
            None,
            row.open,
            row.overdue,
        )
    yield (
        "workload",
        "unassigned",
        "",
        None,
        None,
        None,
        None,
        None,
        load.unassigned_open,
        load.unassigned_overdue,
    )


def figures_csv(
    stages: Iterable[StageTime], outcomes: Iterable[OutcomeCount], load: Workload
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in _rows(stages, outcomes, load):
        writer.writerow([_safe(cell) for cell in row])
    return out.getvalue()
