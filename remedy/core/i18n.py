"""Languages: which one a request gets, text direction, and compiling catalogues."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import has_request_context, request, session
from flask_babel import get_locale

from remedy.core.settings import settings

LANGUAGE_SESSION_KEY = "language"


def select_locale() -> str:
    """An explicit choice (``?lang=`` remembered in the session), the browser, the default."""
    languages = settings().languages
    default: str = settings().default_language
    if not has_request_context():
        return default
    chosen = request.args.get("lang", type=str)
    if chosen is not None and chosen in languages:
        session[LANGUAGE_SESSION_KEY] = chosen
        return chosen
    remembered = session.get(LANGUAGE_SESSION_KEY)
    if remembered in languages:
        return str(remembered)
    return str(request.accept_languages.best_match(list(languages), default=default) or default)


def current_language() -> str:
    locale = get_locale()
    return str(locale) if locale else settings().default_language


def language_url(language: str) -> str:
    """This page in another language, keeping its other query parameters (such as ``next``)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [language]
    return "?" + urlencode(args, doseq=True)


def text_direction(language: str) -> str:
    return str(Locale.parse(language).text_direction)


def compile_catalogues(directory: Path) -> list[Path]:
    """Compile each ``.po`` whose ``.mo`` is missing or older; atomic, so no reader sees half."""
    compiled = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalogue = read_po(handle, locale=po_path.parent.parent.name)
        fd, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                write_mo(out, catalogue, use_fuzzy=False)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; the app may run as another user
            os.replace(temporary, mo_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        compiled.append(mo_path)
    return compiled
