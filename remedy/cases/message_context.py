"""What a step says about the messages it queues, without passing it down every call:
whose SMS it answers (their acknowledgement then stays on the web) and the free-text values
the team wrote in several languages (each recipient is told theirs)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_answering: ContextVar[int | None] = ContextVar("answering_person", default=None)
_in_languages: ContextVar[Mapping[str, Mapping[str, str]] | None] = ContextVar(
    "people_languages", default=None
)


@contextmanager
def answered_in_reply(person_id: int | None) -> Iterator[None]:
    """Steps taken inside this block answer ``person_id``'s SMS: their acknowledgement to
    that person stays on the web status page, the SMS reply says it."""
    token = _answering.set(person_id)
    try:
        yield
    finally:
        _answering.reset(token)


@contextmanager
def told_in_languages(versions: Mapping[str, Mapping[str, str]]) -> Iterator[None]:
    """Messages queued inside this block tell a free-text value (``{"reason": {"fr": …}}``)
    to each recipient in their own language when the team wrote it in that language; the
    value the step was given stays for the others (``remedy.cases.people_texts``)."""
    token = _in_languages.set(versions)
    try:
        yield
    finally:
        _in_languages.reset(token)


def in_language(values: dict[str, Any], language: str) -> dict[str, Any]:
    versions = _in_languages.get() or {}
    return {
        key: versions[key].get(language, value) if key in versions else value
        for key, value in values.items()
    }


def answering_person() -> int | None:
    return _answering.get()
