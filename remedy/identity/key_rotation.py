"""Re-encrypt personal data under the current key, so an old key can be retired.

Subject keys (``data_keys.key``) are values like any other here: re-wrapped under the
new key. What they seal is left alone, so rotation costs one write per person and case.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, LargeBinary, Table, select, type_coerce, update

from remedy.audit import log as audit
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.identity.place_index import renew_place_terms
from remedy.models.person import Person
from remedy.models.types import _Encrypted, keyring

BATCH = 500


@dataclass(frozen=True)
class RotationReport:
    values_reencrypted: int
    phone_hashes_renewed: int
    place_terms_renewed: int
    key_id: str


def encrypted_columns() -> list[tuple[Table, list[Column[bytes]]]]:
    found = []
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, _Encrypted)]
        if columns:
            found.append((table, columns))
    return found


def _rotate_table(table: Table, columns: list[Column[bytes]]) -> int:
    ring = keyring()
    current = ring.current.key_id
    (key,) = table.primary_key.columns
    raw = [type_coerce(column, LargeBinary).label(column.name) for column in columns]
    # Re-encrypting changes nothing a person did: keep ``onupdate`` columns (updated_at).
    unchanged = {column.name: column for column in table.columns if column.onupdate is not None}
    changed, last = 0, None
    while True:
        query = select(key, *raw).order_by(key).limit(BATCH)
        if last is not None:
            query = query.where(key > last)
        rows = db.session.execute(query).all()
        if not rows:
            return changed
        with atomic():
            for row in rows:
                values = {}
                for column in columns:
                    blob = row._mapping[column.name]
                    # Values under a subject key need nothing: their key, in data_keys,
                    # is one of the values re-encrypted here.
                    if blob is None or not ring.is_master_blob(bytes(blob)):
                        continue
                    if ring.key_id_of(bytes(blob)) == current:
                        continue
                    # Only _Encrypted columns are passed here; Column[bytes] does not say so.
                    context = column.type.context  # type: ignore[attr-defined]
                    plain = ring.decrypt(bytes(blob), context)
                    values[column.name] = type_coerce(ring.encrypt(plain, context), LargeBinary)
                if values:
                    db.session.execute(
                        update(table).where(key == row[0]).values({**values, **unchanged})
                    )
                    changed += len(values)
        last = rows[-1][0]


def _renew_phone_hashes() -> int:
    ring = keyring()
    renewed, last = 0, 0
    while True:
        people = db.session.scalars(
            select(Person)
            .where(Person.id > last, Person.phone.is_not(None))
            .order_by(Person.id)
            .limit(BATCH)
        ).all()
        if not people:
            return renewed
        with atomic():
            for person in people:
                assert person.phone is not None
                fresh = ring.lookup_hash(person.phone)
                if person.phone_hash != fresh:
                    person.phone_hash = fresh
                    renewed += 1
        last = people[-1].id


def rotate_keys() -> RotationReport:
    """Batch by batch, each committed: safe to stop and run again."""
    values = sum(_rotate_table(table, columns) for table, columns in encrypted_columns())
    db.session.expire_all()
    hashes = _renew_phone_hashes()
    places = renew_place_terms()
    key_id = keyring().current.key_id.hex()
    with atomic():
        audit.record(
            OPERATOR,
            "keys.rotate",
            "keyring",
            key_id,
            after={
                "values_reencrypted": values,
                "phone_hashes_renewed": hashes,
                "place_terms_renewed": places,
            },
        )
    return RotationReport(values, hashes, places, key_id)
