"""The guarantee of erasure: after a case is erased, no encrypted column of any table
still reads back what its people told, wrote or were sent.

Cases are filed through the real paths (the SMS webhook and the web's filing service),
with words found nowhere else; every encrypted value of every table is then read, raw,
with whatever key still exists. Before erasure each word is found (so the scan sees
them); after it, none is. A new table or column that escapes erasure fails this test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from flask.testing import FlaskCliRunner
from sqlalchemy import LargeBinary, String, select, type_coerce

from remedy.cases import intake
from remedy.core.actors import Actor
from remedy.core.crypto import subject_key_id_of
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails, add_attachment
from remedy.models.data_key import subject_key
from remedy.models.types import _Encrypted, keyring, utcnow
from tests.sms.conftest import Phone, file_by_phone
from tests.support import file_grievance

STORY = "Quillfeather guards beat my brother at the gate."
PLACE = "Marrowvale junction"
WEB_NAME = "Zephyrine Okonkwo"
WEB_PHONE = "+254733918273"
WEB_STORY = "Thistledown mill poured dye into the stream."
FILENAME = "lanternfish-evidence.jpg"
PHOTO = b"\xff\xd8 obsidianmoth pixels"


def readable_values() -> Iterator[tuple[str, bytes]]:
    """Every encrypted value in the database that some existing key still opens."""
    ring = keyring()
    for table in db.metadata.sorted_tables:
        for column in (c for c in table.columns if isinstance(c.type, _Encrypted)):
            context = column.type.context  # type: ignore[attr-defined]
            blobs = db.session.scalars(
                select(type_coerce(column, LargeBinary)).where(column.is_not(None))
            ).all()
            for blob in map(bytes, blobs):
                key_id = subject_key_id_of(blob)
                if key_id is None:
                    yield column.key, ring.decrypt(blob, context)
                    continue
                key = subject_key(key_id)
                if key is not None:
                    yield f"{table.name}.{column.name}", key.decrypt(blob, context)


def found(words: list[bytes]) -> set[bytes]:
    db.session.expire_all()
    return {word for _column, value in readable_values() for word in words if word in value}


def stored_hashes() -> set[str]:
    """Every value of every look-up hash column (phone_hash, term...)."""
    values: set[str] = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String) and column.name in ("phone_hash", "term"):
                values.update(v for v in db.session.scalars(select(column)) if v)
    return values


def test_an_erased_case_leaves_no_readable_trace_in_any_encrypted_column(
    phone: Phone, runner: FlaskCliRunner
) -> None:
    by_sms = file_by_phone(phone, story=(STORY,), place=PLACE).grievance
    by_web = file_grievance(
        WEB_STORY,
        location=PLACE,
        complainant=PersonDetails(WEB_NAME, WEB_PHONE, "en"),
        contact_consent=True,
    ).grievance
    add_attachment(Actor.complainant(by_web.reference), by_web, FILENAME, "image/jpeg", PHOTO)
    for grievance in (by_sms, by_web):
        intake.withdraw(Actor.complainant(grievance.reference), grievance)
        grievance.ended_at = utcnow() - timedelta(days=3000)
    db.session.commit()
    words = [
        s.encode() for s in (STORY, PLACE, WEB_NAME, WEB_PHONE, WEB_STORY, FILENAME, phone.number)
    ] + [PHOTO]
    hashes = set(phone.hashes) | set(keyring().lookup_hashes(WEB_PHONE))
    assert found(words) == set(words), "the scan must see every word before erasure"
    assert hashes & stored_hashes()

    result = runner.invoke(args=["retention", "run"])

    assert result.exit_code == 0, result.output
    assert found(words) == set()
    assert not hashes & stored_hashes()
