# The parts of Flask-Babel 4 that Remedy uses, typed: the package ships no annotations, and
# without them every translated string would be Any. Checked against flask_babel/__init__.py.
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from babel import Locale
from flask import Flask
from flask_babel.speaklater import LazyString as LazyString

class Babel:
    def __init__(
        self,
        app: Flask | None = None,
        date_formats: dict[str, str | None] | None = None,
        configure_jinja: bool = True,
        *args: Any,
        **kwargs: Any,
    ) -> None: ...
    def init_app(
        self,
        app: Flask,
        default_locale: str = "en",
        default_domain: str = "messages",
        default_translation_directories: str = "translations",
        default_timezone: str = "UTC",
        locale_selector: Callable[[], str | Locale | None] | None = None,
        timezone_selector: Callable[[], str | None] | None = None,
    ) -> None: ...

class Domain:
    def __init__(
        self, translation_directories: str | list[str] | None = None, domain: str = "messages"
    ) -> None: ...
    def get_translations(self) -> Any: ...

def get_locale() -> Locale | None: ...
@contextmanager
def force_locale(locale: str | Locale) -> Iterator[None]: ...
def format_datetime(
    datetime: datetime | None = None, format: str | None = None, rebase: bool = True
) -> str: ...
def format_date(
    date: date | datetime | None = None, format: str | None = None, rebase: bool = True
) -> str: ...
def gettext(string: str, /, **variables: Any) -> str: ...
def ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> str: ...
def lazy_gettext(string: str, /, **variables: Any) -> LazyString: ...

_ = gettext

# Incomplete: the names not declared above stay Any.
def __getattr__(name: str) -> Any: ...
