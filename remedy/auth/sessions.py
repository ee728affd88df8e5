"""Who is signed in: sessions kept on the server (``remedy.accounts.staff_sessions``), so
signing out ends every copy of the cookie, with a 30-minute idle timeout and an absolute
lifetime (12 hours by default)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask, abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from remedy.accounts import staff_sessions
from remedy.accounts.staff_sessions import SessionEnd
from remedy.accounts.users import load_user
from remedy.core.extensions import login_manager
from remedy.core.settings import settings
from remedy.core.unit_of_work import atomic
from remedy.models.user import Role, User

P = ParamSpec("P")
R = TypeVar("R")
LAST_SEEN_KEY = "seen"
# The token of the server-side session (its row holds the token's hash).
SESSION_KEY = "sid"
PENDING_KEY = "pending_user"
PENDING_LIFETIME_SECONDS = 300


def start_session(user: User) -> None:
    """After both factors: a new session (new id, nothing carried over but the language)."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    session.permanent = True
    with atomic():
        session[SESSION_KEY] = staff_sessions.open_session(user.id)
    login_user(user)
    session[LAST_SEEN_KEY] = int(time.time())


def end_session() -> None:
    """Sign out: the server forgets the session, so a copy of the cookie is worthless too."""
    language = session.get("language")
    with atomic():
        staff_sessions.revoke(session.get(SESSION_KEY))
    logout_user()
    session.clear()
    if language:
        session["language"] = language


def remember_pending(user: User) -> None:
    """Password checked; the second factor is still to come, within five minutes."""
    session[PENDING_KEY] = {"id": user.get_id(), "at": int(time.time())}


def pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    at = pending.get("at")
    if not isinstance(at, int) or time.time() - at > PENDING_LIFETIME_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    return load_user(str(pending.get("id", "")))


# Blueprints that never use the console's session cookie (bearer tokens, Twilio signatures).
COOKIELESS_BLUEPRINTS = frozenset({"api", "sms", "voice"})


def _ended_message(why: SessionEnd) -> str:
    if why is SessionEnd.EXPIRED:
        hours = max(1, round(settings().session_max_age.total_seconds() / 3600))
        return _(
            "You were signed out: a session lasts at most %(hours)d hours. Please sign in again.",
            hours=hours,
        )
    if why is SessionEnd.IDLE:
        return _("You were signed out after 30 minutes without activity.")
    return _("This session has ended. Please sign in again.")


def _check_session() -> Response | None:
    """Every request with the cookie: the session must still be alive on the server."""
    if request.endpoint == "static" or request.blueprint in COOKIELESS_BLUEPRINTS:
        return None
    if not current_user.is_authenticated:
        return None
    now = int(time.time())
    last = session.get(LAST_SEEN_KEY)
    if not isinstance(last, int) or now - last > settings().idle_timeout.total_seconds():
        ended: SessionEnd | None = SessionEnd.IDLE
    else:
        with atomic():
            ended = staff_sessions.why_ended(session.get(SESSION_KEY), current_user.id)
    if ended is not None:
        end_session()
        flash(_ended_message(ended), "info")
        return redirect(url_for("auth.sign_in", next=request.path))
    session[LAST_SEEN_KEY] = now
    return None


def roles_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """Only signed-in accounts with one of these roles; others get 403."""

    def decorator(view: Callable[P, R]) -> Callable[P, R | Response]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    app.before_request(_check_session)
