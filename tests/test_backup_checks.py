"""``backup verify`` trusts nothing it cannot authenticate, and every backup command says
clearly why it cannot run: exit 1 for a bad backup, 2 for a command that cannot run as
asked, 0 only for a backup that can be restored."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from remedy.backup.archive import read_archive, write_archive
from remedy.core.config import PROJECT_ROOT
from remedy.core.extensions import db
from remedy.core.sealing import BackupKey, generate_backup_key
from remedy.models.audit_event import AuditEvent
from tests.support import TEST_KEY, file_grievance

# Backups are made on connections (and by processes) of their own.
pytestmark = pytest.mark.commits

BACKUP_KEY = generate_backup_key()


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_BACKUP_KEY": BACKUP_KEY}


@pytest.fixture
def backup(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> Path:
    file_grievance("The blasting cracked the walls of three houses.")
    db.session.commit()
    made = tmp_path / "remedy.backup"
    result = runner.invoke(args=["backup", "create", str(made)])
    assert result.exit_code == 0, result.output
    return made


def verify(app: Flask, path: Path, **config: str) -> Any:
    app.config.update(config)
    return app.test_cli_runner().invoke(args=["backup", "verify", str(path)])


@pytest.mark.postgres
def test_a_sound_backup_verifies_and_a_changed_byte_fails(app: Flask, backup: Path) -> None:
    sound = verify(app, backup)
    assert sound.exit_code == 0, sound.output
    assert "Backup intact" in sound.output
    assert "1 grievances" in sound.output

    sealed = bytearray(backup.read_bytes())
    sealed[len(sealed) // 2] ^= 0x01
    backup.write_bytes(bytes(sealed))
    altered = verify(app, backup)

    assert altered.exit_code == 1
    assert "damaged or was altered" in altered.output


def test_a_backup_cut_short_fails(app: Flask, backup: Path) -> None:
    backup.write_bytes(backup.read_bytes()[:-10])

    result = verify(app, backup)

    assert result.exit_code == 1
    assert "cut short" in result.output


def test_bytes_after_the_end_fail(app: Flask, backup: Path) -> None:
    backup.write_bytes(backup.read_bytes() + b"\x00\x00\x00\x00")

    result = verify(app, backup)

    assert result.exit_code == 1


def test_another_backup_key_names_both_keys(app: Flask, backup: Path) -> None:
    other = generate_backup_key()

    result = verify(app, backup, REMEDY_BACKUP_KEY=other)

    assert result.exit_code == 1
    assert BackupKey.from_text(BACKUP_KEY).name in result.output
    assert BackupKey.from_text(other).name in result.output


def test_a_file_that_is_no_backup_fails(app: Flask, tmp_path: Path) -> None:
    stranger = tmp_path / "notes.txt"
    stranger.write_text("Not a backup at all, but long enough to have a header's length.")

    result = verify(app, stranger)

    assert result.exit_code == 1
    assert "not a Remedy backup" in result.output


def test_a_part_that_does_not_match_the_manifest_fails(app: Flask, tmp_path: Path) -> None:
    """Sealed with the right key but made wrongly: the manifest's hashes still decide."""
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "database.sqlite3").write_bytes(b"not the database the manifest describes")
    manifest = {
        "format": "remedy-backup",
        "format_version": 1,
        "database": "sqlite",
        "parts": {"database.sqlite3": {"size": 39, "sha256": "0" * 64}},
    }
    forged = tmp_path / "forged.backup"
    write_archive(forged, BackupKey.from_text(BACKUP_KEY), manifest, staging)

    result = verify(app, forged)

    assert result.exit_code == 1
    assert "database.sqlite3 does not match its manifest" in result.output


def test_a_missing_file_is_a_usage_error(app: Flask, tmp_path: Path) -> None:
    result = verify(app, tmp_path / "absent.backup")

    assert result.exit_code == 2
    assert "Cannot read" in result.output


def test_without_a_backup_key_nothing_is_written(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    app.config["REMEDY_BACKUP_KEY"] = ""

    result = runner.invoke(args=["backup", "create", str(tmp_path / "remedy.backup")])

    assert result.exit_code == 2
    assert "No backup key" in result.output
    assert list(tmp_path.glob("remedy.backup*")) == []


def test_a_data_key_is_refused_as_backup_key(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    app.config["REMEDY_BACKUP_KEY"] = TEST_KEY

    result = runner.invoke(args=["backup", "create", str(tmp_path / "remedy.backup")])

    assert result.exit_code == 2
    assert "is a data key" in result.output


def test_a_key_file_others_can_read_is_refused(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    key_file = tmp_path / "backup.key"
    key_file.write_text(BACKUP_KEY)
    key_file.chmod(0o644)
    app.config.update(REMEDY_BACKUP_KEY="", REMEDY_BACKUP_KEY_FILE=str(key_file))

    refused = runner.invoke(args=["backup", "create", str(tmp_path / "remedy.backup")])
    key_file.chmod(0o600)
    accepted = runner.invoke(args=["backup", "create", str(tmp_path / "remedy.backup")])

    assert refused.exit_code == 2
    assert "chmod 600" in refused.output
    assert accepted.exit_code == 0, accepted.output


def test_an_existing_file_is_never_overwritten(app: Flask, backup: Path, runner: Any) -> None:
    before = backup.read_bytes()

    result = runner.invoke(args=["backup", "create", str(backup)])

    assert result.exit_code == 2
    assert "exists already" in result.output
    assert backup.read_bytes() == before


def test_a_new_backup_key_is_written_for_its_owner_alone(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    printed = runner.invoke(args=["backup", "key", "new"])
    key_file = tmp_path / "backup.key"
    written = runner.invoke(args=["backup", "key", "new", "--output", str(key_file)])
    again = runner.invoke(args=["backup", "key", "new", "--output", str(key_file)])

    assert printed.exit_code == 0
    assert len(BackupKey.from_text(printed.output.strip()).secret) == 32
    assert written.exit_code == 0
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    assert (
        BackupKey.from_text(key_file.read_text()).name != BackupKey.from_text(printed.output).name
    )
    assert again.exit_code == 2


def test_the_manifest_records_what_the_backup_holds(
    app: Flask, backup: Path, backend: str, tmp_path: Path
) -> None:
    opened = tmp_path / "opened"
    opened.mkdir(mode=0o700)

    manifest = read_archive(backup, BackupKey.from_text(BACKUP_KEY), opened)

    head = ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_current_head()
    part = "database.sqlite3" if backend == "sqlite" else "database.pgdump"
    assert manifest["format_version"] == 1
    assert manifest["app_version"] == importlib.metadata.version("remedy")
    assert manifest["alembic_revision"] == head
    assert manifest["database"] == backend
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert manifest["counts"] == {"grievances": 1, "attachments": 0, "audit_events": events}
    assert manifest["backup_key_id"] == BackupKey.from_text(BACKUP_KEY).name
    assert list(manifest["parts"]) == [part]
    assert (
        manifest["parts"][part]["sha256"]
        == hashlib.sha256((opened / part).read_bytes()).hexdigest()
    )


def test_no_plain_copy_is_left_behind(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    made = runner.invoke(args=["backup", "create", str(tmp_path / "remedy.backup")])
    checked = runner.invoke(args=["backup", "verify", str(tmp_path / "remedy.backup")])

    assert made.exit_code == 0
    assert checked.exit_code == 0
    assert list(scratch.iterdir()) == []
