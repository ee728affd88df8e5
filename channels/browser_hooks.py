"""Provider webhooks skip the app-wide hooks that serve people's browsers.

Twilio's requests are signed (``twilio_signature``), carry no cookie and no form
token, and are exempt from CSRF and from rate limits. Yet every app-wide hook still
ran for each of them, only to find that out: the CSRF check, Flask-Limiter's check,
header injection and context release, the sign-in idle timeout, Flask-Login's
remember cookie. Together about a sixth of the webhook's CPU (see bench/sms_cpu.py).
The app passes the hooks to keep (the security headers, on every response).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, MutableMapping
from functools import wraps
from typing import Any

from flask import Flask, request


def spare_from_browser_hooks(
    app: Flask, blueprint: str, kept: Collection[Callable[..., Any]]
) -> None:
    """The app-wide hooks registered so far, but ``kept``, skip requests routed to
    ``blueprint``."""
    _guard(app.before_request_funcs, blueprint, kept, hands_on=False)
    _guard(app.after_request_funcs, blueprint, kept, hands_on=True)  # hands the response on
    _guard(app.teardown_request_funcs, blueprint, kept, hands_on=False)


def _guard(
    hooks: MutableMapping[str | None, list[Any]],
    blueprint: str,
    kept: Collection[Callable[..., Any]],
    hands_on: bool,
) -> None:
    hooks[None] = [
        hook if hook in kept else _skipping(hook, blueprint, hands_on)
        for hook in hooks.get(None, [])
    ]


def _skipping(hook: Callable[..., Any], blueprint: str, hands_on: bool) -> Callable[..., Any]:
    @wraps(hook)
    def guarded(*args: Any) -> Any:
        if request.blueprint == blueprint:
            return args[0] if hands_on else None
        return hook(*args)

    return guarded
