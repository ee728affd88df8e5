"""Personal data is encrypted at rest and kept out of the logs (DESIGN.md §6).

Unique canary values go in through the services, the only way the application writes
them; then the raw database (the SQLite file and its write-ahead log, or every row of
every PostgreSQL table as text) and the captured logs are searched for them.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

import pytest
from flask import Flask

from remedy.accounts import users as accounts
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails, add_attachment
from remedy.identity.people import find_person_by_phone
from remedy.models import Attachment, Grievance, Person, Role, User
from tests.db_tools import raw_database_contents
from tests.support import PASSWORD, file_grievance

# Reads the database as stored (files, tables as text) and the SQL log: real commits;
# the dialect matters.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]


@dataclass(frozen=True)
class Canaries:
    """Values that exist nowhere else, so finding one anywhere means it leaked."""

    name: str
    phone_typed: str
    phone_e164: str
    phone_digits: str
    phone_national: str
    description: str
    location: str
    filename: str
    content: bytes
    display_name: str

    @classmethod
    def fresh(cls) -> Canaries:
        tag = secrets.token_hex(6)
        subscriber = f"{secrets.randbelow(10**5):05d}"
        return cls(
            name=f"Canaryname Zq{tag}",
            phone_typed=f"+44 7700 9{subscriber[:2]} {subscriber[2:]}",
            phone_e164=f"+4477009{subscriber}",
            phone_digits=f"4477009{subscriber}",
            phone_national=f"77009{subscriber}",
            description=f"canary description {tag}: the guards took our nets",
            location=f"canary location {tag}, north gate",
            filename=f"canary-photo-{tag}.pdf",
            content=b"%PDF-1.4 canary attachment bytes " + tag.encode(),
            display_name=f"Canary Staffname {tag}",
        )

    def texts(self) -> dict[str, str]:
        return {
            "name": self.name,
            "phone as typed": self.phone_typed,
            "phone in E.164": self.phone_e164,
            "phone digits": self.phone_digits,
            "phone national number": self.phone_national,
            "description": self.description,
            "location": self.location,
            "attachment filename": self.filename,
            "staff display name": self.display_name,
        }


@dataclass(frozen=True)
class Written:
    canaries: Canaries
    totp_secret: str
    grievance_id: int
    person_id: int
    attachment_id: int
    user_id: int
    email: str
    reference: str

    def secrets(self) -> dict[str, bytes]:
        """Every canary in every form it could be stored in: UTF-8 and hex (bytea as text)."""
        plain = {label: value.encode() for label, value in self.canaries.texts().items()}
        plain["TOTP secret"] = self.totp_secret.encode()
        plain["attachment content"] = self.canaries.content
        forms = dict(plain)
        forms.update({f"{label} (hex)": value.hex().encode() for label, value in plain.items()})
        return forms


def write_canaries(canaries: Canaries) -> Written:
    """Through the services only, each committing its own unit of work."""
    submitted = file_grievance(
        canaries.description,
        location=canaries.location,
        complainant=PersonDetails(name=canaries.name, phone=canaries.phone_typed),
    )
    grievance = submitted.grievance
    attachment = add_attachment(
        OPERATOR, grievance, canaries.filename, "application/pdf", canaries.content
    )
    user = accounts.create_user(
        OPERATOR,
        "canary.staff@example.org",
        PASSWORD,
        Role.HANDLER,
        display_name=canaries.display_name,
    )
    totp_secret = accounts.begin_enrolment(user)
    (link,) = grievance.people
    return Written(
        canaries=canaries,
        totp_secret=totp_secret,
        grievance_id=grievance.id,
        person_id=link.person_id,
        attachment_id=attachment.id,
        user_id=user.id,
        email=user.email,
        reference=grievance.reference,
    )


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record at DEBUG, SQL statements included (echo stays off)."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    return caplog


@pytest.fixture
def written(app: Flask, captured: pytest.LogCaptureFixture) -> Written:
    return write_canaries(Canaries.fresh())


def leaks(haystack: bytes, written: Written) -> list[str]:
    return [label for label, needle in written.secrets().items() if needle in haystack]


def test_no_canary_is_stored_in_clear(written: Written, backend: str) -> None:
    raw = raw_database_contents(backend)

    assert leaks(raw, written) == []


def test_the_raw_dump_does_see_the_rows_it_searches(written: Written, backend: str) -> None:
    """Guards the test above: values kept in clear by design are found in the same dump."""
    raw = raw_database_contents(backend)

    assert written.email.encode() in raw
    assert written.reference.encode() in raw


def test_no_canary_reaches_the_logs(
    written: Written, captured: pytest.LogCaptureFixture, app: Flask
) -> None:
    find_person_by_phone(written.canaries.phone_typed)
    records = [*captured.get_records("setup"), *captured.get_records("call")]
    logged = "\n".join(logging.Formatter().format(record) for record in records).encode()

    assert leaks(logged, written) == []
    # The SQL was logged, with its parameters hidden: the search above looked at it.
    assert b"INSERT INTO people" in logged
    assert b"SQL parameters hidden due to hide_parameters=True" in logged


def test_the_models_read_back_the_original_values(written: Written, backend: str) -> None:
    raw_database_contents(backend)  # a cold start: nothing comes from the session's memory
    canaries = written.canaries

    person = db.session.get(Person, written.person_id)
    grievance = db.session.get(Grievance, written.grievance_id)
    attachment = db.session.get(Attachment, written.attachment_id)
    user = db.session.get(User, written.user_id)

    assert person is not None
    assert grievance is not None
    assert attachment is not None
    assert user is not None
    assert (person.name, person.phone) == (canaries.name, canaries.phone_e164)
    assert (grievance.description, grievance.location) == (canaries.description, canaries.location)
    assert (attachment.filename, attachment.content) == (canaries.filename, canaries.content)
    assert (user.display_name, user.totp_secret) == (canaries.display_name, written.totp_secret)


def test_a_person_is_found_by_any_form_of_their_phone_number(written: Written) -> None:
    canaries = written.canaries
    forms = [canaries.phone_typed, canaries.phone_e164, f"whatsapp:{canaries.phone_e164}"]

    found = [find_person_by_phone(form) for form in forms]

    assert [person.id if person else None for person in found] == [written.person_id] * 3
