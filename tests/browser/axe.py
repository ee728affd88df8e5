"""axe-core in the browser tests: the accessibility rules of WCAG 2.1 A and AA, and axe's
best practices, checked on the page as the browser rendered it.

axe-core comes from the npm registry (``package.json`` pins it; ``make node_modules``
installs it). Without it the accessibility checks are skipped with a notice, unless
``REMEDY_REQUIRE_BROWSER`` is set, as in CI.

The site runs no script and the browser tests keep JavaScript off, where axe cannot run
(it waits on timers that never fire). So the page as the test sees it (its DOM, after
whatever the test did) is served again, at the same address with the same stylesheet,
in a separate context with JavaScript on, where axe is added as an init script (which
the Content-Security-Policy does not govern) and run.

Use::

    from tests.browser.axe import assert_accessible

    page.goto("/")
    assert_accessible(page)
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What "accessible" means here: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices
# (landmarks, one main heading, ...), which the site meets too.
RULE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
MISSING = (
    "axe-core is not installed: `make node_modules` (needs npm) enables the accessibility checks."
)


@dataclass(frozen=True)
class Violation:
    """One rule broken on one page, with where (CSS selectors of the offending elements)."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} at {', '.join(self.targets)}"


@functools.cache
def _axe_source() -> str | None:
    if not AXE_SCRIPT.is_file():
        return None
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_source() -> str:
    """axe-core's source; skips the test (or fails it under REMEDY_REQUIRE_BROWSER) if absent."""
    source = _axe_source()
    if source is None:
        if os.environ.get("REMEDY_REQUIRE_BROWSER"):
            pytest.fail(f"REMEDY_REQUIRE_BROWSER is set but {MISSING}", pytrace=False)
        pytest.skip(MISSING)
    return source


_RUN_AXE = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact || "",
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


# One JavaScript-enabled page per browser does every check: a new context each time
# would cost more than the check itself.
_checkers: dict[int, Page] = {}


def _checker(page: Page) -> Page:
    browser = page.context.browser
    assert browser is not None
    checker = _checkers.get(id(browser))
    if checker is None or checker.is_closed():
        context = browser.new_context(java_script_enabled=True)
        context.add_init_script(script=axe_source())
        checker = _checkers[id(browser)] = context.new_page()
    return checker


def axe_violations(page: Page) -> list[Violation]:
    """Every violation axe-core finds on the page as it is now."""
    axe_source()
    html, url = page.content(), page.url
    checker = _checker(page)
    if page.viewport_size:
        checker.set_viewport_size(page.viewport_size)

    def serve(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    def this_page(address: str) -> bool:
        return address == url

    checker.route(this_page, serve)
    try:
        checker.goto(url)
    finally:
        checker.unroute(this_page, serve)
    found: list[dict[str, Any]] = checker.evaluate(_RUN_AXE, list(RULE_TAGS))
    return [
        Violation(item["rule"], item["impact"], item["help"], tuple(item["targets"]))
        for item in found
    ]


def assert_accessible(page: Page) -> None:
    """Fail with one readable line per violation when axe-core finds any on this page."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(map(str, violations))
