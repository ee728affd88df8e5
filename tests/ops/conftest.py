"""Metrics and worker tests send through the fake Twilio API with the messaging tests'
fixtures (a hand-moved clock, workers on the app's settings)."""

from __future__ import annotations

import pytest
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from tests.messaging.conftest import app_overrides, clock, fake_twilio, make_worker

__all__ = ["app_overrides", "clock", "fake_twilio", "make_worker"]

TOKEN = "metrics-token-" + "m" * 24


@pytest.fixture
def metrics_token(app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    """/metrics served, to requests that bear this token."""
    monkeypatch.setitem(app.config, "REMEDY_METRICS_TOKEN", TOKEN)
    return TOKEN


def samples(exposition: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a scrape, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def value(exposition: str, name: str, **labels: str) -> float | None:
    return samples(exposition).get((name, frozenset(labels.items())))
