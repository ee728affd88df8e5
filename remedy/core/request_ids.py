"""The request id: one value that follows a piece of work through every log line.

A web request takes a well-formed ``X-Request-ID`` from the proxy in front (or makes one),
answers with it, and every log line written while it runs carries it. Outbox rows queued
in that request keep it (``outbox_messages.request_id``), and the worker binds it again
while it sends them, so an operator can follow one filing from the webhook to Twilio.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

# Letters, digits and a few separators, as proxies make them (UUIDs, hex, Heroku-style):
# anything else is replaced, so a header can never put text of its choosing in a log line.
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")

_current: ContextVar[str | None] = ContextVar("remedy_request_id", default=None)


def current_request_id() -> str | None:
    """The id bound now, or None outside a request (and outside a send)."""
    return _current.get()


def new_request_id() -> str:
    return secrets.token_hex(16)


def accepted_or_new(header: str | None) -> str:
    """The incoming id when it is well-formed, otherwise a fresh one."""
    if header and WELL_FORMED.fullmatch(header):
        return header
    return new_request_id()


def bind(request_id: str | None) -> Token[str | None]:
    """Bind ``request_id`` until :func:`unbind` is given the token returned."""
    return _current.set(request_id)


def unbind(token: Token[str | None]) -> None:
    _current.reset(token)


@contextmanager
def bound(request_id: str | None) -> Iterator[None]:
    """Log lines written inside carry ``request_id``."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)
