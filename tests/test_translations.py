"""Every shipped language is complete, and every string in the code is in the catalogues."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from remedy.core.config import LANGUAGES, PROJECT_ROOT, TRANSLATIONS_PATH
from remedy.core.i18n import compile_catalogues

# Cheap checks of every catalogue: every language in local runs too.
pytestmark = pytest.mark.every_language

KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def singular(message_id: str | tuple[str, ...]) -> str:
    """A plural entry's id is (singular, plural); the code is looked up by the singular."""
    return message_id if isinstance(message_id, str) else message_id[0]


def load_catalogue(language: str) -> Catalog:
    path = TRANSLATIONS_PATH / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def strings_in_code() -> set[str]:
    with (PROJECT_ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(singular(message))
    return found


@pytest.fixture(scope="module")
def code_strings() -> set[str]:
    return strings_in_code()


def test_every_shipped_language_has_a_catalogue_and_no_stray_one() -> None:
    on_disk = {path.name for path in TRANSLATIONS_PATH.iterdir() if path.is_dir()}
    assert on_disk == set(LANGUAGES)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_catalogue_has_no_untranslated_or_fuzzy_entry(language: str) -> None:
    catalogue = load_catalogue(language)
    incomplete = [
        message.id for message in catalogue if message.id and (not message.string or message.fuzzy)
    ]
    assert incomplete == []
    # A fuzzy header makes `pybabel compile` (make run's compile-translations) skip the
    # whole catalogue.
    assert not catalogue.fuzzy, "the catalogue's header is marked fuzzy"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_string_in_the_code_is_in_the_catalogue(
    language: str, code_strings: set[str]
) -> None:
    catalogued = {singular(message.id) for message in load_catalogue(language) if message.id}
    missing = sorted(code_strings - catalogued)
    assert missing == [], "run `make translations` and translate the new strings"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_translations_keep_the_placeholders_of_the_original(language: str) -> None:
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in load_catalogue(language).check()
        if errors
    ]
    assert problems == []


def test_the_template_matches_the_code(code_strings: set[str]) -> None:
    with (TRANSLATIONS_PATH / "messages.pot").open("rb") as handle:
        template = {singular(message.id) for message in read_po(handle) if message.id}
    assert template == code_strings, "run `make translations`"


def test_compiled_catalogues_are_not_committed() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "--", "*.mo"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert tracked == ""


def test_start_up_compiles_a_missing_or_stale_catalogue(tmp_path: Path) -> None:
    language_dir = tmp_path / "fr" / "LC_MESSAGES"
    language_dir.mkdir(parents=True)
    source = TRANSLATIONS_PATH / "fr" / "LC_MESSAGES" / "messages.po"
    (language_dir / "messages.po").write_bytes(source.read_bytes())

    assert compile_catalogues(tmp_path) == [language_dir / "messages.mo"]
    assert compile_catalogues(tmp_path) == [], "an up-to-date catalogue is left alone"

    later = (language_dir / "messages.mo").stat().st_mtime + 10
    os.utime(language_dir / "messages.po", (later, later))
    assert compile_catalogues(tmp_path) == [language_dir / "messages.mo"]
