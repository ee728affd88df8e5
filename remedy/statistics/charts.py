"""Bar charts drawn on the server as inline SVG, and each cell in words.

No script, no library: a chart is a few rectangles, light enough for a slow phone. Each
is an image (``role="img"`` named by its ``<title>``) followed on the page by its table,
which is what a screen reader reads; the bars only repeat it. On a right-to-left page
the chart is mirrored: labels and bars start from the right, and months run from right
to left. Text keeps the default anchor, "start": the page's direction, which the SVG
inherits, puts the start of right-to-left text on its right. In the tables, numbers are
isolated left to right, as everywhere (``remedy.core.numbers``). A hidden cell has no
bar: the chart says "not shown", like the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from remedy.statistics.figures import Cell, CellKind, Figures, Row, Table

WIDTH = 320
BAR_ROW = 30
BAR = 10
COLUMNS_HEIGHT = 120
VALUE_ROOM = 60


def cell_text(cell: Cell) -> str:
    """A cell as the page says it (plain text, numbers not yet isolated)."""
    if cell.hidden:
        return _("not shown")
    if cell.value is None:
        return "–"
    if cell.kind is CellKind.SHARE:
        return f"{round(cell.value * 100)}%"
    if cell.kind is CellKind.DAYS:
        return f"{cell.value:.1f}"
    return str(int(cell.value))


def cell_html(cell: Cell | None) -> Markup:
    """Numbers isolated left to right; words (a hidden cell) in the page's direction. A
    month with no grievance (``None`` in the grid) is 0."""
    if cell is None:
        return Markup('<bdi dir="ltr">0</bdi>')
    text = cell_text(cell)
    if cell.hidden or cell.value is None:
        return Markup('<span class="hid">{}</span>').format(text)
    return Markup('<bdi dir="ltr">{}</bdi>').format(text)


@dataclass(frozen=True)
class MonthGrid:
    """The months table laid out a year a row, a month a column: the same cells, a fifth
    of the page weight of a row per month."""

    months: list[str]  # the 12 names, in the reader's language
    years: list[tuple[str, list[Cell | None]]]
    total: Cell


def month_grid(table: Table) -> MonthGrid:
    locale = get_locale() or Locale.parse("en")
    names = locale.months["format"]["abbreviated"]
    years: dict[str, list[Cell | None]] = {}
    for row in table.rows[:-1]:
        year, month = row.key.split("-")
        years.setdefault(year, [None] * 12)[int(month) - 1] = row.cells[0]
    return MonthGrid(
        [str(names[number]) for number in range(1, 13)],
        sorted(years.items()),
        table.rows[-1].cells[0],
    )


def _n(value: float) -> str:
    """A coordinate, short: 12, 12.5 (the page's weight is mostly numbers like these)."""
    return f"{round(value, 1):g}"


def _bars(table: Table) -> list[tuple[str, Cell]]:
    return [(row.label, row.cells[0]) for row in table.rows if not row.is_total]


def _largest(bars: list[tuple[str, Cell]]) -> float:
    return max((float(cell.value or 0) for _label, cell in bars if not cell.hidden), default=0) or 1


def _horizontal(table: Table, rtl: bool) -> tuple[int, list[str]]:
    """A bar per row, its label above it and its number after it."""
    bars = _bars(table)
    largest = _largest(bars)
    edge = WIDTH if rtl else 0
    parts = []
    for index, (label, cell) in enumerate(bars):
        top = index * BAR_ROW
        parts.append(f'<text x="{edge}" y="{top + 11}">{escape(label)}</text>')
        length = 0.0
        if not cell.hidden and cell.value:
            length = (WIDTH - VALUE_ROOM) * float(cell.value) / largest
            start = WIDTH - length if rtl else 0
            parts.append(
                f'<rect x="{_n(start)}" y="{top + 15}" width="{_n(length)}" height="{BAR}"/>'
            )
        value_x = WIDTH - length - 4 if rtl else length + 4
        parts.append(
            f'<text class="v" x="{_n(value_x)}" y="{top + 24}">{escape(cell_text(cell))}</text>'
        )
    return len(bars) * BAR_ROW, parts


def _columns(table: Table, rtl: bool) -> tuple[int, list[str]]:
    """Months as columns, in time order (right to left on a right-to-left page); a year
    is written under its first month shown."""
    bars = _bars(table)
    largest = _largest(bars)
    step = WIDTH / max(len(bars), 1)
    parts = []
    columns = []  # one path for every column: sixty <rect>s weigh three times as much
    seen_years: set[str] = set()
    for index, (label, cell) in enumerate(bars):
        left = WIDTH - (index + 1) * step if rtl else index * step
        if not cell.hidden and cell.value:
            top = COLUMNS_HEIGHT - COLUMNS_HEIGHT * float(cell.value) / largest
            columns.append(
                f"M{_n(left + step * 0.1)} {COLUMNS_HEIGHT}V{_n(top)}h{_n(step * 0.8)}"
                f"V{COLUMNS_HEIGHT}z"
            )
        year = label[:4]
        if year not in seen_years:
            seen_years.add(year)
            edge = left + step if rtl else left
            parts.append(f'<text x="{_n(edge)}" y="{COLUMNS_HEIGHT + 14}">{year}</text>')
    if columns:
        parts.append(f'<path d="{"".join(columns)}"/>')
    highest = _("Highest: %(number)s", number=int(largest))
    parts.append(f'<text class="v" x="{WIDTH if rtl else 0}" y="-4">{escape(highest)}</text>')
    return COLUMNS_HEIGHT + 20, parts


def bar_chart(table: Table, rtl: bool = False) -> Markup:
    """The table's first column as an SVG image, named by its title and what it shows."""
    if table.name == "months":
        height, parts = _columns(table, rtl)
        top = -16
    else:
        height, parts = _horizontal(table, rtl)
        top = 0
    title_id = f"chart-{table.name}"
    title = f"{table.title}. {table.description}"
    svg = (
        f'<svg class="chart" role="img" aria-labelledby="{title_id}" '
        f'viewBox="0 {top} {WIDTH} {height - top}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(title)}</title>'
        f"{''.join(parts)}</svg>"
    )
    return Markup(svg)  # noqa: S704 - every text in it is escaped above


def tables_context(figures: Figures, rtl: bool) -> dict[str, Any]:
    """What ``statistics_tables.html`` needs, for the public page and the oversight page."""
    return {
        "figures": figures,
        "charts": {table.name: bar_chart(table, rtl) for table in figures.tables if table.chart},
        "cell": cell_html,
        "month_grid": month_grid,
    }


def count_chart(
    name: str, title: str, description: str, counts: list[tuple[str, str, int]], rtl: bool
) -> Markup:
    """Plain counts (key, label, count) drawn like the public charts: the console's trends.
    A ``months`` chart takes keys such as ``2026-03`` and draws columns."""
    rows = tuple(Row(key, label, (Cell(CellKind.COUNT, count),)) for key, label, count in counts)
    table = Table(name, title, description, (title,), ("count",), rows)
    return bar_chart(table, rtl)
