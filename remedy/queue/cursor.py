"""The queue's page cursor: the last row's sort key and id (and its priority, in priority
order), as short readable text whose form the API documents (``CURSOR_PATTERN``).

``p3.1767225600000000.42``: priority order, rank 3, due at that instant (microseconds
since 1970, UTC), grievance 42; ``d.-.42``: due order, a row without a deadline;
``n.1767225600000000.42``: newest first. Any text of this form is a place in the list;
text of another form is refused (422), and a cursor of another order than the one asked
for is stale (409): the list was re-sorted since, start again from its first page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _

from remedy.core.errors import InvalidInput
from remedy.models.types import MAX_ROW_ID
from remedy.queue.filters import QueueOrder

# ECMA-262 and Python read it alike; the numbers' lengths keep every value in range (a
# rank under 2**15, an instant before the year 2287, an id of at most ten digits).
CURSOR_PATTERN = (
    r"^(?:p[0-9]{1,4}\.(?:[0-9]{1,16}|-)|d\.(?:[0-9]{1,16}|-)|n\.[0-9]{1,16})\.[0-9]{1,10}$"
)
_FORM = re.compile(CURSOR_PATTERN.removesuffix("$") + r"\Z")
_ORDERS = {"p": QueueOrder.PRIORITY, "d": QueueOrder.DUE, "n": QueueOrder.NEWEST}
_LETTERS = {order: letter for letter, order in _ORDERS.items()}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


class StaleCursor(InvalidInput):
    """A well-formed cursor of another order than the one asked for."""

    status = 409
    slug = "stale-cursor"


@dataclass(frozen=True)
class Cursor:
    order: QueueOrder
    key: datetime | None
    id: int
    rank: int = 0

    def encode(self) -> str:
        letter = _LETTERS[self.order]
        if self.order is QueueOrder.PRIORITY:
            letter += str(self.rank)
        key = "-"
        if self.key is not None:
            aware = self.key if self.key.tzinfo else self.key.replace(tzinfo=UTC)
            key = str((aware - EPOCH) // MICROSECOND)
        return f"{letter}.{key}.{self.id}"

    @classmethod
    def decode(cls, text: str, order: QueueOrder) -> Cursor:
        if not _FORM.match(text):
            raise InvalidInput(_("This page link is not valid any more. Start again."), "after")
        head, key, row = text.split(".")
        if _ORDERS[head[0]] is not order:
            raise StaleCursor(
                _("This page link belongs to another order of the list. Start again."), "after"
            )
        rank = int(head[1:]) if order is QueueOrder.PRIORITY else 0
        instant = None if key == "-" else EPOCH + int(key) * MICROSECOND
        # Past the id column's range (PostgreSQL would refuse the comparison) every id
        # is before it: the largest one says the same.
        return cls(order, instant, min(int(row), MAX_ROW_ID), rank)
