"""PINs hashed ahead of time by the worker: filing takes one (never twice), and falls back to
hashing on the spot when none is ready or the cost has changed since."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from remedy.access.prepared_pins import fill_pins, take_pin
from remedy.core.extensions import db
from remedy.core.passwords import verify_secret
from remedy.jobs.registry import PERIODIC_JOBS
from remedy.models import PreparedPin
from tests.sms.conftest import Phone, file_by_phone

# Prepared PINs are claimed with SKIP LOCKED.
pytestmark = pytest.mark.postgres


def ready() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(PreparedPin)) or 0


def test_the_worker_fills_the_pool_up_to_its_size(app: Flask) -> None:
    assert fill_pins(12) == 12
    assert fill_pins(12) == 0
    assert ready() == 12
    assert "prepared_pins" in {job.name for job in PERIODIC_JOBS}
    pins = db.session.scalars(select(PreparedPin)).all()
    assert all(verify_secret(p.pin_hash, p.pin) for p in pins)
    assert len({p.pin_hash for p in pins}) == 12


def test_the_worker_spends_a_bounded_time_on_it_each_run(app: Flask) -> None:
    """The worker sends nothing while it hashes: each run stops when its time is spent."""
    assert fill_pins(1000, budget=0.0) == 0
    assert ready() == 0


def test_filing_takes_a_prepared_pin_once(app: Flask, phone: Phone) -> None:
    fill_pins(2)
    oldest = db.session.scalars(select(PreparedPin).order_by(PreparedPin.id)).first()
    assert oldest is not None
    prepared = (oldest.pin, oldest.pin_hash)
    filed = file_by_phone(phone)
    assert (filed.pin, filed.grievance.pin_hash) == prepared
    assert ready() == 1


def test_an_empty_pool_still_gives_a_good_pin(app: Flask) -> None:
    pin, pin_hash = take_pin()
    assert len(pin) == 6
    assert pin.isdigit()
    assert verify_secret(pin_hash, pin)


def test_pins_hashed_under_another_cost_are_dropped(app: Flask) -> None:
    fill_pins(3)
    app.config["ARGON2_TIME_COST"] += 1
    pin, pin_hash = take_pin()
    assert verify_secret(pin_hash, pin)
    assert ready() == 0  # all three were hashed under the old cost
    assert f"t={app.config['ARGON2_TIME_COST']}" in pin_hash


def test_a_rolled_back_filing_leaves_its_pin_in_the_pool(app: Flask) -> None:
    fill_pins(1)
    take_pin()
    assert db.session.scalar(select(func.count()).select_from(PreparedPin)) == 0
    db.session.rollback()
    assert ready() == 1
