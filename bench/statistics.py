"""The public statistics with 1,000,000 grievances on PostgreSQL: p50/p95/p99 per request.

Run from the project root: ``.venv/bin/python bench/statistics.py`` (``--help`` for options;
``--grievances 100000`` for a shorter run).

1. **Database and seed.** Those of ``bench/console.py`` (its code, imported): a PostgreSQL
   database created for the run and dropped after it unless ``--keep``, migrated with
   the real migrations; grievances, people, tracks, place terms and the last 120 days
   of state-change audit events bulk-loaded with ``COPY``, then ``VACUUM ANALYZE``. Two
   organisations agree to be named. ``--reuse URL`` measures a database kept by an
   earlier run of either benchmark. (No check-ins or appeals are seeded: those tables are
   small beside the grievances and their queries use their own indexes.)
2. **Counting.** ``remedy.statistics.counts.count_all`` alone, ``--recount`` times: the cost
   paid by the one request that finds the kept counts older than
   ``REMEDY_STATISTICS_MAX_AGE`` (15 minutes) and counts again.
3. **Requests.** Through the Flask test client (the whole request: language, figures
   read from ``statistics_snapshots``, tables, suppression, SVG, template; no gunicorn):
   ``/statistics`` in English and Arabic, ``/statistics.csv`` and
   ``GET /api/v1/statistics`` without a token, each ``--repeat`` times after a warm-up,
   interleaved. These are what DESIGN §7's 300 ms is about: every request but one per
   15 minutes reads kept counts.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder comes first on the path, and this file would stand in for
# the standard library's ``statistics`` (which the app imports): move the folder last.
_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [entry for entry in sys.path if entry not in ("", _HERE)] + [_HERE]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import base64  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import console as seeding_bench  # noqa: E402
from _support import LOAD, as_psycopg, migrate, postgres_admin_url, postgres_database  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from remedy.core.crypto import generate_key  # noqa: E402
from remedy.core.extensions import db  # noqa: E402
from remedy.models import Grievance, Organisation  # noqa: E402
from remedy.statistics.counts import count_all  # noqa: E402

PATHS = {
    "page en": "/statistics?lang=en",
    "page ar": "/statistics?lang=ar",
    "csv": "/statistics.csv",
    "api": "/api/v1/statistics",
}


def opt_in(app: Flask, how_many: int = 2) -> list[str]:
    with app.app_context():
        chosen = db.session.scalars(select(Organisation).order_by(Organisation.id).limit(how_many))
        names = []
        for organisation in chosen:
            organisation.publish_statistics = True
            names.append(organisation.name)
        db.session.commit()
        return names


def timed(run: Callable[[], Any], times: int) -> list[float]:
    found = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        found.append((time.perf_counter() - started) * 1000)
    return found


def measure(app: Flask, args: argparse.Namespace) -> dict[str, Any]:
    with app.app_context():
        grievances = db.session.scalar(select(func.count()).select_from(Grievance))
        recount = timed(lambda: count_all(), args.recount)
        db.session.remove()
    client = app.test_client()

    def get(path: str) -> Callable[[], Any]:
        def run() -> Any:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return run

    sizes = {name: len(get(path)().data) for name, path in PATHS.items()}  # counts kept
    for _ in range(args.warm_up):
        for path in PATHS.values():
            get(path)()
    timings: dict[str, list[float]] = {name: [] for name in PATHS}
    for _ in range(args.repeat):
        for name, path in PATHS.items():  # interleaved
            timings[name] += timed(get(path), 1)
    every = [value for values in timings.values() for value in values]
    return {
        "grievances": grievances,
        "recount_ms": seeding_bench.percentiles(recount),
        "requests_ms": {name: seeding_bench.percentiles(v) for name, v in timings.items()},
        "every_request_ms": seeding_bench.percentiles(every),
        "bytes": sizes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grievances", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50, help="timed runs of each request")
    parser.add_argument("--warm-up", type=int, default=3)
    parser.add_argument("--recount", type=int, default=3, help="timed counts from scratch")
    parser.add_argument("--postgres-url", default=None, help="a role that may create databases")
    parser.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    parser.add_argument("--reuse", default=None, help="measure a database kept earlier (URL)")
    parser.add_argument("--json", type=Path, default=None, help="write the results here too")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="remedy-bench-statistics-"))
    state_file = Path(tempfile.gettempdir()) / "remedy-bench-console.json"
    seeding: dict[str, Any] = {}
    if args.reuse:
        saved = json.loads(state_file.read_text())
        app = seeding_bench.make_app(
            as_psycopg(args.reuse), instance, saved["key"], saved["secret"]
        )
        report(app, args, saved["seeding"])
        return
    admin_url = postgres_admin_url(args.postgres_url)
    if admin_url is None:
        raise SystemExit("No PostgreSQL server that lets this role create databases.")
    with postgres_database(admin_url, "statistics", args.keep) as (url, _folder):
        key, secret = generate_key(), base64.urlsafe_b64encode(os.urandom(32)).decode()
        app = seeding_bench.make_app(url, instance, key, secret)
        started = time.perf_counter()
        migrate(app)
        with app.app_context():
            cast = seeding_bench.seed_staff()
            seeding = seeding_bench.seed_grievances(
                app, cast, args.grievances, random.Random(20261207)
            )
            db.session.remove()
        seeding["total"] = time.perf_counter() - started
        if args.keep:
            state_file.write_text(
                json.dumps(
                    {"key": key, "secret": secret, "cast": cast.__dict__, "seeding": seeding}
                )
            )
        report(app, args, seeding)


def report(app: Flask, args: argparse.Namespace, seeding: dict[str, Any]) -> None:
    named = opt_in(app)
    result = {
        "when": seeding_bench.NOW.isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_before": LOAD,
            "load_after": None,
        },
        "versions": seeding_bench.versions(),
        "seeding_seconds": {k: round(v, 1) for k, v in seeding.items() if isinstance(v, float)},
        "organisations_named": named,
        **measure(app, args),
    }
    result["machine"]["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
