"""The public home page in a real browser, without JavaScript, in every shipped language."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import FloatRect, Locator, Page

from remedy.core.config import LANGUAGES

RIGHT_TO_LEFT = {"ar"}
MIN_TARGET_PX = 44
# Wide enough for the brand and every language link to share the header's first line.
TABLET = {"width": 900, "height": 900}


def box(locator: Locator) -> FloatRect:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return found


def open_home_in(page: Page, code: str) -> None:
    """Open the home page, then choose the language as a person would: by its link."""
    page.goto("/")
    page.locator(f'header nav a[hreflang="{code}"]').click()
    page.wait_for_url(f"**/?lang={code}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_link_opens_the_home_page_in_that_language(
    page: Page, language: str, tmp_path: Path
) -> None:
    page.goto("/")
    english_heading = page.locator("h1").inner_text()

    open_home_in(page, language)

    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language in RIGHT_TO_LEFT else "ltr")
    current = page.locator('header nav a[aria-current="true"]')
    assert current.get_attribute("hreflang") == language
    if language != "en":
        assert page.locator("h1").inner_text() != english_heading, (
            f"the home page heading is not translated into {language!r}"
        )
    page.screenshot(path=tmp_path / f"home-{language}.png", full_page=True)


@pytest.mark.parametrize(("code", "brand_side"), [("en", "left"), ("ar", "right")])
def test_the_header_mirrors_in_right_to_left_languages(
    page: Page, code: str, brand_side: str
) -> None:
    page.set_viewport_size(TABLET)
    open_home_in(page, code)

    brand = box(page.locator("header .brand"))
    languages = box(page.locator("header nav.languages"))

    if brand_side == "right":
        assert brand["x"] >= languages["x"] + languages["width"]
    else:
        assert brand["x"] + brand["width"] <= languages["x"]


@pytest.mark.parametrize(("code", "picto_side"), [("en", "left"), ("ar", "right")])
def test_pictograms_stand_before_their_words_in_reading_order(
    page: Page, code: str, picto_side: str
) -> None:
    open_home_in(page, code)

    promises = page.locator(".promises li")
    assert promises.count() == 4
    for promise in promises.all():
        picto = box(promise.locator("svg.picto"))
        words = box(promise.locator("span"))
        if picto_side == "right":
            assert picto["x"] >= words["x"] + words["width"]
        else:
            assert picto["x"] + picto["width"] <= words["x"]


def small_touch_targets(page: Page) -> list[tuple[str, int, int]]:
    """Links and buttons smaller than a fingertip: (text, width, height) of each."""
    targets = page.locator("header a, header button, main a, main button, footer a, footer button")
    assert targets.count() > 0
    too_small = []
    for target in targets.all():
        size = box(target)
        if size["width"] < MIN_TARGET_PX or size["height"] < MIN_TARGET_PX:
            too_small.append((target.inner_text(), round(size["width"]), round(size["height"])))
    return too_small


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_touch_target_on_the_home_page_is_at_least_44_css_pixels(
    page: Page, language: str
) -> None:
    open_home_in(page, language)

    assert small_touch_targets(page) == []


@pytest.mark.parametrize("path", ["/sign-in", "/no/such/page"])
def test_every_touch_target_on_the_other_public_pages_is_at_least_44_css_pixels(
    page: Page, path: str
) -> None:
    page.goto(path)

    assert small_touch_targets(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_never_scrolls_sideways_on_a_small_phone(page: Page, language: str) -> None:
    open_home_in(page, language)

    # Measured by the test, not by the page: the page itself runs no script.
    page_width, screen_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert page_width <= screen_width


def test_the_stylesheet_loads_and_nothing_is_blocked(page: Page) -> None:
    failures: list[str] = []
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("console", lambda message: failures.append(message.text))

    page.goto("/")

    assert failures == []
    # The stylesheet applied: the language buttons are styled as buttons, not bare links.
    button = box(page.locator("main .language-choice a").first)
    assert button["height"] >= MIN_TARGET_PX
