"""Small-cell suppression: no published figure lets anyone single out a case.

The rules (docs/statistics.md says the same, with examples), with k the smallest count
shown (``REMEDY_STATISTICS_MIN_CELL``, 5 by default):

1. **Primary.** A count from 1 to k-1 is hidden (``SMALL``). Zero stays zero: that
   nothing happened singles out no one.
2. **Complementary.** Where the cells of a group add up to a published total (the rows of
   a table and its total row), a hidden cell could be worked back out: the total minus
   the visible cells. So whenever a group has a small cell, its smallest visible non-zero
   cell is hidden too (``COMPLEMENTARY``): always, not only when one cell alone is
   hidden, because the decision itself must not tell anything (two cells of 1 beside a
   visible 6, total 8: hiding the 6 only when the 1s could be worked out would tell
   that they could).
3. **One word for every hidden cell.** Every hidden cell reads the same ("not shown",
   ``suppressed`` in the CSV), whatever hid it. Telling "fewer than 5" apart from "hidden
   to protect another" gives numbers away: two "fewer than 5" cells and a total of 8
   can only be 4 and 4. The page says that a hidden number is either under k or hidden
   to protect one that is.
4. **Withheld.** When every non-zero cell of a group is small, there is no visible cell
   to hide beside them, and the zeros would tell how many cells share the total (five
   hidden cells and a total of 5 are five 1s). Then every cell, zeros included, is
   hidden (``WITHHELD``), and a table listing only what happened (the months) lists
   none of its rows. When the total itself is under k it is hidden too.
5. **Shares and medians.** A share is shown only when its numerator and its denominator
   are both shown counts and the denominator is at least k: a share of a known total
   gives its numerator away, so it may tell nothing the two counts do not already. A
   median is shown only when it comes from at least k cases.

What a reader can work out is checked as a reader of the numbers would (``pinned``):
every hidden cell is at least 1, or 0 when the whole group is withheld, and they make
the total minus the visible cells; no hidden cell is ever pinned to one value. A reader
who also knows these rules by heart can narrow some cells further (a hidden cell that
was the smallest non-zero one is at most the smallest visible one), never to a count
under k: that is why k is a margin, not a target.

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
    """Marks for cells adding up to a published total (rules 1, 2 and 4).

    Each step depends only on what would be published (is there a small cell; is there a
    visible non-zero cell left), never on whether the small cells could be worked out
    before: a reader who knows the rules would learn that too.
    ``tests/statistics/test_suppression.py`` checks it against such a reader.
    """
    marks = [mark_count(value, min_cell) for value in values]
    if Mark.SMALL not in marks:
        return marks
    visible = [i for i, mark in enumerate(marks) if mark is Mark.SHOWN and values[i] > 0]
    if not visible:
        return [Mark.WITHHELD] * len(values)
    marks[min(visible, key=lambda i: (values[i], i))] = Mark.COMPLEMENTARY
    return marks


def pinned(values: Sequence[int], marks: Sequence[Mark], min_cell: int) -> bool:
    """Whether a reader of the published group could work a hidden cell out: a hidden
    cell is at least 1 (zero stays zero) or, withheld, at least 0; the hidden cells make
    the total minus the visible ones; a hidden total is between 1 and k-1."""
    total = sum(values)
    total_low, total_high = (1, min_cell - 1) if is_small(total, min_cell) else (total, total)
    bounds = [
        (value, value) if mark is Mark.SHOWN else (0 if mark is Mark.WITHHELD else 1, UNBOUNDED)
        for value, mark in zip(values, marks, strict=True)
    ]
    lows = sum(low for low, _high in bounds)
    highs = sum(high for _low, high in bounds)
    for (low, high), mark in zip(bounds, marks, strict=True):
        if mark.hidden:
            least = max(low, total_low - (highs - high))
            most = min(high, total_high - (lows - low))
            if least >= most:
                return True
    return False


def share_shown(numerator: Mark, denominator_mark: Mark, denominator: int, min_cell: int) -> bool:
    """Rule 5: a share only of shown counts, over at least k cases."""
    return denominator >= min_cell and not numerator.hidden and not denominator_mark.hidden


def median_shown(cases: int, min_cell: int) -> bool:
    return cases >= min_cell
