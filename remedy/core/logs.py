"""Log lines as plain text or JSON (``REMEDY_LOG_FORMAT``), each with the request id.

Every line names the request id bound when it was written (``remedy.core.request_ids``),
so a web request, the outbox rows it queued and the worker's sends are found together.
What goes into a message is the code's business: log ids, states and counts, never
personal data (``tests/test_log_canaries.py`` files grievances on every channel with
canary values and searches every line for them).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from remedy.core.request_ids import current_request_id

FORMATS = ("plain", "json")
PLAIN = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Marks the handler this module installed, so configuring twice changes it in place.
_OURS = "_remedy_handler"


class RequestIdFilter(logging.Filter):
    """Puts the bound request id on each record (``-`` when none is bound), for records
    made before :func:`stamp_records` was installed."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id() or "-"
        return True


def stamp_records() -> None:
    """Every log record takes the request id bound where it is made, whatever handler
    (gunicorn's, pytest's) formats it later, in another context. Installed once."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, _OURS, False):
        return

    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = current_request_id() or "-"
        return record

    setattr(make, _OURS, True)
    logging.setLogRecordFactory(make)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def _request_id(record: logging.LogRecord) -> str | None:
    found = getattr(record, "request_id", None) or current_request_id()
    if found in (None, "-") and record.name == "gunicorn.access" and isinstance(record.args, dict):
        # gunicorn logs after the response, outside the request: the id is its header.
        found = record.args.get("{x-request-id}o")
    return None if found in (None, "-") else str(found)


class PathWithoutQuery(logging.Filter):
    """The development server (werkzeug) logs each request line with its query string,
    where a search may carry a name or a number: log the path alone, as gunicorn does."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                QUERY.sub("", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


# The query string of a request line: "GET /queue?q=Amina HTTP/1.1" -> "GET /queue HTTP/1.1".
QUERY = re.compile(r"(?<=\S)\?\S*(?= HTTP/)")


def formatter(style: str) -> logging.Formatter:
    """The formatter for ``style`` (``plain`` or ``json``)."""
    if style == "json":
        return JsonFormatter()
    return logging.Formatter(PLAIN)


def configure(style: str, level: int | str = logging.INFO) -> logging.Handler:
    """Send the root logger's lines to stderr in ``style``, each with its request id.

    Called by the app factory and the worker; a second call replaces the handler it
    installed the first time rather than adding one.
    """
    stamp_records()
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, PathWithoutQuery) for f in werkzeug.filters):
        werkzeug.addFilter(PathWithoutQuery())
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, _OURS, False)), None)
    if handler is None:
        handler = logging.StreamHandler()
        setattr(handler, _OURS, True)
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    handler.setFormatter(formatter(style))
    root.setLevel(level)
    return handler
