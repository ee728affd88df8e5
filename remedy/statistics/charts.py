"""Bar charts drawn on the server as inline SVG, and each cell in words.

No script, no library: a chart is a few rectangles, light enough for a slow phone. Each
is an image (``role="img"`` named by its ``<title>``) followed on the page by its table,
which is what a screen reader reads; the bars only repeat it. On a right-to-left page
the chart is mirrored: labels and bars start from the right, and months run from right
to left. Numbers are isolated left to right, as everywhere (``remedy.core.numbers``).
A hidden cell has no bar: the chart says "not shown", like the table.
"""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from remedy.core.numbers import ltr_html
from remedy.statistics.figures import Cell, CellKind, Table

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


def cell_html(cell: Cell) -> Markup:
    """Numbers isolated left to right; words (a hidden cell) in the page's direction."""
    text = cell_text(cell)
    if cell.hidden or cell.value is None:
        return Markup("<span class='hidden-figure'>{}</span>").format(text)
    return ltr_html(text)


def _bars(table: Table) -> list[tuple[str, Cell]]:
    return [(row.label, row.cells[0]) for row in table.rows if not row.is_total]


def _largest(bars: list[tuple[str, Cell]]) -> float:
    return max((float(cell.value or 0) for _label, cell in bars if not cell.hidden), default=0) or 1


def _horizontal(table: Table, rtl: bool) -> tuple[int, list[str]]:
    """A bar per row, its label above it and its number after it."""
    bars = _bars(table)
    largest = _largest(bars)
    edge = WIDTH if rtl else 0
    anchor = "end" if rtl else "start"
    parts = []
    for index, (label, cell) in enumerate(bars):
        top = index * BAR_ROW
        parts.append(
            f'<text x="{edge}" y="{top + 11}" text-anchor="{anchor}">{escape(label)}</text>'
        )
        length = 0.0
        if not cell.hidden and cell.value:
            length = (WIDTH - VALUE_ROOM) * float(cell.value) / largest
            start = WIDTH - length if rtl else 0
            parts.append(
                f'<rect x="{start:.1f}" y="{top + 15}" width="{length:.1f}" height="{BAR}"/>'
            )
        value_x = WIDTH - length - 4 if rtl else length + 4
        parts.append(
            f'<text class="value" x="{value_x:.1f}" y="{top + 24}" text-anchor="{anchor}">'
            f"{escape(cell_text(cell))}</text>"
        )
    return len(bars) * BAR_ROW, parts


def _columns(table: Table, rtl: bool) -> tuple[int, list[str]]:
    """Months as columns, in time order (right to left on a right-to-left page); a year
    is written under its first month shown."""
    bars = _bars(table)
    largest = _largest(bars)
    step = WIDTH / max(len(bars), 1)
    parts = []
    seen_years: set[str] = set()
    for index, (label, cell) in enumerate(bars):
        left = WIDTH - (index + 1) * step if rtl else index * step
        if not cell.hidden and cell.value:
            height = COLUMNS_HEIGHT * float(cell.value) / largest
            parts.append(
                f'<rect x="{left + step * 0.1:.1f}" y="{COLUMNS_HEIGHT - height:.1f}" '
                f'width="{step * 0.8:.1f}" height="{height:.1f}"/>'
            )
        year = label[:4]
        if year not in seen_years:
            seen_years.add(year)
            parts.append(
                f'<text x="{left:.1f}" y="{COLUMNS_HEIGHT + 14}" direction="ltr">'
                f"{escape(label)}</text>"
            )
    top = _("Highest: %(number)s", number=int(largest))
    parts.append(
        f'<text class="value" x="{WIDTH if rtl else 0}" y="-4" '
        f'text-anchor="{"end" if rtl else "start"}">{escape(top)}</text>'
    )
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
        f'<title id="{title_id}">{escape(title)}</title>{"".join(parts)}</svg>'
    )
    return Markup(svg)  # noqa: S704 - every text in it is escaped above
