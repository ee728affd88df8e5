"""gunicorn.conf.py, as ``make run`` starts gunicorn with it: the access log names the
request id and never the query string, JSON logs when asked, and a web process that
ends takes its live gauges with it (prometheus_client's multiprocess rule)."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import runpy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch: pytest.MonkeyPatch, **environ: str) -> dict[str, Any]:
    for name in ("REMEDY_LOG_FORMAT", "PROMETHEUS_MULTIPROC_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_the_access_log_records_the_path_without_query_and_the_request_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conf = load(monkeypatch)

    assert "%(U)s" in conf["access_log_format"]
    assert "%(r)s" not in conf["access_log_format"]  # the request line carries the query
    assert "%(q)s" not in conf["access_log_format"]
    assert "%({x-request-id}o)s" in conf["access_log_format"]
    assert "logconfig_dict" not in conf  # plain: gunicorn's own format


def test_json_logs_configure_gunicorns_loggers(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = load(monkeypatch, REMEDY_LOG_FORMAT="json")
    config = conf["logconfig_dict"]
    stream = io.StringIO()
    config["handlers"]["stdout"]["stream"] = stream
    names = ("", "gunicorn.access", "gunicorn.error")
    saved = {
        name: (logger.handlers[:], logger.level, logger.propagate)
        for name, logger in ((name, logging.getLogger(name)) for name in names)
    }
    try:
        logging.config.dictConfig(config)
        access = logging.getLogger("gunicorn.access")
        access.info(
            '%(h)s "%(m)s %(U)s" %({x-request-id}o)s',
            {"h": "127.0.0.1", "m": "GET", "U": "/healthz", "{x-request-id}o": "abcdef123456"},
        )
    finally:  # the process's logging as it was, for the tests that follow
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate

    line = json.loads(stream.getvalue())
    assert line["message"] == '127.0.0.1 "GET /healthz" abcdef123456'
    assert line["request_id"] == "abcdef123456"


def test_a_web_process_that_ends_takes_its_live_gauges(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    conf = load(monkeypatch, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"")
    (tmp_path / "counter_4242.db").write_bytes(b"")

    conf["child_exit"](None, SimpleNamespace(pid=4242))

    assert sorted(path.name for path in tmp_path.iterdir()) == ["counter_4242.db"]
