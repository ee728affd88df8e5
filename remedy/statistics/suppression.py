"""Small-cell suppression: no published figure lets anyone single out a case.

The rules (docs/statistics.md says the same, with examples), with k the smallest count
shown (``REMEDY_STATISTICS_MIN_CELL``, 5 by default):

1. **Primary.** A count from 1 to k-1 is not shown: it reads "fewer than k" (``SMALL``).
   Zero stays zero: that nothing happened singles out no one.
2. **Complementary.** Where the cells of a group add up to a published total (the rows of
   a table and its total row), a hidden cell could be worked back out: the total minus
   the visible cells. So while any hidden cell of the group can be pinned to one value,
   the smallest visible non-zero cell is hidden too (``COMPLEMENTARY``, "not shown").
   "Pinned" is checked as a reader who knows these rules would: a "fewer than k" cell is
   between 1 and k-1, a complementary one at least k and at most the smallest visible
   non-zero cell (it was the next smallest), and together they make the total minus
   the visible cells. When the total itself is under k it is hidden too, and then only
   known to be between 1 and k-1.
3. **Withheld.** If even with every non-zero cell hidden one cell can still be pinned
   (a group of two, 1 and k, total k+1), every cell of the group, zeros included, is
   "not shown" (``WITHHELD``): then each could be anything from 0 to the total.
4. **Shares and medians.** A share is shown only when its numerator and its denominator
   are both shown counts and the denominator is at least k: a share of a known total
   gives its numerator away, so it may tell nothing the two counts do not already. A
   median is shown only when it comes from at least k cases.

Tables of one period never cross two breakdowns (no channel by category), so a hidden
cell of one table cannot be worked out from another: each only repeats the total.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

UNBOUNDED = 10**12


class Mark(enum.StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # 1 to k-1: "fewer than k"
    COMPLEMENTARY = "complementary"  # hidden so that a small one cannot be worked out
    WITHHELD = "withheld"  # the whole group is hidden, zeros included

    @property
    def hidden(self) -> bool:
        return self is not Mark.SHOWN


def is_small(value: int, min_cell: int) -> bool:
    return 1 <= value < min_cell


def mark_count(value: int, min_cell: int) -> Mark:
    """A count standing alone (no total to take it from): the primary rule only."""
    return Mark.SMALL if is_small(value, min_cell) else Mark.SHOWN


def protect_group(values: Sequence[int], min_cell: int) -> list[Mark]:
    """Marks for cells adding up to a published total (rules 1 to 3)."""
    marks = [mark_count(value, min_cell) for value in values]
    while pinned(values, marks, min_cell):
        visible = [i for i, mark in enumerate(marks) if mark is Mark.SHOWN and values[i] > 0]
        if not visible:
            return [Mark.WITHHELD] * len(values)
        smallest = min(visible, key=lambda i: (values[i], i))
        marks[smallest] = Mark.COMPLEMENTARY
    return marks


def _bounds(values: Sequence[int], marks: Sequence[Mark], min_cell: int) -> list[tuple[int, int]]:
    """What a reader knows of each cell, from its mark and the visible cells."""
    visible_positive = [v for v, m in zip(values, marks, strict=True) if m is Mark.SHOWN and v > 0]
    ceiling = min(visible_positive, default=UNBOUNDED)
    found = []
    for value, mark in zip(values, marks, strict=True):
        if mark is Mark.SHOWN:
            found.append((value, value))
        elif mark is Mark.SMALL:
            found.append((1, min_cell - 1))
        elif mark is Mark.COMPLEMENTARY:
            found.append((min_cell, max(min_cell, ceiling)))
        else:
            found.append((0, UNBOUNDED))
    return found


def total_bounds(values: Sequence[int], min_cell: int) -> tuple[int, int]:
    total = sum(values)
    return (1, min_cell - 1) if is_small(total, min_cell) else (total, total)


def pinned(values: Sequence[int], marks: Sequence[Mark], min_cell: int) -> bool:
    """Whether some hidden cell can be worked out to a single value."""
    hidden = [i for i, mark in enumerate(marks) if mark.hidden]
    if not hidden:
        return False
    bounds = _bounds(values, marks, min_cell)
    total_low, total_high = total_bounds(values, min_cell)
    lows = sum(low for low, _high in bounds)
    highs = sum(high for _low, high in bounds)
    for i in hidden:
        low, high = bounds[i]
        others_low, others_high = lows - low, highs - high
        least = max(low, total_low - others_high)
        most = min(high, total_high - others_low)
        if least >= most:
            return True
    return False


def share_shown(numerator: Mark, denominator_mark: Mark, denominator: int, min_cell: int) -> bool:
    """Rule 4: a share only of shown counts, over at least k cases."""
    return denominator >= min_cell and not numerator.hidden and not denominator_mark.hidden


def median_shown(cases: int, min_cell: int) -> bool:
    return cases >= min_cell
