"""Operations: health and readiness probes, Prometheus metrics, request ids.

An adapter like the console and the API, for the machines that watch a deployment.
"""

from __future__ import annotations

from flask import Flask

from remedy.core.extensions import csrf, limiter
from remedy.ops import requests
from remedy.ops.views import bp


def init_app(app: Flask) -> None:
    requests.init_app(app)
    csrf.exempt(bp)
    limiter.exempt(bp)
    app.register_blueprint(bp)
