"""Search in the team's queue (``text``): a reference (as displayed, with spaces or
dashes; four digits or more of one find every reference holding them), a pseudonym
(with or without its ``P-``), a category (by its name in the reader's language) or a
place (whole words, through the blind index in ``remedy.identity.place_index``).

Nothing here reads or returns a name, a phone number or a description: the queue shows
pseudonyms only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, any_, bindparam, false, or_, select, union
from sqlalchemy.dialects.postgresql import ARRAY

from remedy.core.extensions import db
from remedy.core.references import LENGTH, normalise, reference_digits
from remedy.identity.place_index import matching_place
from remedy.models.grievance import CATEGORY_TITLES, Category, Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.person import PSEUDONYM_ALPHABET, Person
from remedy.queue.filters import MAX_TEXT

MAX_MATCHES = 20_000


def _as_pseudonym(text: str) -> str | None:
    compact = normalise(text).upper()
    body = compact.removeprefix("P") if len(compact) == 7 else compact
    if len(body) == 6 and all(char in PSEUDONYM_ALPHABET for char in body):
        return f"P-{body}"
    return None


def _categories_named(text: str) -> list[Category]:
    wanted = text.casefold()
    if len(wanted) < 3:
        return []
    return [
        category
        for category in Category
        if wanted in str(CATEGORY_TITLES[category]).casefold()
        or wanted == category.value.replace("_", " ")
    ]


def _text_matches(text: str) -> tuple[list[int] | Select[Any] | None, list[Category]]:
    """Grievance ids found by reference, pseudonym or place, and categories named.

    The ids are looked up first (each through its own index) and handed to the queue
    query as a list, so the database plans the page knowing how few they are; a search
    matching more than ``MAX_MATCHES`` grievances is left as a subquery.
    """
    text = " ".join(text.split())[:MAX_TEXT]
    selective: list[Select[Any]] = []
    digits = reference_digits(text)
    if digits is not None and len(digits) == LENGTH:
        selective.append(select(Grievance.id).where(Grievance.reference == digits))
    elif digits is not None:
        selective.append(select(Grievance.id).where(Grievance.reference.contains(digits)))
    pseudonym = _as_pseudonym(text)
    if pseudonym is not None:
        selective.append(
            select(GrievancePerson.grievance_id)
            .join(Person, Person.id == GrievancePerson.person_id)
            .where(Person.pseudonym == pseudonym)
        )
    place = matching_place(text)
    if place is not None:
        selective.append(place)
    categories = _categories_named(text)
    if not selective:
        return None, categories
    found = selective[0] if len(selective) == 1 else union(*selective)
    ids = list(db.session.scalars(select(found.subquery().c[0]).limit(MAX_MATCHES + 1)))
    if len(ids) > MAX_MATCHES:
        return select(found.subquery().c[0]), categories
    return ids, categories


def _among(ids: list[int] | Select[Any]) -> ColumnElement[bool]:
    """``Grievance.id`` in these; on PostgreSQL a list goes as one array parameter, which
    the planner checks with a hash as it walks an index."""
    if isinstance(ids, list) and db.session.get_bind().dialect.name == "postgresql":
        return Grievance.id == any_(bindparam("found_ids", ids, type_=ARRAY(Integer)))
    return Grievance.id.in_(ids)


def text_condition(text: str) -> ColumnElement[bool]:
    found, categories = _text_matches(text)
    conditions: list[ColumnElement[bool]] = []
    if found is not None and (not isinstance(found, list) or found):
        conditions.append(_among(found))
    if categories:
        conditions.append(Grievance.category.in_(categories))
    if not conditions:
        return false()
    return conditions[0] if len(conditions) == 1 else or_(*conditions)
