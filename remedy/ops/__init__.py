"""Operations: health and readiness probes, Prometheus metrics, request ids.

An adapter like the console and the API, for the machines that watch a deployment.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from remedy.core.extensions import csrf, limiter
from remedy.ops import requests
from remedy.ops.views import bp

PROBES = frozenset({"/healthz", "/readyz", "/metrics"})


class ProbesWithoutSession(SecureCookieSessionInterface):
    """Probes and scrapes get no session: a cookie sent along is not read, none is set
    (not even the refresh a permanent session gets on every request)."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path in PROBES:
            return self.make_null_session(app)
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = ProbesWithoutSession()
    requests.init_app(app)
    csrf.exempt(bp)
    limiter.exempt(bp)
    app.register_blueprint(bp)
