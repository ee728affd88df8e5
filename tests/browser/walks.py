"""Walking a path as one kind of user: on a 390 px phone, in one language, checking every
page as it goes and keeping a screenshot of each.

Each page is checked for what the trials found broken: the language and direction of the
page, nothing wider than the screen, and no sentence left in English. Screenshots are kept
after the run in ``build/screenshots/<test>/`` (or ``REMEDY_SCREENSHOTS``), numbered in the
order they were taken, so a reviewer can page through a walk without running it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import Page

from tests.support import Account

ROOT = Path(__file__).resolve().parents[2]
PHONE_390 = {"width": 390, "height": 844}
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Browser locales per language (the Accept-Language the phone sends).
BROWSER_LOCALES = {"fr": "fr-FR", "ar": "ar", "en": "en-GB", "es": "es-ES", "sw": "sw-KE"}


def screenshot_folder(test_name: str) -> Path:
    base = Path(os.environ.get("REMEDY_SCREENSHOTS", ROOT / "build" / "screenshots"))
    folder = base / re.sub(r"[^\w.-]+", "-", test_name).strip("-")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


# The innermost elements that stick out of the screen, to say what makes a page too wide.
OVERFLOWING = """() => {
  const width = window.innerWidth;
  // The skip link waits off screen until it has the focus: it is meant to.
  const out = [...document.body.querySelectorAll(':not(.skip)')].filter(element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
  });
  return out.filter(element => !out.some(other => other !== element && element.contains(other)))
    .slice(0, 5)
    .map(element => `${element.tagName.toLowerCase()}.${element.className}`);
}"""


# The page's own words: not those marked as another language (a message in the person's).
TEXT_IN_PAGE_LANGUAGE = """() => {
  const language = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const words = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const owner = node.parentElement;
    if (!owner || owner.closest('script, style')) continue;
    const marked = owner.closest('[lang]');
    if (marked && marked.lang !== language) continue;
    words.push(node.data);
  }
  return words.join(' ').replace(/\\s+/g, ' ');
}"""


@cache
def english_sentences(language: str) -> frozenset[str]:
    """Whole English sentences the catalogue translates: seeing one means a page forgot to."""
    path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    found = set()
    for message in catalogue:
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        text = message.id
        if "%(" in text or "<" in text or len(text.split()) < 4:
            continue
        if message.string and message.string != text:
            found.add(text)
    return frozenset(found)


@dataclass
class Walk:
    """One user's way through the site in one language."""

    page: Page
    language: str
    folder: Path
    shots: list[Path] = field(default_factory=list)

    @property
    def direction(self) -> str:
        return "rtl" if self.language == "ar" else "ltr"

    def digits(self, text: str) -> str:
        """What a person types: Arabic-Indic digits on an Arabic phone."""
        return text.translate(ARABIC_INDIC) if self.language == "ar" else text

    def go(self, path: str, name: str) -> None:
        separator = "&" if "?" in path else "?"
        self.page.goto(f"{path}{separator}lang={self.language}")
        self.check(name)

    def check(self, name: str) -> None:
        """The page is in this walk's language and direction, fits the phone, says nothing
        in English, and is kept as a screenshot."""
        page = self.page
        page.wait_for_load_state()
        html = page.locator("html")
        assert html.get_attribute("lang") == self.language, f"{name}: {page.url}"
        assert html.get_attribute("dir") == self.direction, f"{name}: {page.url}"
        wide, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if wide > screen:
            culprits = page.evaluate(OVERFLOWING)
            raise AssertionError(f"{name} is {wide} px wide on a {screen} px screen: {culprits}")
        text = page.evaluate(TEXT_IN_PAGE_LANGUAGE)
        untranslated = sorted(s for s in english_sentences(self.language) if s in text)
        assert not untranslated, f"{name} shows English: {untranslated}"
        shot = self.folder / f"{len(self.shots) + 1:02d}-{name}.png"
        page.screenshot(path=shot, full_page=True)
        self.shots.append(shot)

    def submit(self, form: str = "main form.form") -> None:
        self.page.locator(f"{form} button[type=submit]").first.click()

    def sign_in(self, account: Account, start: str = "/sign-in") -> None:
        """Password, then the authenticator's code, as a member of staff or an NGO does."""
        page = self.page
        self.go(start, "sign-in")
        page.locator("input[name=email]").fill(account.user.email)
        page.locator("input[name=password]").fill(account.password)
        self.submit()
        page.locator("input[name=code]").fill(account.code())
        self.check("second-factor")
        self.submit()
