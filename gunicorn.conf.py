"""gunicorn's settings for ``make run``: the access log, JSON logs when asked, and
metrics summed over every process (docs/operations.md, "Health, metrics and logs").

The access log records the path without its query string, and the request id the app
answered with, so a line here leads to the app's and the worker's lines for the same
request.
"""

import os

from prometheus_client import multiprocess

from remedy.core.logs import JsonFormatter, RequestIdFilter

accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'

# Read here because gunicorn reads this file before the app exists.
_MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")  # noqa: TID251
_JSON = os.environ.get("REMEDY_LOG_FORMAT", "").strip().lower() == "json"  # noqa: TID251

# gunicorn 27 opens a control socket in ~/.gunicorn by default; a service account's home is
# often read-only, so under systemd (RuntimeDirectory=) or the Containerfile it goes to the
# runtime folder. Older gunicorn versions ignore the setting.
_RUNTIME = os.environ.get("RUNTIME_DIRECTORY", "")  # noqa: TID251
if _RUNTIME:
    control_socket = os.path.join(_RUNTIME.split(":")[0], "gunicorn.ctl")

if _JSON:
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "filters": {"request_id": {"()": RequestIdFilter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request_id"],
            },
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        # The app puts its own handler on the root logger (remedy.core.logs.configure).
        "root": {"level": "INFO", "handlers": []},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }


def child_exit(server: object, worker: object) -> None:
    """A web process ended: its live gauges no longer count (prometheus_client's rule)."""
    if _MULTIPROCESS_DIR:
        multiprocess.mark_process_dead(worker.pid, _MULTIPROCESS_DIR)  # type: ignore[attr-defined]
