"""API tokens: issue, list, revoke, and authenticate a bearer token.

A token is ``rmd_`` followed by 43 URL-safe characters (256 random bits). It is shown
once, when issued; only its SHA-256 is stored. A fast hash is right here because the
token is high-entropy: no dictionary attack applies, and every API request pays for the
check. A token acts as its user, so the user's role and organisation decide what it
sees and does; a revoked or expired token, or one whose user is inactive or locked,
authenticates nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotFound, ServiceError
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import durable, transactional
from remedy.models.api_token import ApiToken
from remedy.models.types import utcnow
from remedy.models.user import User

TOKEN_PREFIX = "rmd_"  # noqa: S105 - a marker, not a secret
SHOWN_PREFIX_LENGTH = 12  # "rmd_" and 8 random characters: enough to tell tokens apart
MAX_NAME_LENGTH = 100
MAX_TOKEN_LENGTH = 200
MAX_LIFETIME = timedelta(days=3650)
# last_used_at is a hint for operators, not a log: write it at most this often per token.
LAST_USED_PRECISION = timedelta(minutes=5)


class TokenRejected(ServiceError):
    """Missing, unknown, revoked or expired token, or an account that may not act now.

    The reason is never told to the caller (one message for all), only to the logs' reader
    through ``reason``, which never holds the token itself.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(_("The API token is missing, unknown, expired or revoked."))
        self.reason = reason


@dataclass(frozen=True)
class IssuedToken:
    """The stored token and its secret: the only moment the secret exists in clear."""

    token: ApiToken
    secret: str


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transactional
def issue_token(
    actor: Actor, user: User, name: str | None = None, lifetime: timedelta | None = None
) -> IssuedToken:
    """A new token for ``user``; ``lifetime`` None means the configured default
    (``REMEDY_TOKEN_DAYS``, 90 days): a forgotten token should not work for ever. Tokens
    issued before expiry was the default may have none; they keep working until revoked."""
    name = " ".join((name or "").split()) or "api"
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_NAME_LENGTH), "name"
        )
    if lifetime is None:
        lifetime = settings().token_lifetime
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise InvalidInput(_("A token lasts from 1 day to 10 years."), "expires")
    if not user.active:
        raise InvalidInput(_("This account is deactivated."), "user")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        token_hash=token_hash(secret),
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor,
        "api_token.create",
        "user",
        user.id,
        after={
            "token_id": token.id,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
        },
    )
    return IssuedToken(token, secret)


def list_tokens(user: User | None = None, include_revoked: bool = False) -> list[ApiToken]:
    query = select(ApiToken).order_by(ApiToken.id)
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    if not include_revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return list(db.session.scalars(query))


def revoke_tokens_of(user: User) -> int:
    """Revoke every token the account holds, at once (joins the caller's unit of work, which
    audits why); returns how many were still usable."""
    revoked = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    # An UPDATE returns a CursorResult, which has rowcount; execute() is typed as Result.
    return int(revoked.rowcount)  # type: ignore[attr-defined]


@transactional
def revoke_token(actor: Actor, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(_("There is no API token with this number."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            actor,
            "api_token.revoke",
            "user",
            token.user_id,
            after={"token_id": token.id, "prefix": token.prefix},
        )
    return token


def authenticate(secret: str | None) -> ApiToken:
    """The usable token for this secret, with its user; raises :class:`TokenRejected`."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        raise TokenRejected("malformed")
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    now = utcnow()
    if token is None:
        raise TokenRejected("unknown")
    if not token.is_usable(now):
        raise TokenRejected("revoked or expired")
    user = token.user
    if not user.active or (user.locked_until is not None and user.locked_until > now):
        raise TokenRejected("account inactive or locked")
    _note_use(token)
    return token


def _note_use(token: ApiToken) -> None:
    """Record when the token was last used, in its own small commit, at most every few
    minutes: a conditional UPDATE, so concurrent requests never conflict over it."""
    now = utcnow()
    stale = now - LAST_USED_PRECISION
    with durable():
        db.session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token.id,
                or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < stale),
            )
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
