"""Small-cell suppression: hidden counts stay hidden, even from a reader who knows the
rules and sees the total (docs/statistics.md)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from remedy.statistics.suppression import (
    Mark,
    mark_count,
    median_shown,
    pinned,
    protect_group,
    share_shown,
)

K = 5


def published(values: Sequence[int], k: int = K) -> tuple[tuple[str, ...], str]:
    """What a reader sees of a group: each cell (its number or its mark) and the total."""
    marks = protect_group(values, k)
    cells = tuple(
        str(value) if mark is Mark.SHOWN else "hidden"
        for value, mark in zip(values, marks, strict=True)
    )
    total = sum(values)
    return cells, ("small" if 1 <= total < k else str(total))


def _splits(amount: int, parts: int, least: int) -> Iterator[tuple[int, ...]]:
    if parts == 0:
        if amount == 0:
            yield ()
        return
    for first in range(least, amount + 1):
        for rest in _splits(amount - first, parts - 1, least):
            yield (first, *rest)


def candidates(view: tuple[tuple[str, ...], str], k: int = K) -> Iterator[tuple[int, ...]]:
    """Every group of counts a reader of ``view`` cannot rule out: the visible cells as
    shown, hidden ones at least 1 (zero stays zero) or 0 when every cell is hidden, all
    adding up to the total (between 1 and k-1 when the total is hidden too)."""
    cells, total = view
    totals = range(1, k) if total == "small" else range(int(total), int(total) + 1)
    hidden = [i for i, cell in enumerate(cells) if not cell.isdigit()]
    visible = sum(int(cell) for cell in cells if cell.isdigit())
    least = 0 if len(hidden) == len(cells) else 1
    for whole in totals:
        for split in _splits(whole - visible, len(hidden), least) if whole >= visible else ():
            values = [int(cell) if cell.isdigit() else 0 for cell in cells]
            for index, value in zip(hidden, split, strict=True):
                values[index] = value
            yield tuple(values)


def test_a_count_from_1_to_k_minus_1_is_small_and_zero_stays_zero() -> None:
    assert [mark_count(n, K) for n in (0, 1, 4, 5, 60)] == [
        Mark.SHOWN,
        Mark.SMALL,
        Mark.SMALL,
        Mark.SHOWN,
        Mark.SHOWN,
    ]


def test_a_small_cell_takes_the_next_smallest_with_it() -> None:
    assert protect_group([3, 40, 12, 0], K) == [
        Mark.SMALL,
        Mark.SHOWN,
        Mark.COMPLEMENTARY,
        Mark.SHOWN,
    ]


def test_two_small_cells_take_one_more_with_them_or_their_sum_would_be_known() -> None:
    # Without it: 1 and 1 beside 6, total 8: both small cells would have to be 1.
    assert protect_group([1, 1, 6], K) == [Mark.SMALL, Mark.SMALL, Mark.COMPLEMENTARY]
    assert not pinned([1, 1, 6], protect_group([1, 1, 6], K), K)


def test_a_group_without_a_small_cell_is_shown_whole() -> None:
    assert protect_group([0, 5, 9], K) == [Mark.SHOWN] * 3


def test_when_every_non_zero_cell_is_small_the_zeros_are_hidden_too() -> None:
    # Five cells of 1 and a zero, total 5: with the zero shown, five hidden cells of at
    # least 1 each could only be 1s.
    assert protect_group([1, 1, 1, 1, 1, 0], K) == [Mark.WITHHELD] * 6
    assert not pinned([1, 1, 1, 1, 1, 0], [Mark.WITHHELD] * 6, K)
    assert pinned([1, 1, 1, 1, 1, 0], [Mark.SMALL] * 5 + [Mark.SHOWN], K)


def test_shares_need_shown_counts_over_at_least_k_cases() -> None:
    assert share_shown(Mark.SHOWN, Mark.SHOWN, 20, K)
    assert not share_shown(Mark.SMALL, Mark.SHOWN, 20, K)
    assert not share_shown(Mark.SHOWN, Mark.SHOWN, 4, K)
    assert not share_shown(Mark.SHOWN, Mark.SMALL, 4, K)
    assert median_shown(5, K)
    assert not median_shown(4, K)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=5))
def test_no_hidden_cell_can_be_worked_out_from_the_total_and_the_visible_cells(
    values: list[int],
) -> None:
    """Solving for the hidden cells leaves each of them at least two possible values."""
    view = published(values)
    possible = list(candidates(view))

    assert tuple(values) in possible
    assert not pinned(values, protect_group(values, K), K)
    for index, cell in enumerate(view[0]):
        if not cell.isdigit():
            assert len({found[index] for found in possible}) >= 2, (values, view)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=8))
def test_the_total_minus_the_visible_cells_is_never_one_hidden_cell(values: list[int]) -> None:
    """Unless the total is hidden too (under k): then so is that cell's value."""
    marks = protect_group(values, K)
    hidden = [value for value, mark in zip(values, marks, strict=True) if mark.hidden]

    assert len(hidden) != 1 or 1 <= sum(values) < K
    assert all(mark.hidden for value, mark in zip(values, marks, strict=True) if 1 <= value < K)
