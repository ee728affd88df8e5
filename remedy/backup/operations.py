"""Create, verify and restore a backup of the app's database and instance files.

Every plaintext copy (the database dump, the opened backup) exists only in a private
temporary folder (mode 700), removed when the command ends, whatever happens. A restore
checks the whole backup before it writes anything, and writes only into an empty database
and over no existing instance file: it never merges a backup into a live mechanism.
"""

from __future__ import annotations

import base64
import binascii
import importlib.metadata
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from flask import current_app

from remedy.backup import database
from remedy.backup.archive import (
    MANIFEST_FORMAT,
    MANIFEST_VERSION,
    describe_parts,
    read_archive,
    write_archive,
)
from remedy.backup.problems import BadBackup, UsageProblem
from remedy.core.config import PROJECT_ROOT
from remedy.core.extensions import db
from remedy.core.sealing import BackupKey, InvalidBackupKey
from remedy.models.types import keyring

# The instance's own files worth keeping: recorded voice prompts. Never the secrets
# (secret_key, encryption_key), the SQLite file (copied through its backup API), or
# anything else an operator may keep there (old backups among them).
INSTANCE_FOLDERS = ("voice",)
INSTANCE_PREFIX = "instance/"


def backup_key() -> BackupKey:
    """The configured backup key, refused when missing, readable by others, or a data key."""
    text = str(current_app.config.get("REMEDY_BACKUP_KEY") or "").strip()
    path = str(current_app.config.get("REMEDY_BACKUP_KEY_FILE") or "").strip()
    if text and path:
        raise UsageProblem("Set REMEDY_BACKUP_KEY or REMEDY_BACKUP_KEY_FILE, not both.")
    if path:
        text = _read_key_file(Path(path))
    if not text:
        raise UsageProblem(
            "No backup key: set REMEDY_BACKUP_KEY_FILE to a file holding one (make it with "
            "`flask --app wsgi backup key new --output FILE`), kept apart from the backups."
        )
    try:
        key = BackupKey.from_text(text)
    except InvalidBackupKey as exc:
        raise UsageProblem(str(exc)) from exc
    data_keys = [
        current_app.config.get("REMEDY_ENCRYPTION_KEY") or "",
        *str(current_app.config.get("REMEDY_ENCRYPTION_OLD_KEYS") or "").split(","),
    ]
    if any(_raw(candidate) == key.secret for candidate in data_keys):
        raise UsageProblem(
            "The backup key is a data key (REMEDY_ENCRYPTION_KEY): a backup must not be "
            "sealed under the key it needs to be read. Make a backup key of its own."
        )
    return key


def _read_key_file(path: Path) -> str:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        text = path.read_text()
    except OSError as exc:
        raise UsageProblem(f"Cannot read the backup key file {path}: {exc.strerror}.") from exc
    if mode & 0o077:
        raise UsageProblem(
            f"The backup key file {path} is readable by others (mode {mode:o}): chmod 600 {path}."
        )
    return text


def _raw(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return b""


@contextmanager
def _private_folder() -> Iterator[Path]:
    """A folder only this user can enter (mkdtemp makes it 700), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="remedy-backup-") as name:
        yield Path(name)


def _instance_files() -> list[Path]:
    """The instance files a backup keeps, as paths relative to the instance folder."""
    root = Path(current_app.instance_path)
    found = []
    for folder in INSTANCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root))
    return found


def _app_version() -> str:
    try:
        return importlib.metadata.version("remedy")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def create_backup(target: Path) -> dict[str, Any]:
    """Write a sealed backup to ``target``; return its manifest."""
    if target.exists():
        raise UsageProblem(f"{target} exists already: choose a new file name.")
    if not target.parent.is_dir():
        raise UsageProblem(f"The folder {target.parent} does not exist.")
    key = backup_key()
    kind = database.kind_of(db.engine)
    with _private_folder() as staging:
        snapshot = database.dump(db.engine, staging)
        names = [snapshot.part]
        for relative in _instance_files():
            copy = staging / INSTANCE_PREFIX / relative
            copy.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(Path(current_app.instance_path) / relative, copy)
            names.append(f"{INSTANCE_PREFIX}{relative.as_posix()}")
        manifest = {
            "format": MANIFEST_FORMAT,
            "format_version": MANIFEST_VERSION,
            "app_version": _app_version(),
            "alembic_revision": snapshot.revision,
            "database": kind,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "counts": snapshot.counts,
            "backup_key_id": key.name,
            "data_key_id": keyring().current.key_id.hex(),
            "parts": describe_parts(staging, names),
        }
        write_archive(target, key, manifest, staging)
    return manifest


def verify_backup(source: Path) -> dict[str, Any]:
    """Open and check a backup without restoring it; return its manifest."""
    key = backup_key()
    with _private_folder() as staging:
        manifest = read_archive(source, key, staging)
        database.check_copy(_kind_in(manifest), staging, manifest)
    return manifest


def _kind_in(manifest: dict[str, Any]) -> str:
    kind = str(manifest.get("database"))
    part = database.PARTS.get(kind)
    if part is None or part not in manifest["parts"]:
        raise BadBackup(f"The manifest names no database copy Remedy can read ({kind}).")
    return kind


@dataclass
class Restored:
    """What a restore put back, and what the operator must still do."""

    manifest: dict[str, Any]
    files: int
    warnings: list[str] = field(default_factory=list)


def restore_backup(source: Path) -> Restored:
    """Check a backup whole, then put it into the app's empty database and instance."""
    key = backup_key()
    kind = database.kind_of(db.engine)
    if not source.is_file():
        raise UsageProblem(f"{source} is not a file.")
    if not database.is_empty(db.engine):
        raise UsageProblem(
            "The database is not empty: a backup is restored only into an empty one. Create "
            "a new database (or a new SQLite file) and point DATABASE_URL at it."
        )
    with _private_folder() as staging:
        manifest = read_archive(source, key, staging)
        found = _kind_in(manifest)
        if found != kind:
            raise UsageProblem(
                f"This backup is of a {found} database and the app uses {kind}: restore it "
                f"into a {found} database."
            )
        database.check_copy(kind, staging, manifest)
        files = [name for name in manifest["parts"] if name.startswith(INSTANCE_PREFIX)]
        root = Path(current_app.instance_path)
        present = [name for name in files if (root / name.removeprefix(INSTANCE_PREFIX)).exists()]
        if present:
            raise UsageProblem(
                f"The instance folder already has {present[0]}: restore into an empty instance."
            )
        database.load(db.engine, kind, staging)
        for name in files:
            target = root / name.removeprefix(INSTANCE_PREFIX)
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(staging / name, target)
            os.chmod(target, 0o600)
    with db.engine.connect() as connection:
        state = database.read_state(connection)
    if state != (manifest["alembic_revision"], manifest["counts"]):
        raise BadBackup("The restored database does not hold what the manifest says it holds.")
    return Restored(manifest, len(files), _warnings(manifest))


def _warnings(manifest: dict[str, Any]) -> list[str]:
    warnings = []
    known = {key.key_id.hex() for key in keyring().keys}
    if manifest.get("data_key_id") not in known:
        warnings.append(
            f"The data was written under data key {manifest.get('data_key_id')}, which is not "
            "configured: set it in REMEDY_ENCRYPTION_KEY (or REMEDY_ENCRYPTION_OLD_KEYS), or "
            "nothing personal can be read."
        )
    head = ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_current_head()
    if manifest.get("alembic_revision") != head:
        warnings.append(
            f"The backup is at migration {manifest.get('alembic_revision')}, this version at "
            f"{head}: run `flask --app wsgi db upgrade` before starting the app."
        )
    return warnings
