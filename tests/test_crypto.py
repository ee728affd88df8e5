"""Encryption at rest: authenticated, bound to its column, and rotatable (DESIGN.md §6)."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import LargeBinary, select, type_coerce

from remedy import create_app
from remedy.accounts import users as accounts
from remedy.core.actors import OPERATOR
from remedy.core.config import ConfigError
from remedy.core.crypto import DataKey, DecryptionError, Keyring, generate_key, subject_key_id_of
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails, add_attachment
from remedy.identity.key_rotation import encrypted_columns
from remedy.identity.people import find_person_by_phone, register_person
from remedy.identity.place_index import matching_place
from remedy.models import Attachment, AuditEvent, Grievance, Person, Role, User
from remedy.models import DataKey as DataKeyRow
from tests.db_tools import overwrite_bytes, stored_bytes
from tests.support import PASSWORD, TEST_KEY, file_grievance
from tests.support import test_overrides as settings_for

NEW_KEY = "Zm9yIHRlc3RzIG9ubHk6IGEgc2Vjb25kIGtleSEhISE="
OLD_ID = DataKey.from_text(TEST_KEY).key_id
NEW_ID = DataKey.from_text(NEW_KEY).key_id
DB_EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

contexts = st.sampled_from(["people.name", "people.phone", "grievances.description"])


# The keyring on its own -------------------------------------------------------------


@given(plaintext=st.binary(max_size=2048), context=contexts)
def test_any_bytes_survive_a_round_trip(plaintext: bytes, context: str) -> None:
    ring = Keyring(TEST_KEY)

    assert ring.decrypt(ring.encrypt(plaintext, context), context) == plaintext


@given(plaintext=st.binary(max_size=256))
def test_the_same_value_never_encrypts_to_the_same_bytes(plaintext: bytes) -> None:
    ring = Keyring(TEST_KEY)

    assert ring.encrypt(plaintext, "people.name") != ring.encrypt(plaintext, "people.name")


@given(
    plaintext=st.binary(max_size=256),
    position=st.integers(min_value=0),
    flip=st.integers(min_value=1, max_value=255),
)
def test_any_changed_byte_fails_authentication(plaintext: bytes, position: int, flip: int) -> None:
    ring = Keyring(TEST_KEY)
    blob = bytearray(ring.encrypt(plaintext, "people.name"))
    blob[position % len(blob)] ^= flip

    with pytest.raises(DecryptionError):
        ring.decrypt(bytes(blob), "people.name")


@given(plaintext=st.binary(max_size=256), keep=st.integers(min_value=0))
def test_a_truncated_value_fails_authentication(plaintext: bytes, keep: int) -> None:
    ring = Keyring(TEST_KEY)
    blob = ring.encrypt(plaintext, "people.name")

    with pytest.raises(DecryptionError):
        ring.decrypt(blob[: keep % len(blob)], "people.name")


def test_a_value_does_not_decrypt_under_another_context() -> None:
    ring = Keyring(TEST_KEY)
    blob = ring.encrypt(b"Amina Njoroge", "people.name")

    with pytest.raises(DecryptionError, match="authentication"):
        ring.decrypt(blob, "grievances.description")


def test_every_value_names_the_key_it_was_written_under() -> None:
    blob = Keyring(NEW_KEY, TEST_KEY).encrypt(b"x", "people.name")

    assert Keyring.key_id_of(blob) == NEW_ID != OLD_ID


def test_an_old_key_still_decrypts_while_it_is_listed() -> None:
    blob = Keyring(TEST_KEY).encrypt(b"written last year", "people.name")

    assert Keyring(NEW_KEY, TEST_KEY).decrypt(blob, "people.name") == b"written last year"


def test_a_value_under_an_unlisted_key_fails_with_advice() -> None:
    blob = Keyring(TEST_KEY).encrypt(b"written last year", "people.name")

    with pytest.raises(
        DecryptionError, match=rf"key id {OLD_ID.hex()}.*REMEDY_ENCRYPTION_OLD_KEYS"
    ):
        Keyring(NEW_KEY).decrypt(blob, "people.name")


def test_lookup_hashes_cover_every_configured_key() -> None:
    both = Keyring(NEW_KEY, TEST_KEY)

    assert set(both.lookup_hashes("+254712345678")) == {
        Keyring(TEST_KEY).lookup_hash("+254712345678"),
        Keyring(NEW_KEY).lookup_hash("+254712345678"),
    }
    assert Keyring(TEST_KEY).lookup_hash("+254712345678") != both.lookup_hash("+254712345678")


# Configuration ---------------------------------------------------------------------


@pytest.fixture
def unused_database(tmp_path: Path) -> dict[str, object]:
    """Settings for an app that never opens its database."""
    return settings_for(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path)


def test_generated_keys_are_valid_and_different() -> None:
    first, second = generate_key(), generate_key()

    assert first != second
    assert len(base64.urlsafe_b64decode(first)) == 32
    Keyring(first, second)


def test_flask_keys_generate_prints_a_usable_key(unused_database: dict[str, object]) -> None:
    runner = create_app(unused_database).test_cli_runner()

    printed = [runner.invoke(args=["keys", "generate"]) for _ in range(2)]

    assert [result.exit_code for result in printed] == [0, 0]
    keys = [result.output.strip() for result in printed]
    assert keys[0] != keys[1]
    create_app({**unused_database, "REMEDY_ENCRYPTION_KEY": keys[0]})


MALFORMED_KEYS = {
    "not base64": "this is not a key",
    "too short": base64.urlsafe_b64encode(b"sixteen bytes!!!").decode(),
    "too long": base64.urlsafe_b64encode(b"x" * 48).decode(),
    "not ASCII": "clé" * 15,
}


@pytest.mark.parametrize("key", MALFORMED_KEYS.values(), ids=MALFORMED_KEYS.keys())
def test_a_malformed_key_stops_the_app_with_advice(
    unused_database: dict[str, object], key: str
) -> None:
    with pytest.raises(ConfigError, match=r"REMEDY_ENCRYPTION_KEY.*keys generate"):
        create_app({**unused_database, "REMEDY_ENCRYPTION_KEY": key})


@pytest.mark.parametrize("key", MALFORMED_KEYS.values(), ids=MALFORMED_KEYS.keys())
def test_a_malformed_old_key_stops_the_app_with_advice(
    unused_database: dict[str, object], key: str
) -> None:
    with pytest.raises(ConfigError, match=r"REMEDY_ENCRYPTION_OLD_KEYS.*keys generate"):
        create_app({**unused_database, "REMEDY_ENCRYPTION_OLD_KEYS": f"{generate_key()}, {key}"})


# Encrypted columns in the database ----------------------------------------------------


@DB_EXAMPLES
@given(name=st.text(max_size=300))
def test_any_text_survives_an_encrypted_column(app: Flask, name: str) -> None:
    person = Person(name=name)
    db.session.add(person)
    db.session.commit()
    db.session.expire_all()

    assert db.session.get(Person, person.id).name == name
    stored = stored_bytes(Person.__table__.c.name, person.id)
    assert stored is not None
    assert person.data_key_id is not None
    assert subject_key_id_of(stored) == bytes.fromhex(person.data_key_id)
    wrapped = stored_bytes(DataKeyRow.__table__.c.key, person.data_key_id)
    assert wrapped is not None
    assert Keyring.key_id_of(wrapped) == OLD_ID


@DB_EXAMPLES
@given(content=st.binary(min_size=1, max_size=4096))
def test_any_bytes_survive_an_encrypted_column(app: Flask, content: bytes) -> None:
    grievance = file_grievance().grievance
    attachment = add_attachment(OPERATOR, grievance, None, "image/png", content)
    db.session.expire_all()

    assert db.session.get(Attachment, attachment.id).content == content
    assert stored_bytes(Attachment.__table__.c.content, attachment.id) != content


@pytest.mark.commits
def test_a_changed_byte_in_the_database_fails_authentication(app: Flask) -> None:
    person = register_person("Amina Njoroge", "+254712345678")
    db.session.commit()
    column = Person.__table__.c.name
    stored = bytearray(stored_bytes(column, person.id) or b"")
    stored[-1] ^= 1
    overwrite_bytes(column, person.id, bytes(stored))

    with pytest.raises(DecryptionError, match="authentication"):
        db.session.get(Person, person.id)


@pytest.mark.commits
def test_a_value_copied_into_another_column_does_not_decrypt(app: Flask) -> None:
    grievance = file_grievance("The river is brown again.", location="Kisumu").grievance
    description = stored_bytes(Grievance.__table__.c.description, grievance.id)
    overwrite_bytes(Grievance.__table__.c.location, grievance.id, description)

    with pytest.raises(DecryptionError, match="authentication"):
        db.session.get(Grievance, grievance.id)


# Old keys and rotation ----------------------------------------------------------------

Reopen = Callable[..., AbstractContextManager[Flask]]


@pytest.fixture
def reopen(app: Flask, database_url: str, tmp_path: Path) -> Reopen:
    """The same database opened by a restarted app with other keys configured."""

    @contextmanager
    def reopened(key: str, old_keys: str = "") -> Iterator[Flask]:
        db.session.commit()
        other = create_app(
            {
                **settings_for(database_url, tmp_path),
                "REMEDY_ENCRYPTION_KEY": key,
                "REMEDY_ENCRYPTION_OLD_KEYS": old_keys,
            }
        )
        with other.app_context():
            try:
                yield other
            finally:
                db.session.remove()
                db.engine.dispose()

    return reopened


@dataclass(frozen=True)
class Written:
    """Personal data in every encrypted column, written under TEST_KEY."""

    person_id: int
    grievance_id: int
    attachment_id: int
    user_id: int
    totp_secret: str
    phone: str = "+254712345678"
    name: str = "Amina Njoroge"
    description: str = "They cut the water off for the whole village."
    location: str = "Lower Kabete"
    filename: str = "water.jpg"
    content: bytes = b"\xff\xd8\xff photo bytes"
    display_name: str = "Grace Otieno"


@pytest.fixture
def written(app: Flask) -> Written:
    grievance = file_grievance(
        Written.description,
        location=Written.location,
        complainant=PersonDetails(name=Written.name, phone=Written.phone),
    ).grievance
    attachment = add_attachment(
        OPERATOR, grievance, Written.filename, "image/jpeg", Written.content
    )
    user = accounts.create_user(
        OPERATOR, "grace@example.org", PASSWORD, Role.HANDLER, display_name=Written.display_name
    )
    secret = accounts.begin_enrolment(user)
    return Written(grievance.people[0].person_id, grievance.id, attachment.id, user.id, secret)


ENCRYPTED_FIELDS = (
    "name",
    "phone",
    "description",
    "location",
    "filename",
    "content",
    "display_name",
    "totp_secret",
)


def read_back(written: Written) -> dict[str, object]:
    db.session.expire_all()
    person = db.session.get(Person, written.person_id)
    grievance = db.session.get(Grievance, written.grievance_id)
    attachment = db.session.get(Attachment, written.attachment_id)
    user = db.session.get(User, written.user_id)
    assert person
    assert grievance
    assert attachment
    assert user
    return {
        "name": person.name,
        "phone": person.phone,
        "description": grievance.description,
        "location": grievance.location,
        "filename": attachment.filename,
        "content": attachment.content,
        "display_name": user.display_name,
        "totp_secret": user.totp_secret,
    }


def expected(written: Written) -> dict[str, object]:
    return {name: getattr(written, name) for name in ENCRYPTED_FIELDS}


SUBJECT = "subject key"


def stored_key_ids() -> Counter[str]:
    """How many stored values each master key wrote, over every encrypted column of every
    table; values under a person's or case's own key count as ``SUBJECT``."""
    found: Counter[str] = Counter()
    for _table, columns in encrypted_columns():
        for column in columns:
            values = db.session.scalars(
                select(type_coerce(column, LargeBinary)).where(column.is_not(None))
            ).all()
            found.update(
                Keyring.key_id_of(bytes(value)).hex()
                if Keyring.is_master_blob(bytes(value))
                else SUBJECT
                for value in values
            )
    return found


def keys_rotate(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.commits
def test_values_under_an_old_key_decrypt_while_it_is_configured(
    written: Written, reopen: Reopen
) -> None:
    with reopen(NEW_KEY, TEST_KEY):
        assert read_back(written) == expected(written)


@pytest.mark.commits
def test_values_under_a_forgotten_key_fail_with_advice(written: Written, reopen: Reopen) -> None:
    with reopen(NEW_KEY), pytest.raises(DecryptionError, match="REMEDY_ENCRYPTION_OLD_KEYS"):
        read_back(written)


@pytest.mark.commits
def test_a_person_written_under_the_old_key_is_found_by_phone_before_rotation(
    written: Written, reopen: Reopen
) -> None:
    with reopen(NEW_KEY, TEST_KEY):
        found = find_person_by_phone("+254 712 345 678")
        again = register_person(None, "+254-712-345-678")

        assert found is not None
        assert found.id == written.person_id
        assert again.id == written.person_id


@pytest.mark.commits
def test_rotation_reencrypts_every_value_under_the_new_key(
    written: Written, reopen: Reopen
) -> None:
    with reopen(NEW_KEY, TEST_KEY) as new:
        before = stored_key_ids()
        values, sealed = before[OLD_ID.hex()], before[SUBJECT]
        assert before == {OLD_ID.hex(): values, SUBJECT: sealed}
        assert sealed >= len(ENCRYPTED_FIELDS) - 2  # a staff account has no subject key

        output = keys_rotate(new)

        assert f"Re-encrypted {values} values" in output
        assert f"under key {NEW_ID.hex()}" in output
        assert stored_key_ids() == {NEW_ID.hex(): values, SUBJECT: sealed}
        assert read_back(written) == expected(written)


@pytest.mark.commits
def test_rotation_renews_phone_lookup_hashes(written: Written, reopen: Reopen) -> None:
    with reopen(NEW_KEY, TEST_KEY) as new:
        output = keys_rotate(new)
        person = db.session.get(Person, written.person_id)

        assert "renewed 1 phone look-up hashes" in output
        assert person is not None
        assert person.phone_hash == Keyring(NEW_KEY).lookup_hash(written.phone)


@pytest.mark.commits
def test_rotation_keeps_grievances_findable_by_place(written: Written, reopen: Reopen) -> None:
    with reopen(NEW_KEY, TEST_KEY) as new:
        keys_rotate(new)
    with reopen(NEW_KEY):  # the old key is gone
        query = matching_place("Lower Kabete")
        assert query is not None
        assert written.grievance_id in set(db.session.scalars(query))


@pytest.mark.commits
def test_rotation_is_recorded_in_the_audit_log(written: Written, reopen: Reopen) -> None:
    with reopen(NEW_KEY, TEST_KEY) as new:
        values = stored_key_ids()[OLD_ID.hex()]
        keys_rotate(new)
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()

        assert event is not None
        assert (event.action, event.subject_type, event.subject_id) == (
            "keys.rotate",
            "keyring",
            NEW_ID.hex(),
        )
        assert event.after == {
            "values_reencrypted": values,
            "phone_hashes_renewed": 1,
            "place_terms_renewed": 1,
        }


@pytest.mark.commits
def test_rotation_does_not_make_grievances_look_updated(written: Written, reopen: Reopen) -> None:
    before = db.session.get(Grievance, written.grievance_id)
    assert before is not None
    updated_at, version = before.updated_at, before.version

    with reopen(NEW_KEY, TEST_KEY) as new:
        keys_rotate(new)
        after = db.session.get(Grievance, written.grievance_id)

        assert after is not None
        assert (after.updated_at, after.version) == (updated_at, version)


@pytest.mark.commits
def test_a_second_rotation_finds_nothing_left_to_do(written: Written, reopen: Reopen) -> None:
    with reopen(NEW_KEY, TEST_KEY) as new:
        keys_rotate(new)
        stored = {
            column: stored_bytes(column, written.person_id)
            for column in (Person.__table__.c.name, Person.__table__.c.phone)
        }

        output = keys_rotate(new)

        assert "Re-encrypted 0 values and renewed 0 phone look-up hashes" in output
        assert {column: stored_bytes(column, written.person_id) for column in stored} == stored


@pytest.mark.commits
def test_after_rotation_the_old_key_can_be_removed(written: Written, reopen: Reopen) -> None:
    with reopen(NEW_KEY, TEST_KEY) as new:
        keys_rotate(new)

    with reopen(NEW_KEY) as without_old_key:
        found = find_person_by_phone(written.phone)
        verified = without_old_key.test_cli_runner().invoke(args=["audit", "verify"])

        assert read_back(written) == expected(written)
        assert found is not None
        assert found.id == written.person_id
        assert verified.exit_code == 0, verified.output


@pytest.mark.commits
def test_rotation_without_the_old_key_stops_and_says_which_key_is_missing(
    written: Written, reopen: Reopen
) -> None:
    with reopen(NEW_KEY) as new:
        result = new.test_cli_runner().invoke(args=["keys", "rotate"])

        assert result.exit_code != 0
        assert isinstance(result.exception, DecryptionError)
        assert "REMEDY_ENCRYPTION_OLD_KEYS" in str(result.exception)
