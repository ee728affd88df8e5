"""Staff and proxy accounts at the service level: creation, both sign-in steps, the lock,
sessions ending, and the first-run set-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from argon2 import PasswordHasher, Type
from flask import Flask
from sqlalchemy import select

from remedy.accounts import users as accounts
from remedy.accounts.users import SignInFailed
from remedy.audit import log as audit
from remedy.core.actors import OPERATOR
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.passwords import needs_rehash
from remedy.models.audit_event import AuditEvent
from remedy.models.organisation import OrganisationKind
from remedy.models.types import utcnow
from remedy.models.user import Role, User
from tests.support import PASSWORD, Account, make_account, make_organisation

OTHER_PASSWORD = "another long passphrase"


def actions(subject_id: int | None = None) -> list[str]:
    """The audit log's actions in order, optionally only those about one user."""
    query = select(AuditEvent).order_by(AuditEvent.seq)
    if subject_id is not None:
        query = query.where(AuditEvent.subject_type == "user").where(
            AuditEvent.subject_id == str(subject_id)
        )
    return [event.action for event in db.session.scalars(query)]


def failure_message(email: str, password: str) -> str:
    """Sign-in must fail; the message it shows."""
    with pytest.raises(SignInFailed) as failure:
        accounts.check_password(email, password)
    return str(failure.value)


def lock_out(account: Account, app: Flask) -> None:
    for _attempt in range(app.config["REMEDY_SIGN_IN_LOCKOUT_AFTER"]):
        with pytest.raises(SignInFailed):
            accounts.check_password(account.user.email, "not the password at all")


# Creating accounts -------------------------------------------------------------


@pytest.mark.parametrize("length", [12, 13, 255, 256])
def test_a_password_of_12_to_256_characters_is_accepted(app: Flask, length: int) -> None:
    user = accounts.create_user(OPERATOR, "handler@example.org", "p" * length, Role.HANDLER)

    assert accounts.check_password("handler@example.org", "p" * length) == user


@pytest.mark.parametrize("length", [0, 11, 257, 1000])
def test_a_password_shorter_than_12_or_longer_than_256_characters_is_refused(
    app: Flask, length: int
) -> None:
    with pytest.raises(InvalidInput) as problem:
        accounts.create_user(OPERATOR, "handler@example.org", "p" * length, Role.HANDLER)

    assert problem.value.field == "password"
    assert accounts.count_users() == 0


def test_the_password_may_not_be_the_email_address(app: Flask) -> None:
    with pytest.raises(InvalidInput, match="must not be your email"):
        accounts.create_user(
            OPERATOR, "longer.name@example.org", "Longer.Name@Example.org", Role.HANDLER
        )


def test_the_password_is_kept_only_as_an_argon2id_hash(app: Flask) -> None:
    user = accounts.create_user(OPERATOR, "handler@example.org", PASSWORD, Role.HANDLER)

    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    "email",
    [
        "",
        "   ",
        "handler.example.org",
        "@example.org",
        "handler@",
        "handler@localhost",
        "handler@.example.org",
        "handler@example.",
        "handler@example..org",
        "hand ler@example.org",
        "handler@example.org\nbcc@evil.example",
        "handler@evil.example@example.org",
        "h" * 250 + "@example.org",
    ],
)
def test_a_malformed_email_address_is_refused(app: Flask, email: str) -> None:
    with pytest.raises(InvalidInput) as problem:
        accounts.create_user(OPERATOR, email, PASSWORD, Role.HANDLER)

    assert problem.value.field == "email"
    assert accounts.count_users() == 0


def test_the_email_address_is_stored_trimmed_and_in_lower_case(app: Flask) -> None:
    user = accounts.create_user(OPERATOR, "  Amina.Otieno@Example.ORG ", PASSWORD, Role.HANDLER)

    assert user.email == "amina.otieno@example.org"


def test_an_email_address_can_be_used_once_whatever_its_case(app: Flask) -> None:
    accounts.create_user(OPERATOR, "amina@example.org", PASSWORD, Role.HANDLER)

    with pytest.raises(InvalidInput, match="already exists") as problem:
        accounts.create_user(OPERATOR, "AMINA@example.org", OTHER_PASSWORD, Role.AUDITOR)

    assert problem.value.field == "email"
    assert accounts.count_users() == 1


@pytest.mark.parametrize(
    "kind", [None, OrganisationKind.COMPANY, OrganisationKind.BUSINESS_PARTNER]
)
def test_a_proxy_member_must_belong_to_an_ngo(app: Flask, kind: OrganisationKind | None) -> None:
    organisation = make_organisation("Not an NGO", kind) if kind else None

    with pytest.raises(InvalidInput, match="NGO") as problem:
        accounts.create_user(
            OPERATOR, "proxy@example.org", PASSWORD, Role.PROXY_MEMBER, organisation
        )

    assert problem.value.field == "organisation"
    assert accounts.count_users() == 0


def test_a_proxy_member_of_an_ngo_is_created(app: Flask) -> None:
    ngo = make_organisation("Friends of the River", OrganisationKind.NGO)

    user = accounts.create_user(OPERATOR, "proxy@example.org", PASSWORD, Role.PROXY_MEMBER, ngo)

    assert user.organisation == ngo
    assert not user.role.is_staff


def test_creating_an_account_is_audited_without_personal_data(app: Flask) -> None:
    user = accounts.create_user(
        OPERATOR, "amina@example.org", PASSWORD, Role.SUPERVISOR, display_name="Amina Otieno"
    )
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.create")).one()

    assert (event.actor_kind, event.actor_id) == ("operator", "cli")
    assert (event.subject_type, event.subject_id) == ("user", str(user.id))
    assert event.after == {"role": "supervisor", "organisation_id": None}
    assert audit.verify_chain().ok


def test_a_refused_account_leaves_no_trace(app: Flask) -> None:
    accounts.create_user(OPERATOR, "amina@example.org", PASSWORD, Role.HANDLER)
    before = actions()

    with pytest.raises(InvalidInput):
        accounts.create_user(OPERATOR, "amina@example.org", OTHER_PASSWORD, Role.HANDLER)

    assert actions() == before
    assert audit.verify_chain().ok


# First step of sign-in: the password ------------------------------------------


def test_the_right_password_passes_the_first_step(app: Flask) -> None:
    account = make_account()

    assert accounts.check_password(account.user.email, PASSWORD) == account.user


def test_the_email_address_is_matched_whatever_its_case_and_spacing(app: Flask) -> None:
    account = make_account("amina@example.org")

    assert accounts.check_password("  Amina@Example.org ", PASSWORD) == account.user


def test_a_wrong_password_fails_and_is_counted(app: Flask) -> None:
    account = make_account()

    with pytest.raises(SignInFailed):
        accounts.check_password(account.user.email, PASSWORD + "!")

    assert account.user.failed_sign_ins == 1
    assert account.user.locked_until is None


def test_fewer_failures_than_the_limit_do_not_lock(app: Flask) -> None:
    account = make_account()
    for _attempt in range(app.config["REMEDY_SIGN_IN_LOCKOUT_AFTER"] - 1):
        with pytest.raises(SignInFailed):
            accounts.check_password(account.user.email, "not the password at all")

    assert accounts.check_password(account.user.email, PASSWORD) == account.user


def test_a_locked_account_refuses_even_the_right_password(app: Flask) -> None:
    account = make_account()
    wrong_password_message = failure_message(account.user.email, "not the password at all")
    for _attempt in range(app.config["REMEDY_SIGN_IN_LOCKOUT_AFTER"] - 1):
        failure_message(account.user.email, "not the password at all")

    assert app.config["REMEDY_SIGN_IN_LOCKOUT_AFTER"] == 5
    assert account.user.locked_until is not None
    assert failure_message(account.user.email, PASSWORD) == wrong_password_message


def test_the_lock_lasts_the_configured_time_and_is_audited(app: Flask) -> None:
    account = make_account()
    before = utcnow()

    lock_out(account, app)

    assert account.user.locked_until is not None
    lockout = app.config["REMEDY_SIGN_IN_LOCKOUT"]
    assert lockout == timedelta(minutes=15)
    assert before + lockout <= account.user.locked_until <= utcnow() + lockout
    assert actions(account.user.id)[-1] == "user.lock"
    assert audit.verify_chain().ok


def test_attempts_during_the_lock_do_not_extend_it(app: Flask) -> None:
    account = make_account()
    lock_out(account, app)
    locked_until = account.user.locked_until

    lock_out(account, app)

    assert account.user.locked_until == locked_until


def test_failures_in_simultaneous_requests_all_count(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parallel guesses from several processes must not slip under the lock."""
    account = make_account()
    email = account.user.email
    check_hash = accounts.verify_secret
    other_request_done = False

    def another_request_fails_meanwhile(stored_hash: str, password: str) -> bool:
        nonlocal other_request_done
        if not other_request_done:
            other_request_done = True
            # Its own application context, so its own database session, as in another worker.
            with app.app_context(), pytest.raises(SignInFailed):
                accounts.check_password(email, "also not the password")
        return check_hash(stored_hash, password)

    monkeypatch.setattr(accounts, "verify_secret", another_request_fails_meanwhile)
    with pytest.raises(SignInFailed):
        accounts.check_password(email, "not the password at all")

    db.session.expire_all()
    assert account.user.failed_sign_ins == 2


def test_the_lock_expires(app: Flask) -> None:
    account = make_account()
    lock_out(account, app)

    account.user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()

    assert accounts.check_password(account.user.email, PASSWORD) == account.user


def test_unknown_email_inactive_account_and_wrong_password_fail_alike(app: Flask) -> None:
    account = make_account("amina@example.org")
    wrong_password = failure_message("amina@example.org", "not the password at all")
    unknown_email = failure_message("nobody@example.org", PASSWORD)
    too_long = failure_message("amina@example.org", "p" * 300)
    account.user.active = False
    db.session.commit()
    inactive = failure_message("amina@example.org", "not the password at all")

    assert unknown_email == inactive == too_long == wrong_password


def test_a_deactivated_account_is_told_so_only_with_its_password(app: Flask) -> None:
    account = make_account("amina@example.org")
    account.user.active = False
    db.session.commit()

    assert "deactivated" in failure_message("amina@example.org", PASSWORD)
    assert "deactivated" not in failure_message("amina@example.org", "not the password at all")


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_sign_in(app: Flask) -> None:
    account = make_account()
    weaker = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1, type=Type.ID)
    account.user.password_hash = weaker.hash(PASSWORD)
    db.session.commit()
    assert needs_rehash(account.user.password_hash)

    accounts.check_password(account.user.email, PASSWORD)

    db.session.expire_all()
    user = db.session.get(User, account.user.id)
    assert user is not None
    assert f"m={app.config['ARGON2_MEMORY_KIB']}" in user.password_hash
    assert not needs_rehash(user.password_hash)
    assert accounts.check_password(account.user.email, PASSWORD) == user


def test_a_wrong_password_leaves_a_weak_hash_alone(app: Flask) -> None:
    account = make_account()
    weak_hash = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1, type=Type.ID).hash(
        PASSWORD
    )
    account.user.password_hash = weak_hash
    db.session.commit()

    failure_message(account.user.email, "not the password at all")

    assert account.user.password_hash == weak_hash


# Second step: TOTP ------------------------------------------------------------


@dataclass
class Clock:
    """The service's idea of now, frozen in the middle of a 30-second TOTP step."""

    now: datetime

    def code(self, account: Account, steps: int = 0) -> str:
        assert account.totp is not None
        return account.totp.generate_otp(account.totp.timecode(self.now) + steps)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock(datetime(2030, 6, 1, 9, 0, 15, tzinfo=UTC))
    monkeypatch.setattr(accounts, "utcnow", lambda: frozen.now)
    return frozen


def enrolling_account(email: str = "new@example.org") -> Account:
    """An account that has passed the password step of its first sign-in."""
    account = make_account(email, enrolled=False)
    secret = accounts.begin_enrolment(account.user)
    return Account(account.user, account.password, pyotp.TOTP(secret))


def test_a_new_account_has_no_second_factor_until_a_code_proves_the_app_has_the_key(
    app: Flask, clock: Clock
) -> None:
    account = enrolling_account()
    assert account.user.totp_secret is not None
    assert not account.user.has_second_factor

    accounts.complete_enrolment(account.user, clock.code(account))

    assert account.user.has_second_factor
    assert account.user.totp_enrolled_at == clock.now
    assert account.user.last_sign_in_at == clock.now
    assert actions(account.user.id)[-2:] == ["user.enrol_second_factor", "user.sign_in"]
    assert audit.verify_chain().ok


def test_enrolment_with_a_wrong_code_is_refused_and_counted(app: Flask, clock: Clock) -> None:
    account = enrolling_account()

    with pytest.raises(SignInFailed):
        accounts.complete_enrolment(account.user, clock.code(account, 5))

    assert not account.user.has_second_factor
    assert account.user.failed_sign_ins == 1


def test_each_enrolment_gets_a_fresh_secret(app: Flask) -> None:
    first = make_account("first@example.org", enrolled=False).user
    second = make_account("second@example.org", enrolled=False).user

    assert accounts.begin_enrolment(first) != accounts.begin_enrolment(second)


def test_an_enrolled_account_cannot_be_enrolled_again(app: Flask, clock: Clock) -> None:
    account = make_account()
    secret = account.user.totp_secret

    with pytest.raises(InvalidInput):
        accounts.begin_enrolment(account.user)
    with pytest.raises(SignInFailed):
        accounts.complete_enrolment(account.user, clock.code(account))

    assert account.user.totp_secret == secret


def test_the_code_step_refuses_an_account_that_has_not_enrolled(app: Flask, clock: Clock) -> None:
    account = enrolling_account()

    with pytest.raises(SignInFailed):
        accounts.check_second_factor(account.user, clock.code(account))

    assert not account.user.has_second_factor


def test_the_provisioning_uri_names_the_issuer_and_the_account(app: Flask) -> None:
    account = enrolling_account("amina@example.org")

    uri = accounts.provisioning_uri(account.user)

    assert uri.startswith("otpauth://totp/")
    assert "amina%40example.org" in uri
    assert f"secret={account.user.totp_secret}" in uri
    assert f"issuer={app.config['REMEDY_ORGANISATION_NAME']}" in uri


@pytest.mark.parametrize("steps", [-1, 0, 1])
def test_a_code_is_accepted_within_one_time_step_either_way(
    app: Flask, clock: Clock, steps: int
) -> None:
    account = make_account()

    assert accounts.check_second_factor(account.user, clock.code(account, steps)) == account.user
    assert account.user.last_sign_in_at == clock.now
    assert actions(account.user.id)[-1] == "user.sign_in"


@pytest.mark.parametrize("steps", [-2, 2])
def test_a_code_two_time_steps_away_is_refused(app: Flask, clock: Clock, steps: int) -> None:
    account = make_account()

    with pytest.raises(SignInFailed):
        accounts.check_second_factor(account.user, clock.code(account, steps))

    assert account.user.failed_sign_ins == 1
    assert account.user.last_sign_in_at is None


def test_a_code_with_spaces_is_accepted(app: Flask, clock: Clock) -> None:
    account = make_account()
    code = clock.code(account)

    assert accounts.check_second_factor(account.user, f" {code[:3]} {code[3:]} ") == account.user


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
def test_a_code_that_is_not_six_digits_is_refused(app: Flask, clock: Clock, code: str) -> None:
    account = make_account()

    with pytest.raises(SignInFailed):
        accounts.check_second_factor(account.user, code)

    assert account.user.failed_sign_ins == 1


def test_the_same_code_is_never_accepted_twice(app: Flask, clock: Clock) -> None:
    account = make_account()
    code = clock.code(account)
    accounts.check_second_factor(account.user, code)

    with pytest.raises(SignInFailed):
        accounts.check_second_factor(account.user, code)


def test_a_code_older_than_the_last_accepted_one_is_refused(app: Flask, clock: Clock) -> None:
    account = make_account()
    accounts.check_second_factor(account.user, clock.code(account, 1))

    with pytest.raises(SignInFailed):
        accounts.check_second_factor(account.user, clock.code(account, 0))


def test_the_same_code_sent_in_two_simultaneous_requests_signs_in_once(
    app: Flask, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = make_account()
    code = clock.code(account)
    find_step = accounts._matching_step
    other_request: list[User] = []

    def another_request_uses_the_code_meanwhile(*args: Any) -> int | None:
        step = find_step(*args)
        if not other_request:
            with app.app_context():  # its own database session, as in another worker
                other = db.session.get(User, account.user.id)
                assert other is not None
                other_request.append(other)
                accounts.check_second_factor(other, code)
        return step

    monkeypatch.setattr(accounts, "_matching_step", another_request_uses_the_code_meanwhile)
    with pytest.raises(SignInFailed):
        accounts.check_second_factor(account.user, code)

    assert len(other_request) == 1  # and it signed in without error
    assert actions(account.user.id).count("user.sign_in") == 1


def test_the_code_used_at_enrolment_cannot_be_replayed(app: Flask, clock: Clock) -> None:
    account = enrolling_account()
    code = clock.code(account)
    accounts.complete_enrolment(account.user, code)

    with pytest.raises(SignInFailed):
        accounts.check_second_factor(account.user, code)

    assert accounts.check_second_factor(account.user, clock.code(account, 1)) == account.user


def test_wrong_codes_count_towards_the_lock(app: Flask, clock: Clock) -> None:
    account = make_account()
    limit = app.config["REMEDY_SIGN_IN_LOCKOUT_AFTER"]
    for steps in range(2, 2 + limit):
        with pytest.raises(SignInFailed):
            accounts.check_second_factor(account.user, clock.code(account, steps))

    assert account.user.locked_until == clock.now + app.config["REMEDY_SIGN_IN_LOCKOUT"]
    with pytest.raises(SignInFailed):
        accounts.check_second_factor(account.user, clock.code(account))
    assert failure_message(account.user.email, PASSWORD) == failure_message(
        "nobody@example.org", "not the password at all"
    )


def test_wrong_passwords_and_wrong_codes_add_up(app: Flask, clock: Clock) -> None:
    account = make_account()
    limit = app.config["REMEDY_SIGN_IN_LOCKOUT_AFTER"]
    for _attempt in range(limit - 1):
        failure_message(account.user.email, "not the password at all")

    with pytest.raises(SignInFailed):
        accounts.check_second_factor(account.user, clock.code(account, 3))

    assert account.user.locked_until is not None


def test_a_right_code_clears_earlier_failures(app: Flask, clock: Clock) -> None:
    account = make_account()
    for _attempt in range(app.config["REMEDY_SIGN_IN_LOCKOUT_AFTER"] - 1):
        failure_message(account.user.email, "not the password at all")

    accounts.check_second_factor(account.user, clock.code(account))

    assert account.user.failed_sign_ins == 0


def test_a_locked_account_can_sign_in_again_once_the_lock_expires(app: Flask, clock: Clock) -> None:
    account = make_account()
    lock_out(account, app)

    account.user.locked_until = clock.now - timedelta(seconds=1)
    db.session.commit()

    assert accounts.check_password(account.user.email, PASSWORD) == account.user
    assert accounts.check_second_factor(account.user, clock.code(account)) == account.user
    assert account.user.locked_until is None


# Sessions ---------------------------------------------------------------------


def test_a_session_id_names_the_account_and_its_current_session_token(app: Flask) -> None:
    account = make_account()

    assert accounts.load_user(account.user.get_id()) == account.user


@pytest.mark.parametrize("session_id", ["", "1", "1.", ".token", "x.token", "1.wrong-token"])
def test_a_malformed_or_stale_session_id_loads_no_one(app: Flask, session_id: str) -> None:
    make_account()

    assert accounts.load_user(session_id) is None


def test_a_deactivated_account_loses_its_sessions(app: Flask) -> None:
    account = make_account()
    session_id = account.user.get_id()

    account.user.active = False
    db.session.commit()

    assert accounts.load_user(session_id) is None


def test_signing_out_everywhere_ends_every_session(app: Flask) -> None:
    account = make_account()
    old_session = account.user.get_id()

    accounts.sign_out_everywhere(account.user)

    assert accounts.load_user(old_session) is None
    assert accounts.load_user(account.user.get_id()) == account.user
    assert actions(account.user.id)[-1] == "user.sign_out_everywhere"


def test_changing_the_password_ends_every_session(app: Flask) -> None:
    account = make_account()
    old_session = account.user.get_id()

    accounts.change_password(account.user, PASSWORD, OTHER_PASSWORD)

    assert accounts.load_user(old_session) is None
    assert accounts.check_password(account.user.email, OTHER_PASSWORD) == account.user
    failure_message(account.user.email, PASSWORD)  # the old password no longer works
    assert actions(account.user.id)[-1] == "user.change_password"
    assert audit.verify_chain().ok


@pytest.mark.parametrize(
    ("current", "new", "field"),
    [
        ("not the password at all", OTHER_PASSWORD, "current_password"),
        (PASSWORD, "too short", "password"),
        (PASSWORD, "handler@example.org", "password"),
    ],
)
def test_a_refused_password_change_changes_nothing(
    app: Flask, current: str, new: str, field: str
) -> None:
    account = make_account("handler@example.org")
    old_session, old_hash = account.user.get_id(), account.user.password_hash

    with pytest.raises(InvalidInput) as problem:
        accounts.change_password(account.user, current, new)

    assert problem.value.field == field
    db.session.expire_all()
    assert account.user.password_hash == old_hash
    assert accounts.load_user(old_session) == account.user


# First run ---------------------------------------------------------------------


def test_the_set_up_token_is_derived_from_the_secret_key(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = accounts.first_admin_token()
    assert accounts.first_admin_token() == token  # every process prints the same link
    assert len(token) == 40
    assert app.config["SECRET_KEY"] not in token

    monkeypatch.setitem(app.config, "SECRET_KEY", "another deployment's secret key")

    assert accounts.first_admin_token() != token


def test_the_set_up_token_works_only_while_no_active_admin_exists(app: Flask) -> None:
    token = accounts.first_admin_token()
    make_account("supervisor@example.org", Role.SUPERVISOR)
    assert accounts.first_admin_token_is_valid(token)
    assert not accounts.first_admin_token_is_valid(token[:-1] + "x")
    assert not accounts.first_admin_token_is_valid("")

    make_account("admin@example.org", Role.ADMIN)

    assert accounts.admin_exists()
    assert not accounts.first_admin_token_is_valid(token)


def test_the_first_admin_is_created_once(app: Flask) -> None:
    token = accounts.first_admin_token()

    admin = accounts.create_first_admin(token, "Admin@Example.org", PASSWORD)

    assert (admin.email, admin.role) == ("admin@example.org", Role.ADMIN)
    assert not admin.has_second_factor
    assert actions()[-2:] == ["setup.first_admin", "user.create"]
    with pytest.raises(InvalidInput, match="no longer valid"):
        accounts.create_first_admin(token, "second@example.org", PASSWORD)
    assert accounts.count_users() == 1
    assert audit.verify_chain().ok


def test_a_wrong_set_up_token_creates_no_one_and_records_nothing(app: Flask) -> None:
    with pytest.raises(InvalidInput):
        accounts.create_first_admin("0" * 40, "admin@example.org", PASSWORD)

    assert accounts.count_users() == 0
    assert actions() == []
