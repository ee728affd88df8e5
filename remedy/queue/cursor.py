"""The queue's page cursor: the last row's sort key and id (and its priority, in priority
order), opaque to callers (URL-safe base64 of a small JSON document)."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from remedy.core.errors import InvalidInput
from remedy.queue.filters import QueueOrder


@dataclass(frozen=True)
class Cursor:
    order: QueueOrder
    key: datetime | None
    id: int
    rank: int = 0

    def encode(self) -> str:
        data: dict[str, object] = {
            "o": self.order.value,
            "k": self.key.isoformat() if self.key else None,
            "i": self.id,
        }
        if self.order is QueueOrder.PRIORITY:
            data["r"] = self.rank
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, order: QueueOrder) -> Cursor:
        problem = InvalidInput(_("This page link is not valid any more. Start again."), "after")
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            data = json.loads(raw)
            key = datetime.fromisoformat(data["k"]) if data["k"] is not None else None
            rank = int(data["r"]) if data["o"] == QueueOrder.PRIORITY else 0
            cursor = cls(QueueOrder(data["o"]), key, int(data["i"]), rank)
        except (binascii.Error, ValueError, TypeError, KeyError, OverflowError) as exc:
            raise problem from exc
        if cursor.order is not order or (key is not None and key.tzinfo is None):
            raise problem
        if not 0 <= cursor.id < 2**63 or not 0 <= cursor.rank < 2**15:
            raise problem
        if order is QueueOrder.NEWEST and key is None:
            raise problem
        return cursor
