"""Affected people: registering them and finding them again by phone number."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.identity.phones import normalise_phone
from remedy.models.person import Person
from remedy.models.types import keyring

__all__ = ["MAX_NAME_LENGTH", "find_person_by_phone", "normalise_phone", "register_person"]

MAX_NAME_LENGTH = 200


def find_person_by_phone(phone: str) -> Person | None:
    """Look up by keyed hash; rows hashed under a key not yet rotated away are found too."""
    hashes = keyring().lookup_hashes(normalise_phone(phone))
    return db.session.scalar(
        select(Person).where(Person.phone_hash.in_(hashes)).order_by(Person.id).limit(1)
    )


def register_person(
    name: str | None = None,
    phone: str | None = None,
    language: str | None = None,
    *,
    reuse_known: bool = True,
) -> Person:
    """A new person, or the one already known by this phone number. Joins the caller's unit.

    ``reuse_known=False`` for people entered by someone else (a proxy): a known
    person's record would show that proxy a name given in another case. The new
    record shares the phone hash, so the phone still finds every case.
    """
    languages = settings().languages
    language = language if language in languages else settings().default_language
    name = " ".join(name.split()) if name else None
    if name and len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            _("A name can have at most %(count)d characters.", count=MAX_NAME_LENGTH), "name"
        )
    e164 = normalise_phone(phone) if phone else None
    if e164 is not None and reuse_known:
        known = find_person_by_phone(e164)
        if known is not None:
            if name and not known.name:
                known.name = name
            return known
    person = Person(
        name=name,
        phone=e164,
        phone_hash=keyring().lookup_hash(e164) if e164 else None,
        language=language,
    )
    db.session.add(person)
    db.session.flush()
    return person
