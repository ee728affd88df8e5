"""Every request's id and its metrics, hooked on Flask's request signals.

Signals rather than ``before_request`` hooks: they run for every request, those the
provider webhooks spare the browser hooks (``channels.browser_hooks``) and those a hook
answered early (CSRF, rate limit) included, and ``request_finished`` sees the final
response, error pages too.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g, request, request_finished, request_started
from flask.signals import request_tearing_down

from remedy.core.metrics import LATENCY, REQUESTS
from remedy.core.request_ids import accepted_or_new, bind, unbind

HEADER = "X-Request-ID"
# Methods counted by name; anything else is "other", so a client cannot add label values.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _started(sender: Flask, **extra: Any) -> None:
    g.remedy_request_id = accepted_or_new(request.headers.get(HEADER))
    g.remedy_request_token = bind(g.remedy_request_id)
    g.remedy_request_started = time.perf_counter()


def _finished(sender: Flask, response: Response, **extra: Any) -> None:
    request_id = g.get("remedy_request_id")
    if request_id:
        response.headers[HEADER] = request_id
    started = g.get("remedy_request_started")
    if started is None:
        return
    # The route's template (/case/<reference>), never the path a person's browser asked for.
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    method = request.method if request.method in METHODS else "other"
    status = str(response.status_code)
    REQUESTS.labels(route, method, status).inc()
    LATENCY.labels(route, method, status).observe(time.perf_counter() - started)


def _tearing_down(sender: Flask, **extra: Any) -> None:
    token = g.pop("remedy_request_token", None)
    if token is not None:
        unbind(token)


def init_app(app: Flask) -> None:
    request_started.connect(_started, app)
    request_finished.connect(_finished, app)
    request_tearing_down.connect(_tearing_down, app)
