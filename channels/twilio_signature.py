"""Twilio webhook authentication, shared by the SMS/WhatsApp and voice channels.

Every request must carry Twilio's ``X-Twilio-Signature``: HMAC-SHA1, keyed
with the auth token, of the public URL Twilio called plus the POST parameters.
The URL is rebuilt from ``REMEDY_PUBLIC_URL`` and the path, not from what
Flask sees, so validation works behind a reverse proxy. Comparing
``AccountSid`` would prove nothing: it is not a secret.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar
from urllib.parse import urlparse

from flask import abort, request
from twilio.request_validator import RequestValidator, add_port, compare, remove_port

from remedy.core.metrics import SIGNATURE_REFUSALS
from remedy.core.settings import settings

F = TypeVar("F", bound=Callable[..., Any])


def public_url() -> str:
    """The URL Twilio called: the configured public origin, this path and query string."""
    url = settings().public_url.rstrip("/") + request.path
    query = request.query_string.decode("latin-1")
    return f"{url}?{query}" if query else url


def signature_is_valid() -> bool:
    token = settings().twilio.auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    # The form MultiDict keeps repeated keys, which Twilio signs with every value.
    validator = _validator(token)
    url = public_url()
    # The library accepts the URL with the port and without it, computing both every time.
    # Twilio signs the URL as configured, so the one of the two that matches it decides
    # almost every request with one HMAC; only a mismatch pays for the full check. What
    # is accepted is exactly what the library accepts.
    parsed = urlparse(url)
    likely = add_port(parsed) if parsed.port else remove_port(parsed)
    if compare(validator.compute_signature(likely, request.form), signature):
        return True
    return bool(validator.validate(url, request.form, signature))


@lru_cache(maxsize=4)
def _validator(token: str) -> RequestValidator:
    """One per auth token, not one per request."""
    return RequestValidator(token)


def twilio_signature_required(view: F) -> F:
    """403 for a missing, forged or tampered signature, before anything is read or written."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not signature_is_valid():
            SIGNATURE_REFUSALS.labels(request.blueprint or "unknown").inc()
            abort(403)
        return view(*args, **kwargs)

    # wraps() keeps the view's signature, which F stands for; mypy cannot see that.
    return wrapper  # type: ignore[return-value]
