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

from flask_babel import gettext as _
from sqlalchemy import func, select

from remedy.accounts.staff_sessions import revoke_all
from remedy.accounts.tokens import revoke_tokens_of
from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.models.organisation import OrganisationKind
from remedy.models.user import Role, User, new_session_token


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
def reset_second_factor(actor: Actor, user: User) -> User:
    """A lost phone: forget the authenticator's secret and sign the account out
    everywhere; at the next sign-in, after the password, it enrols a new authenticator,
    as a new account does."""
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    user.session_token = new_session_token()
    revoke_all(user.id)
    audit.record(actor, "user.reset_second_factor", "user", user.id)
    return user


def enrolment_url() -> str:
    """Where the person sets up a new authenticator: sign in with the password, and the
    next page shows the QR code (the same page as a new account's first sign-in)."""
    return f"{settings().public_url}/sign-in"
