"""The SQLite file holds every case, attachments included: only its owner reads it (600),
its WAL too, whatever the umask, and an older, looser file is tightened at start-up."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from remedy import create_app
from remedy.core.extensions import db
from remedy.core.sqlite_file import prepare_sqlite_file, sqlite_path
from tests import support


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (files 644), which SQLite follows when it creates the file itself."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def test_the_app_creates_the_database_file_and_its_wal_for_the_owner_only(
    tmp_path: Path, open_umask: None
) -> None:
    database = tmp_path / "instance" / "remedy.db"
    app = create_app(support.test_overrides(f"sqlite:///{database}", tmp_path / "instance"))

    with app.app_context():
        db.session.execute(text("CREATE TABLE written (x INTEGER)"))
        db.session.execute(text("INSERT INTO written VALUES (1)"))
        db.session.commit()
        wal = database.with_name("remedy.db-wal")
        assert wal.exists(), "WAL mode: the write is in the WAL until a checkpoint"
        assert mode(wal) == 0o600
        db.session.remove()
        db.engine.dispose()

    assert mode(database) == 0o600
    assert mode(database.parent) == 0o700


def test_an_existing_readable_database_file_is_tightened(tmp_path: Path) -> None:
    database = tmp_path / "remedy.db"
    database.touch(mode=0o644)
    database.chmod(0o644)

    prepare_sqlite_file(f"sqlite:///{database}", tmp_path)

    assert mode(database) == 0o600


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("sqlite:////srv/remedy/remedy.db", Path("/srv/remedy/remedy.db")),
        ("sqlite:///remedy.db", Path("/instance/remedy.db")),
        ("sqlite:///remedy.db?timeout=5", Path("/instance/remedy.db")),
        ("sqlite:///:memory:", None),
        ("sqlite://", None),
        ("postgresql+psycopg://db/remedy", None),
    ],
)
def test_which_file_is_the_database(uri: str, expected: Path | None) -> None:
    assert sqlite_path(uri, Path("/instance")) == expected
