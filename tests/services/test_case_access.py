"""Opening a case with reference and PIN: one answer for every failure, one lockout for
every channel, and no way to shut the owner out for good."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remedy.access import case_access
from remedy.access.case_access import (
    MAX_FAILURES,
    CaseNotFound,
    TooManyAttempts,
    open_case,
    reset_pin,
)
from remedy.core.extensions import db
from remedy.core.passwords import verify_secret
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.models.pin_lockout import PinLockout
from remedy.models.types import keyring
from tests.support import file_grievance

PHONE = "+254700000123"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_PIN_LOOKUP_RATE_LIMIT": "1000 per hour"}


@pytest.fixture
def filed(app: Flask) -> Any:
    return file_grievance(complainant=PersonDetails("Amina", PHONE, "sw"), contact_consent=True)


def wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 10**6:06d}"


def test_the_right_pin_opens_the_case_in_any_typed_form(filed: Any) -> None:
    spaced = display(filed.grievance.reference)
    assert open_case(spaced, filed.pin, "web:1") == filed.grievance
    assert open_case(filed.grievance.reference, f" {filed.pin[:3]} {filed.pin[3:]}", "web:1")


def test_unknown_reference_wrong_pin_and_nonsense_get_the_same_answer(filed: Any) -> None:
    answers = []
    for reference, pin in [
        ("12345678", filed.pin),
        (filed.grievance.reference, wrong(filed.pin)),
        ("not a number", "abc"),
        ("", ""),
    ]:
        with pytest.raises(CaseNotFound) as refused:
            open_case(reference, pin, "web:1")
        answers.append(str(refused.value))
    assert len(set(answers)) == 1


def test_five_wrong_pins_lock_the_reference_for_an_hour_even_with_the_right_pin(
    filed: Any,
) -> None:
    reference = filed.grievance.reference
    for _ in range(MAX_FAILURES):
        with pytest.raises(CaseNotFound):
            open_case(reference, wrong(filed.pin), "web:attacker")
    with pytest.raises(CaseNotFound):
        open_case(reference, filed.pin, "web:owner")

    lockout = db.session.get(PinLockout, reference)
    assert lockout is not None
    assert lockout.locked_until is not None
    lockout.locked_until -= timedelta(hours=1, seconds=1)
    lockout.window_started_at -= timedelta(hours=1, seconds=1)
    db.session.commit()
    assert open_case(reference, filed.pin, "web:owner") == filed.grievance
    db.session.refresh(lockout)
    # Locked in the last day: the owner's success gives a guesser no new tries.
    assert lockout.failures == 1
    assert lockout.lock_count == 1


@pytest.mark.parametrize("refused", ["unknown reference", "wrong PIN", "locked reference"])
def test_every_refusal_costs_one_argon2_computation(
    filed: Any, monkeypatch: pytest.MonkeyPatch, refused: str
) -> None:
    """Same words and same work: the answer's timing must not tell whether the reference
    exists or is locked. Counted, not timed."""
    reference = filed.grievance.reference
    if refused == "unknown reference":
        reference = "12345674"
    if refused == "locked reference":
        for _ in range(MAX_FAILURES):
            with pytest.raises(CaseNotFound):
                open_case(reference, wrong(filed.pin), "web:attacker")
    hashed: list[str] = []
    monkeypatch.setattr(case_access, "burn_time", hashed.append)
    monkeypatch.setattr(case_access, "verify_secret", lambda stored, given: hashed.append(given))

    with pytest.raises(CaseNotFound):
        open_case(reference, wrong(filed.pin), "web:attacker")

    assert hashed == [wrong(filed.pin)]


@pytest.mark.commits
@pytest.mark.postgres
def test_wrong_pins_at_once_are_each_counted_and_only_five_are_checked(
    app: Flask, filed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting a try and deciding the lock is one step: twenty guesses at once from
    twenty sources (each under its own rate limit) cannot all slip past the count."""
    reference = filed.grievance.reference
    checked: list[str] = []
    real_check = case_access.verify_secret

    def check(stored: str, given: str) -> bool:
        checked.append(given)
        return real_check(stored, given)

    monkeypatch.setattr(case_access, "verify_secret", check)
    at_once = threading.Barrier(20)

    def guess(source: int) -> str:
        with app.app_context():
            at_once.wait()
            try:
                open_case(reference, wrong(filed.pin), f"web:10.0.0.{source}")
            except CaseNotFound:
                return "refused"
            finally:
                db.session.remove()
            return "opened"

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(guess, range(20)))

    assert answers == ["refused"] * 20
    db.session.expire_all()
    lockout = db.session.get(PinLockout, reference)
    assert lockout is not None
    assert lockout.failures == 20
    assert lockout.locked_until is not None
    assert len(checked) == MAX_FAILURES


def test_the_number_on_file_is_not_locked_out_by_someone_elses_guessing(filed: Any) -> None:
    reference = filed.grievance.reference
    for _ in range(MAX_FAILURES):
        with pytest.raises(CaseNotFound):
            open_case(reference, wrong(filed.pin), "sms:stranger")
    owner = keyring().lookup_hash(PHONE)
    assert open_case(reference, filed.pin, f"sms:{owner}", phone_hash=owner) == filed.grievance
    with pytest.raises(CaseNotFound):
        open_case(
            reference, filed.pin, "sms:other", phone_hash=keyring().lookup_hash("+254700000999")
        )


def test_failures_below_the_limit_are_forgotten_after_a_success(filed: Any) -> None:
    reference = filed.grievance.reference
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(CaseNotFound):
            open_case(reference, wrong(filed.pin), "web:1")
    open_case(reference, filed.pin, "web:1")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(CaseNotFound):
            open_case(reference, wrong(filed.pin), "web:1")
    assert open_case(reference, filed.pin, "web:1") == filed.grievance


@pytest.mark.parametrize("app_overrides", [{"REMEDY_PIN_LOOKUP_RATE_LIMIT": "3 per hour"}])
def test_each_source_is_rate_limited_across_references(filed: Any) -> None:
    for _ in range(3):
        open_case(filed.grievance.reference, filed.pin, "sms:busy")
    with pytest.raises(TooManyAttempts):
        open_case(filed.grievance.reference, filed.pin, "sms:busy")
    assert open_case(filed.grievance.reference, filed.pin, "sms:quiet") == filed.grievance


def test_a_reset_pin_replaces_the_old_one_and_lifts_the_lock(filed: Any) -> None:
    grievance = filed.grievance
    for _ in range(MAX_FAILURES):
        with pytest.raises(CaseNotFound):
            open_case(grievance.reference, wrong(filed.pin), "web:attacker")
    new = reset_pin(grievance)
    db.session.commit()
    assert verify_secret(grievance.pin_hash, new)
    if new != filed.pin:
        with pytest.raises(CaseNotFound):
            open_case(grievance.reference, filed.pin, "web:owner")
    assert open_case(grievance.reference, new, "web:owner") == grievance


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reference=st.text(max_size=40), pin=st.text(max_size=40))
def test_any_typed_input_is_refused_cleanly(filed: Any, reference: str, pin: str) -> None:
    if pin.strip() == filed.pin:
        return
    with pytest.raises(CaseNotFound):
        open_case(reference, pin, "web:fuzz")
