"""The JSON API under ``/api/v1``: bearer tokens, marshmallow schemas, OpenAPI 3, and
errors as problem+json. See :mod:`remedy.api.openapi` for the document and docs page."""

from __future__ import annotations

from flask import Flask

from remedy.api import (  # noqa: F401 - registers the routes on the blueprint
    incidents,
    openapi,
    referrals,
    statistics,
    views,
)
from remedy.api.base import bp
from remedy.core.extensions import csrf


def init_app(app: Flask) -> None:
    # Bearer tokens only, never the session cookie: CSRF cannot apply.
    csrf.exempt(bp)
    app.register_blueprint(bp)
