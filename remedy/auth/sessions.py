"""Who is signed in, and the 30-minute idle timeout checked on the server."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask, abort, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from remedy.accounts.users import load_user
from remedy.core.extensions import login_manager
from remedy.core.settings import settings
from remedy.models.user import Role, User

P = ParamSpec("P")
R = TypeVar("R")
LAST_SEEN_KEY = "seen"
PENDING_KEY = "pending_user"
PENDING_LIFETIME_SECONDS = 300


def start_session(user: User) -> None:
    """After both factors: a new session (new id, nothing carried over but the language)."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    session.permanent = True
    login_user(user)
    session[LAST_SEEN_KEY] = int(time.time())


def end_session() -> None:
    language = session.get("language")
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


def _enforce_idle_timeout() -> Response | None:
    if request.endpoint == "static" or request.blueprint in COOKIELESS_BLUEPRINTS:
        return None
    if not current_user.is_authenticated:
        return None
    now = int(time.time())
    last = session.get(LAST_SEEN_KEY)
    idle = settings().idle_timeout.total_seconds()
    if not isinstance(last, int) or now - last > idle:
        end_session()
        # Lazy, like Flask-Login's own login_message: the session stores its translated text.
        flash(_l("You were signed out after 30 minutes without activity."), "info")  # type: ignore[arg-type]
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
    app.before_request(_enforce_idle_timeout)
