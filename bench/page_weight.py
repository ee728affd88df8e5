"""Bytes on the wire of every public page, in every shipped language.

Run from the project root: ``.venv/bin/python bench/page_weight.py`` (``--json FILE`` to
keep the numbers too). Exits with 1 when a page weighs 50 KB or more.

Every page of the public site is reached as a person reaches it (tests/web/tour.py: each
filing step, a step with errors, the review, the result and the receipt, a case with a
proposal, a question about a delivered remedy, an appeal, the PIN reset, the error page),
in a fresh SQLite database migrated with the real migrations, through the app itself (the
Flask test client: no network, so the numbers are the app's, not the network's).

Counted: the status line, the headers and the body of the page, plus the stylesheet (the
one file every page loads; the site loads no script, no font and no image). The app does
not compress responses (neither does gunicorn), so the bytes are raw; the gzip column says
what a compressing proxy in front would send. A production server adds a few headers (Date,
Server, Connection: under 100 bytes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _support  # noqa: E402 - the benchmarks' shared helpers (bench/ is on sys.path)
from _support import FAST_HASHING  # noqa: E402
from flask import Flask  # noqa: E402

from remedy.core.config import LANGUAGES  # noqa: E402
from remedy.core.extensions import db  # noqa: E402
from tests.support import IsolatedClient  # noqa: E402
from tests.web.tour import Visited, head_size, walk  # noqa: E402
from tests.workflows.scenarios import Scenario  # noqa: E402

BUDGET = 50 * 1024


def make_app(folder: Path) -> Flask:
    return _support.make_app(
        f"sqlite:///{folder / 'weight.db'}",
        folder,
        # The tour opens many cases from one address: weight, not guessing, is measured.
        RATELIMIT_ENABLED=False,
        **FAST_HASHING,
    )


def measure() -> tuple[dict[str, list[Visited]], int, int]:
    """Each language's pages, and the stylesheet's raw and gzip sizes (head included)."""
    with tempfile.TemporaryDirectory(prefix="remedy-weight-") as folder:
        app = make_app(Path(folder))
        # Each request in its own app context, as in production: nothing cached in ``g``
        # (the CSRF token, the locale) carries over from one language's visitor to the next.
        app.test_client_class = IsolatedClient
        with app.app_context():
            scenario = Scenario.create()
            tours = {code: walk(app.test_client(), scenario, code) for code in LANGUAGES}
            css = app.test_client().get("/static/remedy.css")
            css_raw = head_size(css) + len(css.get_data())
            css_gzip = head_size(css) + len(gzip.compress(css.get_data(), 6))
            db.session.remove()
            db.engine.dispose()
    return tours, css_raw, css_gzip


def expected_status(name: str) -> int:
    return 404 if name == "not found" else 400 if "error" in name else 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args(argv)

    tours, css_raw, css_gzip = measure()
    names = [page.name for page in next(iter(tours.values()))]
    rows: dict[str, dict[str, dict[str, int]]] = {}
    for code, pages in tours.items():
        for page in pages:
            raw = page.head + len(page.body)
            packed = page.head + len(gzip.compress(page.body, 6))
            rows.setdefault(page.name, {})[code] = {
                "status": page.status,
                "page": raw,
                "with_stylesheet": raw + css_raw,
                "gzip_with_stylesheet": packed + css_gzip,
            }
    wrong = [
        f"{name} ({code}): {cell['status']}"
        for name, row in rows.items()
        for code, cell in row.items()
        if cell["status"] != expected_status(name)
    ]
    if wrong:
        print("Some pages did not open as expected:", ", ".join(wrong), file=sys.stderr)
        return 1
    heaviest = max(cell["with_stylesheet"] for row in rows.values() for cell in row.values())

    print(f"Page weight, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: raw bytes (the app does not")
    print("compress), page + stylesheet; in brackets what gzip would send. Budget 50 KB = 51200.")
    print(f"Stylesheet alone: {css_raw} bytes raw ({css_gzip} gzip).\n")
    print("| page | " + " | ".join(LANGUAGES) + " |")
    print("|---|" + "---:|" * len(LANGUAGES))
    for name in names:
        cells = [
            "{with_stylesheet:,} ({gzip_with_stylesheet:,})".format(**rows[name][code])
            for code in LANGUAGES
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\nHeaviest: {heaviest:,} bytes ({heaviest / 1024:.1f} KB) of {BUDGET:,}.")
    if args.json:
        args.json.write_text(
            json.dumps({"stylesheet": css_raw, "budget": BUDGET, "pages": rows}, indent=2)
        )
    if heaviest >= BUDGET:
        print("Over budget.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
