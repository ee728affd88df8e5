"""A backup restored into an empty database and instance holds everything it was made of.

On SQLite and PostgreSQL alike: every grievance (its text readable under the same data
key), every attachment's bytes, every audit event with its hash, the instance's recorded
voice prompts; and ``audit verify`` passes on the copy. A restore never writes into a
database that already holds a mechanism.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import inspect, select

from remedy.backup.archive import describe_parts, write_archive
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.core.sealing import BackupKey, generate_backup_key
from remedy.filing.grievances import PersonDetails, add_attachment
from remedy.models.attachment import Attachment
from remedy.models.audit_event import AuditEvent
from remedy.models.grievance import Grievance
from tests.conftest import backend_overrides, build_app
from tests.db_tools import empty_database
from tests.support import file_grievance
from tests.support import test_overrides as settings_for
from tests.workflows.scenarios import Scenario

if TYPE_CHECKING:
    from tests.conftest import TestDatabases

# Backups copy with other connections and processes (pg_dump), and restore commits.
pytestmark = [pytest.mark.commits, pytest.mark.postgres]

BACKUP_KEY = generate_backup_key()
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
PROMPT = b"ID3 a recorded welcome in French"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_BACKUP_KEY": BACKUP_KEY}


@pytest.fixture
def empty_database_url(databases: TestDatabases, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, not even migrations: where a restore goes."""
    with empty_database(databases, tmp_path, "restore") as url:
        yield url


@pytest.fixture
def elsewhere(empty_database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The same release on another server: an empty database, an empty instance folder,
    the same data key and backup key (brought from where they are kept, not the backup)."""
    instance = tmp_path / "restored-instance"
    application = build_app(
        {
            **settings_for(empty_database_url, instance),
            **backend_overrides(empty_database_url),
            "REMEDY_BACKUP_KEY": BACKUP_KEY,
        }
    )
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def everything() -> dict[str, Any]:
    """What a mechanism holds, decrypted where it is encrypted."""
    grievances = db.session.scalars(select(Grievance).order_by(Grievance.reference)).all()
    attachments = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    return {
        "grievances": [(g.reference, g.state, g.description) for g in grievances],
        "attachments": [(a.grievance_id, a.filename, a.content) for a in attachments],
        "audit": [(e.seq, e.action, e.hash) for e in events],
    }


def invoke(application: Flask, *args: str) -> Any:
    with application.app_context():
        return application.test_cli_runner().invoke(args=list(args))


def test_a_restored_backup_holds_every_grievance_attachment_and_audit_event(
    app: Flask,
    runner: FlaskCliRunner,
    scenario: Scenario,
    elsewhere: Flask,
    tmp_path: Path,
) -> None:
    filed = file_grievance(
        "Dust from the trucks covers the school every morning.",
        complainant=PersonDetails(name="Amina Yusuf", phone="+254712345678"),
    )
    add_attachment(OPERATOR, filed.grievance, "school.jpg", "image/jpeg", PHOTO)
    add_attachment(OPERATOR, filed.grievance, None, "image/png", b"\x89PNG" + PHOTO[4:])
    for state in ("assessment", "in_remedy", "not_admissible", "withdrawn", "resolved"):
        scenario.to_grievance_state(state)
    db.session.commit()
    prompt = Path(app.instance_path) / "voice" / "fr" / "welcome.mp3"
    prompt.parent.mkdir(parents=True)
    prompt.write_bytes(PROMPT)
    before = everything()
    assert len(before["grievances"]) == 6
    assert len(before["attachments"]) == 2
    assert len(before["audit"]) > 20
    backup = tmp_path / "remedy.backup"

    made = runner.invoke(args=["backup", "create", str(backup)])
    assert made.exit_code == 0, made.output
    restored = invoke(elsewhere, "backup", "restore", str(backup))

    assert restored.exit_code == 0, restored.output
    assert f"{len(before['grievances'])} grievances" in restored.output
    with elsewhere.app_context():
        assert everything() == before
    assert (Path(elsewhere.instance_path) / "voice" / "fr" / "welcome.mp3").read_bytes() == PROMPT
    verified = invoke(elsewhere, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert f"Audit log intact: {len(before['audit'])} events" in verified.output


def test_the_backup_file_shows_nothing_of_what_it_holds(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    file_grievance("The river turned orange below the tailings dam.")
    db.session.commit()
    backup = tmp_path / "remedy.backup"

    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0

    sealed = backup.read_bytes()
    assert sealed.startswith(b"REMEDY-BACKUP\x00")
    for plain in (b"SQLite format 3", b"PGDMP", b"manifest", b"grievances", b"tailings"):
        assert plain not in sealed
    assert backup.stat().st_mode & 0o077 == 0


def test_a_restore_refuses_a_database_that_is_not_empty(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    backup = tmp_path / "remedy.backup"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    file_grievance("Filed after the backup: a restore must not overwrite it.")
    db.session.commit()
    before = everything()

    refused = runner.invoke(args=["backup", "restore", str(backup)])

    assert refused.exit_code == 2
    assert "The database is not empty" in refused.output
    db.session.expire_all()
    assert everything() == before


def test_a_restore_puts_no_instance_file_over_one_already_there(
    app: Flask, runner: FlaskCliRunner, elsewhere: Flask, tmp_path: Path
) -> None:
    prompt = Path(app.instance_path) / "voice" / "en" / "welcome.mp3"
    prompt.parent.mkdir(parents=True)
    prompt.write_bytes(PROMPT)
    backup = tmp_path / "remedy.backup"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    theirs = Path(elsewhere.instance_path) / "voice" / "en" / "welcome.mp3"
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"the other server's own recording")

    refused = invoke(elsewhere, "backup", "restore", str(backup))

    assert refused.exit_code == 2
    assert "voice/en/welcome.mp3" in refused.output
    assert theirs.read_bytes() == b"the other server's own recording"
    with elsewhere.app_context():
        assert inspect(db.engine).get_table_names() == []


def test_a_backup_of_the_other_kind_of_database_is_refused(
    elsewhere: Flask, backend: str, tmp_path: Path
) -> None:
    other, part = (
        ("postgresql", "database.pgdump") if backend == "sqlite" else ("sqlite", "database.sqlite3")
    )
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / part).write_bytes(b"a copy of the other kind")
    manifest = {
        "format": "remedy-backup",
        "format_version": 1,
        "database": other,
        "parts": describe_parts(staging, [part]),
    }
    foreign = tmp_path / "foreign.backup"
    write_archive(foreign, BackupKey.from_text(BACKUP_KEY), manifest, staging)

    result = invoke(elsewhere, "backup", "restore", str(foreign))

    assert result.exit_code == 2
    assert f"This backup is of a {other} database" in result.output
    with elsewhere.app_context():
        assert inspect(db.engine).get_table_names() == []
