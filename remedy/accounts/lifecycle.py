"""An account's life after creation: deactivate, reactivate, change its role, unlock it,
reset a lost second factor.

Deactivating ends at once everything the account holds (its server-side sessions and its
API tokens), so someone who left cannot act through a forgotten cookie or script. Two
guards keep the mechanism administrable: the last active administrator is never
deactivated or demoted, and nobody deactivates or demotes themselves by mistake.

Every change is audited. The last-administrator check runs after the audit append, which
locks the chain head: two administrators demoting each other at the same moment are
serialised, and the second sees the first's change and is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from remedy.accounts.staff_sessions import revoke_all
from remedy.accounts.tokens import revoke_tokens_of
from remedy.accounts.users import check_oversight_membership
from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.models.organisation import OrganisationKind
from remedy.models.types import utcnow
from remedy.models.user import Role, User, new_session_token

# How long the set-up link after a reset works: days enough to meet, or to call.
ENROLMENT_LINK_LIFETIME = timedelta(hours=72)
MAX_KEY_LENGTH = 100


class LastAdministrator(InvalidInput):
    """The change would leave no active administrator to manage accounts."""

    status = 409


def active_admins() -> int:
    return int(
        db.session.scalar(
            select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True))
        )
        or 0
    )


def _keep_an_admin() -> None:
    if active_admins() == 0:
        message = _(
            "This is the last active administrator. Make another account an administrator first."
        )
        raise LastAdministrator(message, "user")


def _not_oneself(actor: Actor, user: User, message: str) -> None:
    if actor.staff_user_id == user.id:
        raise InvalidInput(message, "user")


def _end_everything(user: User) -> int:
    """Sign the account out everywhere and revoke its API tokens; returns tokens revoked."""
    user.session_token = new_session_token()
    revoke_all(user.id)
    return revoke_tokens_of(user)


@transactional
def deactivate_user(actor: Actor, user: User) -> User:
    """The account can no longer sign in; its sessions and API tokens end now."""
    _not_oneself(actor, user, _("You cannot deactivate your own account."))
    if not user.active:
        return user
    user.active = False
    revoked = _end_everything(user)
    audit.record(
        actor,
        "user.deactivate",
        "user",
        user.id,
        before={"active": True},
        after={"active": False, "tokens_revoked": revoked},
    )
    if user.role is Role.ADMIN:
        _keep_an_admin()
    return user


@transactional
def reactivate_user(actor: Actor, user: User) -> User:
    """It may sign in again; revoked tokens stay revoked (new ones are issued if needed)."""
    if not user.active:
        user.active = True
        user.failed_sign_ins = 0
        user.locked_until = None
        audit.record(
            actor,
            "user.reactivate",
            "user",
            user.id,
            before={"active": False},
            after={"active": True},
        )
    return user


@transactional
def set_role(actor: Actor, user: User, role: Role) -> User:
    """A new role takes effect at the next request: its sessions end, so pages already open
    do not keep what the old role showed."""
    if role is user.role:
        return user
    _not_oneself(actor, user, _("You cannot change your own role."))
    if (role is Role.PROXY_MEMBER) != (user.role is Role.PROXY_MEMBER):
        raise InvalidInput(
            _("A proxy member's account stays a proxy member's; create a new account."), "role"
        )
    if role is Role.PROXY_MEMBER and (
        user.organisation is None or user.organisation.kind is not OrganisationKind.NGO
    ):
        raise InvalidInput(_("A proxy member belongs to an NGO organisation."), "role")
    check_oversight_membership(role, user.organisation, "role")
    before = user.role
    user.role = role
    user.session_token = new_session_token()
    revoke_all(user.id)
    audit.record(
        actor, "user.set_role", "user", user.id, before={"role": before}, after={"role": role}
    )
    if before is Role.ADMIN:
        _keep_an_admin()
    return user


@transactional
def unlock_user(actor: Actor, user: User) -> User:
    """End a lock after failed sign-ins before it runs out (the person was identified)."""
    if user.locked_until is not None or user.failed_sign_ins:
        before = {"locked_until": user.locked_until, "failed_sign_ins": user.failed_sign_ins}
        user.locked_until = None
        user.failed_sign_ins = 0
        audit.record(actor, "user.unlock", "user", user.id, before=before)
    return user


@transactional
def reset_second_factor(actor: Actor, user: User) -> str:
    """A lost phone: forget the authenticator's secret, sign the account out everywhere,
    and return the key of a set-up link (see :func:`enrolment_url`). Only whoever holds the
    link and the password enrols a new authenticator, within ``ENROLMENT_LINK_LIFETIME``:
    a password that went with the phone is not enough."""
    key = secrets.token_urlsafe(24)
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    user.enrolment_digest = _digest(key)
    user.enrolment_expires_at = utcnow() + ENROLMENT_LINK_LIFETIME
    user.session_token = new_session_token()
    revoke_all(user.id)
    audit.record(
        actor,
        "user.reset_second_factor",
        "user",
        user.id,
        after={"link_expires_at": user.enrolment_expires_at},
    )
    return key


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def enrolment_url(key: str) -> str:
    """The set-up link to hand to the person (as ``flask setup-link`` does for the first
    administrator): it opens the sign-in; after the password comes a new QR code."""
    return f"{settings().public_url}/sign-in/enrol/{key}"


def may_enrol(user: User, key: object) -> bool:
    """Whether the account may enrol now: always when no reset asked for a link (a new
    account), else only with the link's key, before it ends."""
    if user.enrolment_digest is None:
        return True
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        return False
    expires = user.enrolment_expires_at
    return (
        hmac.compare_digest(_digest(key), user.enrolment_digest)
        and expires is not None
        and expires > utcnow()
    )
