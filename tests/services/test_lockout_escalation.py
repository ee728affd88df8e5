"""A lockout that never shuts its owner out: repeated locks grow, and a guesser who tries
five PINs an hour for a week never closes the owner's ways in (the recovery code on the
receipt, the phone number on file)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remedy.access import case_access
from remedy.access.case_access import MAX_FAILURES, CaseNotFound, lock_duration, open_case
from remedy.access.recovery import use_recovery_code
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails
from remedy.models.pin_lockout import PinLockout
from remedy.models.types import keyring, time_travel
from tests.support import file_grievance

PHONE = "+254700000123"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WEEK_HOURS = 7 * 24
# Free-form patterns over three days: enough for five locks in a row, at a bearable cost.
PATTERN_HOURS = 3 * 24


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    # The guesser spreads over many addresses: only the reference's lock holds it back.
    return {"REMEDY_PIN_LOOKUP_RATE_LIMIT": "100000 per hour"}


@pytest.fixture
def filed(app: Flask) -> Any:
    """Filed on the web, with a phone on file, so both ways in can be tried."""
    return file_grievance(complainant=PersonDetails("Amina", PHONE, "en"))


def wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 10**6:06d}"


def guess(reference: str, pin: str, source: str) -> None:
    with pytest.raises(CaseNotFound):
        open_case(reference, wrong(pin), source)


def test_each_lock_in_a_row_lasts_twice_the_last_up_to_a_day() -> None:
    hours = [lock_duration(count) / timedelta(hours=1) for count in range(1, 9)]
    assert hours == [1, 2, 4, 8, 16, 24, 24, 24]


@pytest.mark.postgres
def test_a_repeated_lock_lasts_longer_and_a_quiet_day_forgets_the_streak(filed: Any) -> None:
    reference = filed.grievance.reference
    with time_travel(START) as move_to:
        now = START
        for count in (1, 2, 3):
            for _ in range(MAX_FAILURES):
                guess(reference, filed.pin, "web:guesser")
            lockout = db.session.get(PinLockout, reference)
            assert lockout is not None
            db.session.refresh(lockout)
            assert lockout.lock_count == count
            assert lockout.locked_until == now + lock_duration(count)
            # Still locked one second before its end, for the owner's right PIN too.
            move_to(lockout.locked_until - timedelta(seconds=1))
            with pytest.raises(CaseNotFound):
                open_case(reference, filed.pin, "web:owner")
            now = lockout.locked_until + timedelta(minutes=1)
            move_to(now)
        move_to(now + timedelta(days=1, minutes=1))
        for _ in range(MAX_FAILURES):
            guess(reference, filed.pin, "web:guesser")
        lockout = db.session.get(PinLockout, reference)
        assert lockout is not None
        db.session.refresh(lockout)
        assert lockout.lock_count == 1


def test_the_owners_visit_between_locks_does_not_shorten_the_next(filed: Any) -> None:
    reference = filed.grievance.reference
    with time_travel(START) as move_to:
        for _ in range(MAX_FAILURES):
            guess(reference, filed.pin, "web:guesser")
        move_to(START + timedelta(hours=2))
        assert open_case(reference, filed.pin, "web:owner") == filed.grievance
        for _ in range(MAX_FAILURES):
            guess(reference, filed.pin, "web:guesser")
        lockout = db.session.get(PinLockout, reference)
        assert lockout is not None
        db.session.refresh(lockout)
        assert lockout.lock_count == 2


def owner_gets_in(reference: str, code: str, phone_hash: str, pin: str) -> tuple[str, str]:
    """Both ways in the owner has, whatever the lock: the recovery code (a new PIN and
    code) and the phone on file; returns the new PIN and code."""
    done = use_recovery_code(reference, code, "web:owner")
    assert done.grievance.reference == reference
    by_phone = open_case(reference, done.pin, f"sms:{phone_hash}", phone_hash=phone_hash)
    assert by_phone.reference == reference
    return done.pin, done.recovery_code


def a_week_of_guessing(filed: Any, guesses_each_hour: list[int], minute: int) -> int:
    """Guess each hour of a week as told, the owner coming in each hour; the PINs the
    guesser had checked."""
    reference = filed.grievance.reference
    phone_hash = keyring().lookup_hash(PHONE)
    pin, code = filed.pin, filed.recovery_code
    checked = 0
    with time_travel(START) as move_to:
        for hour, guesses in enumerate(guesses_each_hour):
            for index in range(guesses):
                move_to(START + timedelta(hours=hour, minutes=minute, seconds=index))
                before = case_access.verify_secret.calls  # type: ignore[attr-defined]
                guess(reference, pin, f"web:10.{hour}.{index}.1")
                checked += case_access.verify_secret.calls - before  # type: ignore[attr-defined]
            move_to(START + timedelta(hours=hour, minutes=59))
            pin, code = owner_gets_in(reference, code, phone_hash, pin)
    return checked


class CountingCheck:
    """verify_secret, counting how often a PIN is really checked."""

    def __init__(self) -> None:
        self.calls = 0
        self.real = case_access.verify_secret

    def __call__(self, stored: str, given: str) -> bool:
        self.calls += 1
        return self.real(stored, given)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingCheck:
    check = CountingCheck()
    monkeypatch.setattr(case_access, "verify_secret", check)
    return check


@pytest.mark.postgres
def test_five_guesses_an_hour_for_a_week_never_shut_the_owner_out(
    filed: Any, counting: CountingCheck
) -> None:
    checked = a_week_of_guessing(filed, [MAX_FAILURES] * WEEK_HOURS, minute=0)
    # Locks of 1, 2, 4, 8, 16 then 24 hours begin at hours 0, 1, 3, 7, 15, 31, 55, 79,
    # 103, 127 and 151: eleven in the week, at most five checks before each. Without
    # the growing locks the guesser would have had 840.
    assert checked <= MAX_FAILURES * 11


@pytest.mark.postgres
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    guesses=st.lists(
        st.integers(min_value=0, max_value=2 * MAX_FAILURES),
        min_size=PATTERN_HOURS,
        max_size=PATTERN_HOURS,
    ),
    minute=st.integers(min_value=0, max_value=58),
)
def test_no_pattern_of_guessing_shuts_the_owner_out(
    app: Flask, counting: CountingCheck, guesses: list[int], minute: int
) -> None:
    """Whatever the guesser does each hour, the owner's ways in work (checked inside)."""
    filed = file_grievance(complainant=PersonDetails("Amina", PHONE, "en"))
    a_week_of_guessing(filed, guesses, minute)
