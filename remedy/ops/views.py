"""``/healthz``, ``/readyz`` and ``/metrics``: for load balancers, orchestrators and
Prometheus, not for people.

``/healthz`` says the process answers, and nothing else (restart it if not).
``/readyz`` says whether it can serve (send traffic elsewhere if not): 503 with the
reasons, fixed words that never carry personal data. Neither sets a cookie nor counts
against a rate limit (the app spares them the browser hooks).

``/metrics`` is served only with ``REMEDY_METRICS_TOKEN`` configured, to requests that
bear it (``Authorization: Bearer <token>``), compared in constant time. Without the
setting the route answers 404, as if it did not exist: nothing is exposed by default.
With it, a missing or wrong token gets 401: the code is public, so the route's existence
is no secret, and 401 tells an operator whose Prometheus is misconfigured what is wrong.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, jsonify, request

from remedy.core.metrics import CONTENT_TYPE_LATEST, exposition
from remedy.ops import readiness
from remedy.ops.collector import DatabaseCollector

bp = Blueprint("ops", __name__)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz() -> Response:
    reasons = readiness.reasons()
    if reasons:
        response = jsonify(status="not ready", reasons=reasons)
        response.status_code = 503
        return _no_store(response)
    return _no_store(jsonify(status="ready"))


def bearer_token_matches(expected: str) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@bp.get("/metrics")
def metrics() -> Response:
    token = current_app.config["REMEDY_METRICS_TOKEN"]
    if not token:
        abort(404)
    if not bearer_token_matches(token):
        response = Response(status=401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return _no_store(response)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    body = exposition(app.config["PROMETHEUS_MULTIPROC_DIR"], [DatabaseCollector(app)])
    return _no_store(Response(body, 200, content_type=CONTENT_TYPE_LATEST))
