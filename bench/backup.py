"""Backups on PostgreSQL: how long create, verify and restore take for N grievances.

Run from the project root: ``.venv/bin/python bench/backup.py --grievances 10000``.

1. **Database and seed.** Those of ``bench/console.py`` (its code, imported): a PostgreSQL
   database created for the run, migrated, then organisations, staff and N grievances with
   their people, tracks, place terms and recent audit events bulk-loaded with ``COPY``.
2. **Measure.** In one process, the functions the commands call (no Flask start-up, which
   costs several seconds on a loaded machine and is the same for any size):
   ``create_backup`` (``pg_dump`` on an exported snapshot, gzip, AES-GCM), ``verify_backup``
   (decrypt, hash every part, ``pg_restore --list``) and ``restore_backup`` into a second,
   empty database (``pg_restore --single-transaction``, counts checked). The bench's audit
   events are not a valid hash chain, so the restore's own audit check is not run here.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on the path, and bench/statistics.py would stand
# in for the standard library's ``statistics`` (which the app imports): move the folder last.
_HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [entry for entry in sys.path if entry not in ("", _HERE)] + [_HERE]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import console as seeding_bench  # noqa: E402
from _support import LOAD, migrate, postgres_admin_url, postgres_database  # noqa: E402
from sqlalchemy import text  # noqa: E402

from remedy.backup.operations import create_backup, restore_backup, verify_backup  # noqa: E402
from remedy.core.crypto import generate_key  # noqa: E402
from remedy.core.extensions import db  # noqa: E402
from remedy.core.sealing import generate_backup_key  # noqa: E402


def timed(work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return round(time.perf_counter() - started, 2), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grievances", type=int, default=10_000)
    parser.add_argument("--postgres-url", default=None, help="a role that may create databases")
    parser.add_argument("--json", type=Path, default=None, help="write the results here too")
    args = parser.parse_args()
    admin_url = postgres_admin_url(args.postgres_url)
    if admin_url is None:
        raise SystemExit("No PostgreSQL server that lets this role create databases.")
    key, secret = generate_key(), generate_key()
    backup_key = generate_backup_key()
    results: dict[str, Any] = {"grievances": args.grievances}
    with (
        postgres_database(admin_url, "backup") as (url, instance),
        postgres_database(admin_url, "restore") as (empty_url, elsewhere),
        tempfile.TemporaryDirectory(prefix="remedy-bench-backup-") as folder,
    ):
        app = seeding_bench.make_app(url, instance, key, secret)
        app.config["REMEDY_BACKUP_KEY"] = backup_key
        migrate(app)
        with app.app_context():
            cast = seeding_bench.seed_staff()
            seeding_bench.seed_grievances(app, cast, args.grievances, random.Random(20261207))
            db.session.remove()
            target = Path(folder) / "remedy.backup"
            results["create_s"], manifest = timed(lambda: create_backup(target))
            results["verify_s"], _ = timed(lambda: verify_backup(target))
            size = db.session.execute(text("SELECT pg_database_size(current_database())"))
            results["database_mb"] = round(size.scalar_one() / 2**20, 1)
            db.engine.dispose()
        results["backup_mb"] = round(target.stat().st_size / 2**20, 1)
        results["counts"] = manifest["counts"]
        other = seeding_bench.make_app(empty_url, elsewhere, key, secret)
        other.config["REMEDY_BACKUP_KEY"] = backup_key
        with other.app_context():
            results["restore_s"], _ = timed(lambda: restore_backup(target))
            db.engine.dispose()
    results["load_before"] = LOAD
    results["versions"] = seeding_bench.versions()
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
