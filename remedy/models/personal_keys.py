"""Which subject key seals each personal value: decided once, before every flush.

No service has to remember it. A person's name and phone are sealed under the person's
key; every encrypted value of a row that belongs to a case (the grievance itself, and
any row that reaches it through ``grievance``, ``track`` or ``check_in``) under the
case's key. Keys are made on first use. Rows that belong to no case when written (an
inbound SMS before its case exists, a web draft, a staff account) stay under the master
key; erasure clears the ones of a case explicitly (``remedy.identity.erasure``).

A value written for a person or case already erased is sealed under a throwaway key:
it is unreadable at once, and nothing fails.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from remedy.core.crypto import SubjectKey
from remedy.models.check_in import CheckIn
from remedy.models.data_key import new_subject_key, subject_key
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.person import Person
from remedy.models.types import Erased, PersonalBytes, PersonalText, _Encrypted, personal

# How a row reaches its case: a loaded relationship first, else the foreign key.
PARENTS: tuple[tuple[str, str, type[Any]], ...] = (
    ("grievance", "grievance_id", Grievance),
    ("track", "track_id", InvolvementTrack),
    ("check_in", "check_in_id", CheckIn),
)


_ATTRIBUTES: dict[type[Any], tuple[str, ...]] = {}


def encrypted_attributes(cls: type[Any]) -> tuple[str, ...]:
    """The mapped attributes of a class held in encrypted columns (worked out once)."""
    known = _ATTRIBUTES.get(cls)
    if known is not None:
        return known
    mapper = inspect(cls)
    known = _ATTRIBUTES[cls] = tuple(
        prop.key
        for prop in mapper.column_attrs
        if any(isinstance(column.type, _Encrypted) for column in prop.columns)
    )
    return known


def _written(obj: Any, names: tuple[str, ...]) -> list[str]:
    state = inspect(obj)
    return [
        name
        for name in names
        if state.attrs[name].history.added
        and state.attrs[name].history.added[0] is not None
        and not isinstance(state.attrs[name].history.added[0], PersonalText | PersonalBytes)
    ]


def case_of(session: Session, obj: Any) -> Grievance | None:
    """The grievance a row belongs to, if any, walking up through tracks and check-ins."""
    seen = 0
    while obj is not None and not isinstance(obj, Grievance) and seen < len(PARENTS) + 1:
        seen += 1
        parent = None
        for relation, column, model in PARENTS:
            parent = obj.__dict__.get(relation)
            if parent is None and hasattr(type(obj), column):
                parent_id = getattr(obj, column)
                parent = session.get(model, parent_id) if parent_id is not None else None
            if parent is not None:
                break
        obj = parent
    return obj if isinstance(obj, Grievance) else None


def _key_of(session: Session, owner: Person | Grievance, subject: str) -> SubjectKey:
    if owner.erased_at is not None:
        return SubjectKey.generate()  # never stored: the value is shredded as it is written
    if owner.data_key_id is not None:
        key = subject_key(bytes.fromhex(owner.data_key_id), session)
        return key if key is not None else SubjectKey.generate()
    key = new_subject_key(session, subject)
    owner.data_key_id = key.name
    return key


def _subject_key_for(session: Session, obj: Any) -> SubjectKey | None:
    if isinstance(obj, Person):
        return _key_of(session, obj, "person")
    grievance = case_of(session, obj)
    if grievance is None:
        return None
    return _key_of(session, grievance, "grievance")


@event.listens_for(Session, "before_flush")
def _seal_under_subject_keys(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(chain(session.new, session.dirty)):
        names = encrypted_attributes(type(obj))
        if not names:
            continue
        written = _written(obj, names)
        if not written:
            continue
        key = _subject_key_for(session, obj)
        if key is None:
            continue
        for name in written:
            value = getattr(obj, name)
            if not isinstance(value, Erased):
                setattr(obj, name, personal(value, key))
