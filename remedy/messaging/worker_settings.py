"""The worker's settings, read once from the app's configuration (``REMEDY_OUTBOX_*``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class WorkerSettings:
    batch_size: int = 50
    lease: timedelta = timedelta(seconds=60)
    max_attempts: int = 10
    backoff: float = 5.0
    backoff_max: float = 900.0
    rate: float = 10.0
    jobs_interval: timedelta = timedelta(seconds=60)
    idle: float = 1.0
    # Accepted messages whose outcomes are committed together (see ``Worker.flush``).
    record_every: int = 20
    # Inbound messages handled per turn before the outbox is claimed: each costs tens of
    # milliseconds, and their replies wait until the turn sends them.
    inbox_turn: int = 5

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WorkerSettings:
        return cls(
            batch_size=config["REMEDY_OUTBOX_BATCH_SIZE"],
            lease=timedelta(seconds=config["REMEDY_OUTBOX_LEASE_SECONDS"]),
            max_attempts=config["REMEDY_OUTBOX_MAX_ATTEMPTS"],
            backoff=config["REMEDY_OUTBOX_BACKOFF_SECONDS"],
            backoff_max=config["REMEDY_OUTBOX_BACKOFF_MAX_SECONDS"],
            rate=config["REMEDY_SEND_RATE"],
            jobs_interval=timedelta(seconds=config["REMEDY_JOBS_INTERVAL_SECONDS"]),
            idle=config["REMEDY_WORKER_IDLE_SECONDS"],
        )

    @property
    def claim_size(self) -> int:
        """A batch the sender's rate lets one worker finish well within a lease."""
        if not self.rate:
            return self.batch_size
        return max(1, min(self.batch_size, int(self.rate * self.lease.total_seconds() / 4)))
