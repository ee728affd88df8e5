"""Searching encrypted places: a blind index of keyed hashes, one per normalised word.

A place ("Kisumu, near the old mill") is stored encrypted, so the database cannot
search it. Each of its words is normalised (case folded, accents dropped) and stored
as an HMAC under the look-up key (the key phone numbers are hashed with, prefixed so
the two never compare). A search hashes the words it is given the same way and finds
grievances holding every one of them: whole words only, no prefixes or typos.

Someone holding the database but not the key sees which grievances share a word, not
the word. Rows hashed under an older key are still found while that key is configured;
after a key rotation, :func:`renew_place_terms` hashes them again under the new one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, insert, intersect, select

from remedy.core.crypto import DataKey, Keyring
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.models.grievance import Grievance
from remedy.models.queue import PlaceTerm
from remedy.models.types import keyring

MIN_WORD_LENGTH = 2
MAX_TERMS = 64  # a place is at most 500 characters
MAX_SEARCH_WORDS = 8
TERM_LENGTH = 32  # hex characters kept of the HMAC (128 bits)
BATCH = 500
_WORD = re.compile(r"\w+")


def place_words(text: str | None) -> list[str]:
    """The distinct searchable words of a place, normalised, in order of appearance."""
    if not text:
        return []
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = [word for word in _WORD.findall(plain) if len(word) >= MIN_WORD_LENGTH]
    return list(dict.fromkeys(words))[:MAX_TERMS]


def term_for(word: str, ring: Keyring | None = None, key: DataKey | None = None) -> str:
    return (ring or keyring()).lookup_hash(f"place:{word}", key)[:TERM_LENGTH]


def terms_for(words: Iterable[str], ring: Keyring | None = None) -> list[str]:
    """What is stored for these words (under the current key)."""
    return [term_for(word, ring) for word in words]


def index_place(grievance: Grievance, *, new: bool = False) -> None:
    """(Re)write the grievance's place terms; call whenever its place is set or changes.

    Joins the caller's unit of work; the grievance must have been flushed (it needs an id).
    ``new``: it was recorded in this unit of work, so it has no terms to remove yet (one
    statement less on every filing, the SMS webhook's costliest answer).
    """
    if not new:
        db.session.execute(delete(PlaceTerm).where(PlaceTerm.grievance_id == grievance.id))
    terms = sorted(set(terms_for(place_words(grievance.location))))
    if terms:
        db.session.execute(
            insert(PlaceTerm), [{"grievance_id": grievance.id, "term": term} for term in terms]
        )


def matching_place(text: str) -> Select[Any] | None:
    """Ids of grievances whose place holds every word of ``text``; None if it has no word."""
    words = place_words(text)[:MAX_SEARCH_WORDS]
    if not words:
        return None
    ring = keyring()
    per_word = [
        select(PlaceTerm.grievance_id).where(
            PlaceTerm.term.in_({term_for(word, ring, key) for key in ring.keys})
        )
        for word in words
    ]
    if len(per_word) == 1:
        return per_word[0]
    return select(intersect(*per_word).subquery().c[0])


def renew_place_terms() -> int:
    """Hash every place again under the current key (after a key rotation); batches commit."""
    renewed, last = 0, 0
    while True:
        batch = db.session.scalars(
            select(Grievance)
            .where(Grievance.id > last, Grievance.location.is_not(None))
            .order_by(Grievance.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return renewed
        with atomic():
            for grievance in batch:
                index_place(grievance)
        renewed += len(batch)
        last = batch[-1].id
        db.session.expunge_all()
