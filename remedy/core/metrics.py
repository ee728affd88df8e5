"""Prometheus metrics counted by the code as things happen, and their exposition.

Counters and histograms live here, at the bottom of the layers, so any feature may count
(the worker its sends, the webhooks their refused signatures, PIN checks their lockouts).
Labels are fixed words (route templates, channels, results), never values a person
typed: a label is stored as is in Prometheus.

Under gunicorn each process counts on its own. With ``PROMETHEUS_MULTIPROC_DIR`` set in
the environment before start (``make run`` does), prometheus_client writes every
process's values to files there, and a scrape sums them (:func:`exposition`). Gauges
read from the database (queue depths, overdue deadlines, heartbeats) are not counted
here: a collector computes them once per scrape (``remedy.ops.collector``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.exposition import generate_latest
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

__all__ = ["CONTENT_TYPE_LATEST", "exposition"]

# The ``_created`` series double the output for a time Prometheus does not need.
disable_created_metrics()  # type: ignore[no-untyped-call]

# This module's own registry (not the library's global one): the process's own metrics
# (CPU, memory) mean little summed over processes, and tests can read it alone.
REGISTRY = CollectorRegistry()

REQUESTS = Counter(
    "remedy_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "remedy_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template, method and status.",
    ["route", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
SENDS = Counter(
    "remedy_outbox_sends",
    "Outbox messages handed to the provider, by channel and result (sent, retry, failed).",
    ["channel", "result"],
    registry=REGISTRY,
)
RETRIES = Counter(
    "remedy_outbox_retries",
    "Sends that failed for now and will be tried again, by channel.",
    ["channel"],
    registry=REGISTRY,
)
SIGNATURE_REFUSALS = Counter(
    "remedy_webhook_signature_refusals",
    "Provider webhooks refused because their signature did not match, by webhook.",
    ["webhook"],
    registry=REGISTRY,
)
PIN_LOCKOUTS = Counter(
    "remedy_pin_lockouts",
    "Cases locked after too many wrong PINs.",
    registry=REGISTRY,
)


class _Chain(Collector):
    """Several collectors read as one, in order."""

    def __init__(self, sources: Iterable[Collector]) -> None:
        self.sources = list(sources)

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


def scrape_registry(
    multiprocess_dir: str | None, extra: Iterable[Collector] = ()
) -> CollectorRegistry:
    """What a scrape reads: the counted metrics (summed over every process when
    ``multiprocess_dir`` is given) followed by ``extra`` collectors'."""
    if multiprocess_dir:
        if not Path(multiprocess_dir).is_dir():
            raise ValueError(f"PROMETHEUS_MULTIPROC_DIR={multiprocess_dir} is not a directory")
        counted: Collector = MultiProcessCollector(None, path=multiprocess_dir)  # type: ignore[no-untyped-call]
    else:
        counted = REGISTRY
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(_Chain([counted, *extra]))
    return scrape


def exposition(multiprocess_dir: str | None, extra: Iterable[Collector] = ()) -> bytes:
    """The text Prometheus scrapes (:func:`scrape_registry`)."""
    return generate_latest(scrape_registry(multiprocess_dir, extra))
