"""``flask metrics``: the Prometheus metrics without the web app's token.

``metrics show`` prints one scrape (what ``/metrics`` answers). ``metrics serve`` answers
scrapes on a port of the loopback interface only, for a Prometheus (or an agent) on the
same machine: no token is needed there, and ``REMEDY_METRICS_TOKEN`` may stay unset, so
``/metrics`` on the public site answers 404. Run it with the same
``PROMETHEUS_MULTIPROC_DIR`` as gunicorn and the worker to sum their counts.
"""

from __future__ import annotations

import contextlib
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import click
from flask import current_app
from flask.cli import with_appcontext
from prometheus_client import make_wsgi_app

from remedy.core.metrics import exposition, scrape_registry
from remedy.ops.collector import DatabaseCollector

LOOPBACK = "127.0.0.1"


class _Quiet(WSGIRequestHandler):
    """No line per scrape on the terminal."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@click.group("metrics")
def metrics() -> None:
    """Prometheus metrics, printed or served on the loopback interface."""


def _collectors() -> tuple[str | None, list[DatabaseCollector]]:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return app.config["PROMETHEUS_MULTIPROC_DIR"] or None, [DatabaseCollector(app)]


@metrics.command("show")
@with_appcontext
def show() -> None:
    """Print one scrape, as /metrics would answer it."""
    directory, extra = _collectors()
    click.echo(exposition(directory, extra).decode(), nl=False)


@metrics.command("serve")
@click.option("--port", default=9464, show_default=True, help="Port on 127.0.0.1.")
@with_appcontext
def serve(port: int) -> None:
    """Answer scrapes on 127.0.0.1:PORT until stopped (Ctrl-C)."""
    directory, extra = _collectors()
    application = make_wsgi_app(scrape_registry(directory, extra))
    with make_server(LOOPBACK, port, application, handler_class=_Quiet) as server:
        click.echo(f"Metrics on http://{LOOPBACK}:{port}/metrics (Ctrl-C stops).")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
