"""PINs hashed ahead of time, so filing a grievance never waits for Argon2id.

The worker keeps ``REMEDY_PREPARED_PINS`` PINs ready (:func:`fill_pins`, a periodic
job); :func:`take_pin` gives one to a new grievance and deletes it in the caller's
transaction, so a PIN is given once or, if the filing rolls back, stays in the pool.
On PostgreSQL concurrent takers skip each other's row (``SKIP LOCKED``); SQLite runs
one writer at a time. When the pool is empty, or was hashed under another cost than
the one configured now, the PIN is made and hashed on the spot, as before: slower,
never weaker.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, func, select

from remedy.core.extensions import db
from remedy.core.passwords import hash_secret, needs_rehash
from remedy.core.references import new_pin
from remedy.core.settings import settings
from remedy.core.unit_of_work import atomic
from remedy.models.prepared_pin import PreparedPin

FILL_BATCH = 10
# At the production cost, about 25 PINs per run of the job.
FILL_BUDGET_SECONDS = 3.0


def take_pin() -> tuple[str, str]:
    """A PIN and its Argon2id hash, for a grievance being filed (joins the caller's unit)."""
    table = PreparedPin.__table__
    oldest = select(table.c.id).order_by(table.c.id).limit(1)
    if db.session.get_bind().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    while True:
        row = db.session.execute(
            delete(table)
            .where(table.c.id == oldest.scalar_subquery())
            .returning(table.c.pin, table.c.pin_hash)
        ).one_or_none()
        if row is None:
            pin = new_pin()
            return pin, hash_secret(pin)
        if not needs_rehash(row.pin_hash):
            return str(row.pin), str(row.pin_hash)
        # Hashed under an older cost: dropped, and the next one tried.


def fill_pins(target: int | None = None, budget: float | None = FILL_BUDGET_SECONDS) -> int:
    """Periodic (the worker): hash PINs until ``target`` are ready, or until ``budget``
    seconds are spent (the worker sends nothing meanwhile); returns how many were made.
    Each hash runs outside any transaction; they are committed ten at a time."""
    wanted = settings().prepared_pins if target is None else target
    ready = db.session.scalar(select(func.count()).select_from(PreparedPin)) or 0
    db.session.rollback()
    made = 0
    stop_at = None if budget is None else time.monotonic() + budget
    while ready + made < wanted and (stop_at is None or time.monotonic() < stop_at):
        batch = []
        for _ in range(min(FILL_BATCH, wanted - ready - made)):
            pin = new_pin()
            batch.append(PreparedPin(pin=pin, pin_hash=hash_secret(pin)))
        with atomic():
            db.session.add_all(batch)
        made += len(batch)
    return made
