"""Every public figure of a period, as tables: the one read the page, the CSV and the API
share, and the one an oversight view may call without suppression.

``compute`` takes the period's counts (kept ones when fresh, ``remedy.statistics.cache``),
turns them into tables in the reader's language and, unless told not to, hides what
``remedy.statistics.suppression`` says must be hidden. A hidden cell carries no value at
all: nothing downstream can show it by mistake.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from remedy.core.settings import settings
from remedy.models.grievance import CATEGORY_TITLES, CHANNEL_TITLES, Category, Channel
from remedy.queue.filters import state_choices
from remedy.queue.trends import NONE_KEY
from remedy.statistics import labels
from remedy.statistics.cache import fresh_counts
from remedy.statistics.counts import ALL_TIME, Period
from remedy.statistics.suppression import (
    Mark,
    mark_count,
    median_shown,
    protect_group,
    share_shown,
)

SECONDS_PER_DAY = 86400.0


class CellKind(enum.StrEnum):
    COUNT = "count"
    SHARE = "share"  # 0 to 1
    DAYS = "days"


@dataclass(frozen=True)
class Cell:
    """A number, or a hidden one: then no value at all, and nothing says why (one word
    for every hidden cell, ``remedy.statistics.suppression`` rule 3)."""

    kind: CellKind
    value: int | float | None  # None when hidden (or no figure at all: a share of nothing)
    hidden: bool = False


@dataclass(frozen=True)
class Row:
    key: str  # stable, for the CSV and the API ("sms", "2026-03", "total")
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    name: str  # stable, for the CSV and the API
    title: str
    description: str
    columns: tuple[str, ...]  # the row label's heading, then one per cell
    column_keys: tuple[str, ...]  # the cells' stable names
    rows: tuple[Row, ...]
    chart: bool = True  # a bar chart of the first column shows it well


@dataclass(frozen=True)
class Figures:
    period: Period
    computed_at: datetime
    min_cell: int
    suppressed: bool
    tables: tuple[Table, ...]


Item = tuple[str, str, int]  # key, label, count


def _count(value: int, mark: Mark, suppress: bool) -> Cell:
    if suppress and mark.hidden:
        return Cell(CellKind.COUNT, None, hidden=True)
    return Cell(CellKind.COUNT, value)


def _share(
    part: int, part_mark: Mark, whole: int, whole_mark: Mark, k: int, suppress: bool
) -> Cell:
    if whole == 0:
        return Cell(CellKind.SHARE, None)
    if suppress and not share_shown(part_mark, whole_mark, whole, k):
        return Cell(CellKind.SHARE, None, hidden=True)
    return Cell(CellKind.SHARE, part / whole)


def _distribution(
    name: str,
    title: str,
    description: str,
    heading: str,
    items: Sequence[Item],
    k: int,
    suppress: bool,
    shares: bool = False,
    listed_only: bool = False,
) -> Table:
    """Rows adding up to a total row: suppressed as one group. ``listed_only``: the rows
    are only what happened (months), so a withheld group lists none of them."""
    values = [count for _key, _label, count in items]
    marks = protect_group(values, k)
    if suppress and listed_only and Mark.WITHHELD in marks:
        items, marks = [], []
    total = sum(values)
    total_mark = mark_count(total, k)
    columns = [heading, _("Number")]
    keys = ["count"]
    if shares:
        columns.append(_("Share"))
        keys.append("share")
    rows = []
    for (key, label, count), mark in zip(items, marks, strict=True):
        cells = [_count(count, mark, suppress)]
        if shares:
            cells.append(_share(count, mark, total, total_mark, k, suppress))
        rows.append(Row(key, label, tuple(cells)))
    total_cells = [_count(total, total_mark, suppress)]
    if shares:
        total_cells.append(Cell(CellKind.SHARE, 1.0 if total else None))
    rows.append(Row("total", _("Total"), tuple(total_cells), is_total=True))
    return Table(name, title, description, tuple(columns), tuple(keys), tuple(rows))


def _items(
    pairs: Sequence[Sequence[Any]], order: Mapping[str, Any], other: str | None = None
) -> list[Item]:
    """Every key of ``order`` (zeros too, so a table's shape never depends on the data)."""
    counts: dict[str, int] = {}
    for key, count in pairs:
        chosen = key if key in order else other
        if chosen is not None:
            counts[chosen] = counts.get(chosen, 0) + int(count)
    return [(key, str(label), counts.get(key, 0)) for key, label in order.items()]


def _received_tables(counts: Mapping[str, Any], k: int, suppress: bool) -> list[Table]:
    months = [(key, key, int(count)) for key, count in counts["months"]]
    channels = _items(counts["channels"], {c.value: CHANNEL_TITLES[c] for c in Channel})
    categories_order: dict[str, Any] = {c.value: CATEGORY_TITLES[c] for c in Category}
    categories_order["none"] = labels.NOT_CLASSIFIED
    categories = _items(
        [["none" if key is None else key, count] for key, count in counts["categories"]],
        categories_order,
    )
    tables = [
        _distribution(
            "months",
            _("Grievances received, by month"),
            _("How many grievances reached the mechanism each month."),
            _("Month"),
            months,
            k,
            suppress,
            listed_only=True,
        ),
        _distribution(
            "channels",
            _("How grievances reached us"),
            _("How many grievances came by each way of telling us."),
            _("Channel"),
            channels,
            k,
            suppress,
        ),
        _distribution(
            "categories",
            _("What the grievances are about"),
            _("How many grievances are about each kind of harm, as the team classified them."),
            _("Kind of harm"),
            categories,
            k,
            suppress,
        ),
    ]
    if settings().regions:  # none listed: no table, rather than one row of "elsewhere"
        order: dict[str, Any] = {name: name for name in settings().regions}
        order[NONE_KEY] = _("Not in a listed region")
        tables.append(
            _distribution(
                "regions",
                _("Where the grievances happened"),
                _(
                    "How many grievances happened in each region the mechanism lists; no"
                    " place smaller than a region is ever shown."
                ),
                _("Region"),
                _items(counts.get("regions", []), order),
                k,
                suppress,
            )
        )
    return tables


def _organisations(counts: Mapping[str, Any], k: int, suppress: bool) -> list[Table]:
    """No total: a grievance may involve several organisations, and those not named stay out."""
    if not counts["organisations"]:
        return []
    rows = tuple(
        Row(str(name), str(name), (_count(int(n), mark_count(int(n), k), suppress),))
        for name, n in counts["organisations"]
    )
    return [
        Table(
            "organisations",
            _("Grievances involving each organisation"),
            _(
                "How many grievances involve each organisation that agreed to be named here;"
                " one grievance may involve several."
            ),
            (_("Organisation"), _("Number")),
            ("count",),
            rows,
        )
    ]


def _outcome_tables(counts: Mapping[str, Any], k: int, suppress: bool) -> list[Table]:
    standing = _items(counts["states"], labels.GRIEVANCE_STANDING, other=labels.OPEN)
    outcomes = _items(
        [[labels.OPEN if key is None else key, n] for key, n in counts["track_outcomes"]],
        labels.TRACK_OUTCOMES,
    )
    confirmations = _items(counts["confirmations"], labels.ANSWERS)
    satisfaction = [(str(s), str(labels.SATISFACTION.get(str(s), s)), 0) for s in range(1, 6)]
    satisfaction = _items(counts["satisfaction"], {key: label for key, label, _n in satisfaction})
    fairness_labels = {str(s): str(labels.FAIRNESS.get(str(s), s)) for s in range(1, 6)}
    # Counts kept before the question existed have no "fairness": none answered it then.
    fairness = _items(counts.get("fairness", []), fairness_labels)
    appeals = _items(
        [["pending" if key is None else key, n] for key, n in counts["appeals"]],
        labels.APPEAL_RESULTS,
    )
    return [
        _distribution(
            "standing",
            _("Where the grievances stand"),
            _("Whether each grievance is still being handled, and if not, how it was closed."),
            _("Standing"),
            standing,
            k,
            suppress,
            shares=True,
        ),
        _distribution(
            "outcomes",
            _("How each organisation's part ended"),
            _(
                "For every organisation found involved in a grievance, how its part ended."
                " Closed is not remedied: only the people's confirmation makes it remedied."
            ),
            _("Outcome"),
            outcomes,
            k,
            suppress,
            shares=True,
        ),
        _distribution(
            "confirmations",
            _("Did the affected people confirm the remedy?"),
            _("The affected people's answers when asked whether a remedy was delivered."),
            _("Answer"),
            confirmations,
            k,
            suppress,
            shares=True,
        ),
        _distribution(
            "satisfaction",
            _("How satisfied the people were"),
            _("The scores from 1 to 5 the people gave when answering a check-in."),
            _("Score"),
            satisfaction,
            k,
            suppress,
        ),
        _distribution(
            "fairness",
            _("How fair the people found the handling"),
            _(
                "When their case ended, the people were asked how fair the way it was handled"
                " was, from 1 (not at all) to 5 (very)."
            ),
            _("Score"),
            fairness,
            k,
            suppress,
        ),
        _distribution(
            "appeals",
            _("Appeals and their results"),
            _("How many decisions the people appealed, and what the review decided."),
            _("Result"),
            appeals,
            k,
            suppress,
        ),
    ]


def _stages(counts: Mapping[str, Any], k: int, suppress: bool) -> Table:
    intake, tracks = state_choices()
    names = {("grievance", key): label for key, label in intake}
    names.update({("track", key): label for key, label in tracks})
    rows = []
    for subject, state, stays, seconds in counts["stages"]:
        label = str(names.get((subject, state), state))
        days = Cell(CellKind.DAYS, float(seconds) / SECONDS_PER_DAY)
        if suppress and not median_shown(int(stays), k):
            days = Cell(CellKind.DAYS, None, hidden=True)
        stays_cell = _count(int(stays), mark_count(int(stays), k), suppress)
        rows.append(Row(f"{subject}:{state}", label, (days, stays_cell)))
    return Table(
        "stages",
        _("Median time in each stage"),
        _(
            "For each stage a grievance or an organisation's part goes through, the median"
            " number of days it stayed there, over the stays that ended."
        ),
        (_("Stage"), _("Median days"), _("Stays ended")),
        ("median_days", "stays"),
        tuple(rows),
    )


def _deadlines(counts: Mapping[str, Any], k: int, suppress: bool) -> Table:
    rows = []
    for key, label in labels.DEADLINE_SUBJECTS.items():
        ended, missed = (int(n) for n in counts["deadlines"][key])
        met = ended - missed
        met_mark, missed_mark = protect_group([met, missed], k)
        ended_mark = mark_count(ended, k)
        cells = (
            _count(ended, ended_mark, suppress),
            _count(met, met_mark, suppress),
            _count(missed, missed_mark, suppress),
            _share(met, met_mark, ended, ended_mark, k, suppress),
        )
        rows.append(Row(key, str(label), cells))
    return Table(
        "deadlines",
        _("Deadlines met"),
        _("Of the grievances and organisations' parts that ended, how many met every deadline."),
        (_("Work"), _("Ended"), _("Met every deadline"), _("Missed one or more"), _("Share met")),
        ("ended", "met", "missed", "share_met"),
        tuple(rows),
        chart=False,
    )


def build(counts: Mapping[str, Any], min_cell: int, suppress: bool) -> tuple[Table, ...]:
    """The tables, in the order the page shows them."""
    return (
        *_received_tables(counts, min_cell, suppress),
        *_organisations(counts, min_cell, suppress),
        *_outcome_tables(counts, min_cell, suppress),
        _stages(counts, min_cell, suppress),
        _deadlines(counts, min_cell, suppress),
    )


def compute(period: Period = ALL_TIME, *, suppress: bool = True) -> Figures:
    """Every figure of ``period`` (default all time, by month); ``suppress=False`` for the
    team's oversight views only: small counts then show as they are."""
    computed_at, counts = fresh_counts(period)
    k = settings().statistics_min_cell
    return Figures(period, computed_at, k, suppress, build(counts, k, suppress))


def total_received(figures: Figures) -> Cell:
    """The period's total, as published (the months table's total row)."""
    months = next(table for table in figures.tables if table.name == "months")
    return months.rows[-1].cells[0]
