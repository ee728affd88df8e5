"""Staff and proxy accounts: creation, sign-in with a second factor, first-run set-up.

Sign-in is two steps: the password (:func:`check_password`), then a TOTP code
(:func:`check_second_factor`, or :func:`complete_enrolment` the first time).
Failures count towards a temporary lock that survives restarts and is shared by
every process, because it lives in the database.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

import pyotp
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select, update

from remedy.accounts.staff_sessions import revoke_all
from remedy.audit import log as audit
from remedy.core.actors import OPERATOR, SYSTEM, Actor, ActorKind
from remedy.core.errors import InvalidInput, ServiceError
from remedy.core.extensions import db
from remedy.core.passwords import burn_time, hash_secret, needs_rehash, verify_secret
from remedy.core.settings import settings
from remedy.core.unit_of_work import atomic, transactional
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.types import utcnow
from remedy.models.user import Role, User, new_session_token

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
TOTP_ISSUER = "Remedy"


class SignInFailed(ServiceError):
    """Wrong email, password or code, or a temporarily locked account: told apart to no one."""


def _sign_in_failed() -> SignInFailed:
    return SignInFailed(
        _(
            "That did not work. Check your email, password and code. After several "
            "failed attempts the account is locked for a few minutes."
        )
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def validate_password(password: str, email: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            _("Use a password of at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
            "password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            _("Use a password of at most %(count)d characters.", count=MAX_PASSWORD_LENGTH),
            "password",
        )
    if email and normalise_email(password) == normalise_email(email):
        raise InvalidInput(_("The password must not be your email address."), "password")


def _validate_email(email: str) -> str:
    email = normalise_email(email)
    local, _at, domain = email.partition("@")
    labels = domain.split(".")
    if (
        not local
        or "@" in domain
        or len(labels) < 2
        or not all(labels)
        or len(email) > 254
        or any(c.isspace() for c in email)
        or not email.isprintable()
    ):
        raise InvalidInput(_("Enter a valid email address."), "email")
    return email


def check_oversight_membership(
    role: Role, organisation: Organisation | None, field: str = "organisation"
) -> None:
    """The oversight role reads de-identified figures for an oversight body: only its members
    hold it, so the audit log always says which body looked."""
    if role is Role.OVERSIGHT and (
        organisation is None or organisation.kind is not OrganisationKind.OVERSIGHT_BODY
    ):
        raise InvalidInput(_("The oversight role belongs to members of an oversight body."), field)


@transactional
def create_user(
    actor: Actor,
    email: str,
    password: str,
    role: Role,
    organisation: Organisation | None = None,
    display_name: str | None = None,
) -> User:
    email = _validate_email(email)
    validate_password(password, email)
    if role is Role.PROXY_MEMBER and (
        organisation is None or organisation.kind is not OrganisationKind.NGO
    ):
        raise InvalidInput(_("A proxy member belongs to an NGO organisation."), "organisation")
    if role is Role.REFERRAL_PARTNER and organisation is None:
        raise InvalidInput(
            _("A referral partner belongs to the organisation of the body it answers for."),
            "organisation",
        )
    check_oversight_membership(role, organisation)
    if find_user(email) is not None:
        raise InvalidInput(_("An account with this email already exists."), "email")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_secret(password),
        role=role,
        organisation=organisation,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.create",
        "user",
        user.id,
        after={"role": role, "organisation_id": user.organisation_id},
    )
    return user


def _is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _count_failure(user: User, now: datetime) -> None:
    lockout = settings()
    # Counted in SQL, not from the value loaded earlier: failures in simultaneous requests
    # (other workers) all count. The ORM update also refreshes user.failed_sign_ins.
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_sign_ins=User.failed_sign_ins + 1)
        .execution_options(synchronize_session="fetch")
    )
    if user.failed_sign_ins >= lockout.sign_in_lockout_after:
        user.locked_until = now + lockout.sign_in_lockout
        user.failed_sign_ins = 0
        audit.record(SYSTEM, "user.lock", "user", user.id)


def check_password(email: str, password: str) -> User:
    """First step of sign-in. Raises :class:`SignInFailed` without saying why."""
    user = find_user(email) if len(password) <= MAX_PASSWORD_LENGTH else None
    now = utcnow()
    if user is None:
        burn_time(password[:MAX_PASSWORD_LENGTH])
        raise _sign_in_failed()
    if _is_locked(user, now):
        burn_time(password)
        raise _sign_in_failed()
    if not verify_secret(user.password_hash, password):
        if user.active:
            with atomic():
                _count_failure(user, now)
        raise _sign_in_failed()
    if not user.active:
        # Told only to whoever knows the password: the public learns nothing from it.
        raise SignInFailed(
            _("This account is deactivated. Ask an administrator if you need it again.")
        )
    if needs_rehash(user.password_hash):
        with atomic():
            user.password_hash = hash_secret(password)
    return user


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step a code belongs to (one step of clock drift either way), if unused."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(utcnow())
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record the code's time step unless it, or a later one, is already used. One UPDATE,
    so two simultaneous requests with the same code cannot both pass."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session="fetch")
    )
    # An UPDATE returns a CursorResult, which has rowcount; execute() is typed as Result.
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _finish_second_factor(user: User, code: str, *, enrolling: bool) -> User:
    now = utcnow()
    if user.totp_secret is None or _is_locked(user, now):
        raise _sign_in_failed()
    step = _matching_step(user.totp_secret, code, user.totp_last_step)
    with atomic():
        if step is not None and not _claim_step(user, step):
            step = None  # a simultaneous request used this code first
        if step is None:
            _count_failure(user, now)
        else:
            user.failed_sign_ins = 0
            user.locked_until = None
            user.last_sign_in_at = now
            if enrolling:
                user.totp_enrolled_at = now
                user.enrolment_digest = None  # a reset's set-up link is used up
                user.enrolment_expires_at = None
                audit.record(Actor.for_user(user), "user.enrol_second_factor", "user", user.id)
            audit.record(Actor.for_user(user), "user.sign_in", "user", user.id)
    if step is None:
        raise _sign_in_failed()
    return user


def check_second_factor(user: User, code: str) -> User:
    """Second step of sign-in for an enrolled account."""
    if not user.has_second_factor:
        raise _sign_in_failed()
    return _finish_second_factor(user, code, enrolling=False)


@transactional
def begin_enrolment(user: User) -> str:
    """Give the account a fresh TOTP secret (not yet trusted) and return it."""
    if user.has_second_factor:
        raise InvalidInput(_("This account already has a second factor."))
    user.totp_secret = pyotp.random_base32()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    assert user.totp_secret is not None
    issuer = settings().organisation_name or TOTP_ISSUER
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=issuer)


def complete_enrolment(user: User, code: str) -> User:
    """First sign-in: the code proves the authenticator app holds the secret."""
    if user.has_second_factor:
        raise _sign_in_failed()
    return _finish_second_factor(user, code, enrolling=True)


@transactional
def sign_out_everywhere(user: User) -> None:
    user.session_token = new_session_token()
    revoke_all(user.id)
    audit.record(Actor.for_user(user), "user.sign_out_everywhere", "user", user.id)


@transactional
def change_password(user: User, current: str, new: str) -> None:
    if not verify_secret(user.password_hash, current):
        raise InvalidInput(_("The current password is not right."), "current_password")
    validate_password(new, user.email)
    user.password_hash = hash_secret(new)
    user.session_token = new_session_token()
    revoke_all(user.id)
    audit.record(Actor.for_user(user), "user.change_password", "user", user.id)


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session token, so old sessions die."""
    number, _dot, token = user_id.partition(".")
    if not number.isdigit() or not token:
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    return user


# First run -------------------------------------------------------------------


def admin_exists() -> bool:
    """Any administrator, even a deactivated one: the first-run link must never come back."""
    return bool(db.session.scalar(select(exists().where(User.role == Role.ADMIN))))


def first_admin_token() -> str:
    """Derived from SECRET_KEY: every process prints the same link; dead once an admin exists."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"remedy first admin set-up v1", hashlib.sha256).hexdigest()
    return digest[:40]


def first_admin_token_is_valid(token: str) -> bool:
    return hmac.compare_digest(token.encode(), first_admin_token().encode()) and not admin_exists()


@transactional
def create_first_admin(token: str, email: str, password: str) -> User:
    # The audit append below locks the chain head, so two set-ups cannot both pass.
    audit.record(Actor(ActorKind.OPERATOR, "first-run"), "setup.first_admin", "user")
    if not first_admin_token_is_valid(token):
        raise InvalidInput(_("This set-up link is no longer valid."))
    return create_user(OPERATOR, email, password, Role.ADMIN)


def count_users() -> int:
    return int(db.session.scalar(select(func.count(User.id))) or 0)
