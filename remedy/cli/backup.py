"""``flask backup create|verify|restore FILE`` and ``flask backup key new``.

Exit codes: 0 done, 1 the backup is bad (or the copy failed), 2 the command cannot run as
asked (no backup key, an existing file, a database that is not empty).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from remedy.audit.log import verify_chain
from remedy.backup.operations import create_backup, restore_backup, verify_backup
from remedy.backup.problems import BackupError
from remedy.core.sealing import generate_backup_key


@click.group(help="Encrypted backups of the database and the instance files.")
def backup() -> None:
    pass


def _fail(problem: BackupError) -> None:
    click.echo(str(problem), err=True)
    raise SystemExit(problem.exit_code)


def _describe(manifest: dict[str, Any]) -> str:
    counts = manifest.get("counts", {})
    return (
        f"{manifest.get('database')} database at migration {manifest.get('alembic_revision')}, "
        f"made {manifest.get('created_at')} by Remedy {manifest.get('app_version')}: "
        f"{counts.get('grievances')} grievances, {counts.get('attachments')} attachments, "
        f"{counts.get('audit_events')} audit events, {len(manifest.get('parts', {}))} parts; "
        f"backup key {manifest.get('backup_key_id')}, data key {manifest.get('data_key_id')}."
    )


@backup.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def create(file: Path) -> None:
    """Write a consistent, encrypted backup to FILE (a new file)."""
    started = time.monotonic()
    try:
        manifest = create_backup(file)
    except BackupError as problem:
        _fail(problem)
        return
    click.echo(f"Backup written to {file} in {time.monotonic() - started:.1f} s.")
    click.echo(_describe(manifest))
    click.echo("Keep the backup key and the data keys apart from the backups.")


@backup.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def verify(file: Path) -> None:
    """Check FILE whole without restoring it: exit 0 when it can be restored."""
    try:
        manifest = verify_backup(file)
    except BackupError as problem:
        _fail(problem)
        return
    click.echo(f"Backup intact: {_describe(manifest)}")


@backup.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def restore(file: Path) -> None:
    """Restore FILE into the app's empty database and instance folder."""
    started = time.monotonic()
    try:
        restored = restore_backup(file)
    except BackupError as problem:
        _fail(problem)
        return
    click.echo(
        f"Restored in {time.monotonic() - started:.1f} s, {restored.files} instance files: "
        f"{_describe(restored.manifest)}"
    )
    for warning in restored.warnings:
        click.echo(f"Warning: {warning}", err=True)
    chain = verify_chain()
    if not chain.ok:
        click.echo(f"Audit log BROKEN at event {chain.first_bad_seq}: {chain.problem}.", err=True)
        raise SystemExit(1)
    click.echo(f"Audit log intact: {chain.events} events; head hash {chain.head_hash}.")
    click.echo(
        "Next: `flask --app wsgi retention run`, to erase again what was erased after this "
        "backup was made (docs/security.md, the backup caveat)."
    )


@backup.group("key")
def key() -> None:
    """The backup key, kept apart from the backups and from the data keys."""


@key.command("new")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the key to this new file (mode 600) instead of printing it.",
)
def new(output: Path | None) -> None:
    """Make a new random backup key, for REMEDY_BACKUP_KEY_FILE (or REMEDY_BACKUP_KEY)."""
    value = generate_backup_key()
    if output is None:
        click.echo(value)
        return
    try:
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        click.echo(f"Cannot create {output}: {exc.strerror}.", err=True)
        raise SystemExit(2) from exc
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value + "\n")
    click.echo(f"Backup key written to {output}. Set REMEDY_BACKUP_KEY_FILE={output}.")
