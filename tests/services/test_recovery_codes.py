"""Recovery codes: the receipt's one-time code opens the case whatever the lockout, and
nothing else does."""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.access.case_access import MAX_FAILURES, CaseNotFound, TooManyAttempts, open_case
from remedy.access.recovery import (
    ALPHABET,
    InvalidRecoveryCode,
    issue_recovery_code,
    use_recovery_code,
)
from remedy.core.extensions import db
from remedy.core.passwords import verify_secret
from remedy.filing.grievances import PersonDetails
from remedy.models import AuditEvent, Channel, RecoveryCode
from tests.support import file_grievance


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_PIN_LOOKUP_RATE_LIMIT": "1000 per hour"}


@pytest.fixture
def filed(app: Flask) -> Any:
    """Filed on the web without a phone: no SMS can prove the owner."""
    return file_grievance(complainant=PersonDetails("Amina", None, "en"))


def wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 10**6:06d}"


def lock(reference: str, pin: str) -> None:
    for attempt in range(MAX_FAILURES):
        with pytest.raises(CaseNotFound):
            open_case(reference, wrong(pin), f"web:10.0.0.{attempt}")
    with pytest.raises(CaseNotFound):
        open_case(reference, pin, "web:owner")  # locked: even the right PIN is refused


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.PROXY])
def test_filings_with_a_receipt_get_a_recovery_code_kept_only_as_a_hash(
    app: Flask, channel: Channel
) -> None:
    submitted = file_grievance(channel=channel)
    code = submitted.recovery_code
    assert code is not None
    groups = code.split("-")
    assert [len(group) for group in groups] == [4, 4, 4, 4]
    assert set("".join(groups)) <= set(ALPHABET)
    held = db.session.get(RecoveryCode, submitted.grievance.id)
    assert held is not None
    assert held.code_hash == hashlib.sha256("".join(groups).encode()).hexdigest()


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.VOICE, Channel.API])
def test_filings_without_a_printed_receipt_get_none(app: Flask, channel: Channel) -> None:
    submitted = file_grievance(channel=channel)
    assert submitted.recovery_code is None
    assert db.session.get(RecoveryCode, submitted.grievance.id) is None


@pytest.mark.postgres
def test_the_code_opens_a_locked_case_sets_a_new_pin_and_a_new_code(filed: Any) -> None:
    grievance = filed.grievance
    lock(grievance.reference, filed.pin)

    done = use_recovery_code(grievance.reference, filed.recovery_code, "web:owner")

    assert done.grievance == grievance
    assert verify_secret(grievance.pin_hash, done.pin)
    assert done.recovery_code != filed.recovery_code
    with pytest.raises(InvalidRecoveryCode):  # one use only
        use_recovery_code(grievance.reference, filed.recovery_code, "web:owner")
    again = use_recovery_code(grievance.reference, done.recovery_code, "web:owner")
    assert again.grievance == grievance
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_id == grievance.reference)
    ).all()
    assert actions.count("recovery_code.use") == 2


def test_the_lock_stays_for_guessers_after_the_owner_recovered(filed: Any) -> None:
    """The owner's way in gives a guesser no new tries."""
    grievance = filed.grievance
    lock(grievance.reference, filed.pin)
    done = use_recovery_code(grievance.reference, filed.recovery_code, "web:owner")
    with pytest.raises(CaseNotFound):
        open_case(grievance.reference, done.pin, "web:owner")


def test_the_code_may_be_typed_in_small_letters_with_spaces(filed: Any) -> None:
    typed = filed.recovery_code.lower().replace("-", " ")
    assert use_recovery_code(filed.grievance.reference, typed, "web:owner").grievance


@pytest.mark.parametrize(
    ("reference", "code"),
    [
        ("own reference", "ABCD-EFGH-JKMN-PQRS"),
        ("12345674", "own code"),
        ("not a number", "own code"),
        ("own reference", ""),
    ],
)
def test_every_refusal_gets_the_same_answer(filed: Any, reference: str, code: str) -> None:
    reference = filed.grievance.reference if reference == "own reference" else reference
    code = filed.recovery_code if code == "own code" else code
    with pytest.raises(InvalidRecoveryCode) as refused:
        use_recovery_code(reference, code, "web:someone")
    assert refused.value.field == "code"
    assert "do not match" in str(refused.value)


def test_another_cases_code_does_not_open_this_one(filed: Any, app: Flask) -> None:
    other = file_grievance()
    with pytest.raises(InvalidRecoveryCode):
        use_recovery_code(filed.grievance.reference, other.recovery_code, "web:someone")


@pytest.mark.parametrize("app_overrides", [{"REMEDY_PIN_LOOKUP_RATE_LIMIT": "3 per hour"}])
def test_guessing_pins_from_a_shared_address_does_not_spend_the_owners_budget(
    filed: Any,
) -> None:
    for _ in range(3):
        with pytest.raises(CaseNotFound):
            open_case(filed.grievance.reference, wrong(filed.pin), "web:cafe")
    with pytest.raises(TooManyAttempts):
        open_case(filed.grievance.reference, filed.pin, "web:cafe")
    assert use_recovery_code(filed.grievance.reference, filed.recovery_code, "web:cafe")


@pytest.mark.parametrize("app_overrides", [{"REMEDY_PIN_LOOKUP_RATE_LIMIT": "3 per hour"}])
def test_recovery_tries_are_rate_limited_per_source(filed: Any) -> None:
    for _ in range(3):
        with pytest.raises(InvalidRecoveryCode):
            use_recovery_code(filed.grievance.reference, "ABCD-EFGH-JKMN-PQRS", "web:guesser")
    with pytest.raises(TooManyAttempts):
        use_recovery_code(filed.grievance.reference, filed.recovery_code, "web:guesser")
    assert use_recovery_code(filed.grievance.reference, filed.recovery_code, "web:owner")


def test_a_new_code_replaces_the_old_one(filed: Any) -> None:
    newer = issue_recovery_code(filed.grievance)
    db.session.commit()
    with pytest.raises(InvalidRecoveryCode):
        use_recovery_code(filed.grievance.reference, filed.recovery_code, "web:owner")
    assert use_recovery_code(filed.grievance.reference, newer, "web:owner")


@pytest.mark.commits
@pytest.mark.postgres
def test_two_requests_with_the_same_code_at_once_open_the_case_once(app: Flask, filed: Any) -> None:
    """The code is claimed by one UPDATE that names the old hash: only one request wins,
    so one code never yields two PINs."""
    reference, code = filed.grievance.reference, filed.recovery_code
    at_once = threading.Barrier(2)

    def recover(source: int) -> str:
        with app.app_context():
            at_once.wait()
            try:
                use_recovery_code(reference, code, f"web:10.3.3.{source}")
            except InvalidRecoveryCode:
                return "refused"
            finally:
                db.session.remove()
            return "opened"

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = sorted(pool.map(recover, range(2)))

    assert answers == ["opened", "refused"]
