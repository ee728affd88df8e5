"""Browser harness: the test app on a live local server, and a headless Debian Chromium.

Every test in this folder is marked ``browser``. They run on SQLite only (the database
is not what they test) and without JavaScript, because the site must work without it.
When Chromium is missing they are skipped, unless ``REMEDY_REQUIRE_BROWSER`` is set.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from tests.browser.walks import BROWSER_LOCALES, PHONE_390, Walk, screenshot_folder

BROWSER_TESTS = Path(__file__).parent
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A small phone: the people this site is for mostly use one.
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_TESTS not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        # The live server answers from its own threads: a database of the test's own.
        item.add_marker(pytest.mark.commits)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("databases", "sqlite") != "sqlite":
            item.add_marker(
                pytest.mark.skip(reason="browser tests run on SQLite only: pages, not storage")
            )


def pytest_report_header() -> str:
    if CHROMIUM:
        return f"browser: {CHROMIUM}"
    return "browser: none (`apt-get install chromium` enables the browser tests)"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if CHROMIUM is None:
        message = "Chromium is not installed: `apt-get install chromium` enables the browser tests."
        if os.environ.get("REMEDY_REQUIRE_BROWSER"):
            pytest.fail(f"REMEDY_REQUIRE_BROWSER is set but {message}", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    assert CHROMIUM is not None
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app on a free local port, for as long as the test runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def context(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    """A fresh profile with JavaScript off and an English-speaking phone."""
    profile = browser.new_context(
        base_url=live_server,
        java_script_enabled=False,
        locale="en-GB",
        viewport=PHONE,
    )
    yield profile
    profile.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(params=["fr", "ar"])
def walk(request: pytest.FixtureRequest, browser: Browser, live_server: str) -> Iterator[Walk]:
    """A phone 390 px wide in French or Arabic, JavaScript off."""
    language: str = request.param
    profile = browser.new_context(
        base_url=live_server,
        java_script_enabled=False,
        locale=BROWSER_LOCALES[language],
        viewport=PHONE_390,
    )
    walking = Walk(profile.new_page(), language, screenshot_folder(request.node.name))
    yield walking
    profile.close()
    assert walking.shots, "a walk keeps its screenshots"
