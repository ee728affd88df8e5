"""The SQLite database file, readable by its owner alone (mode 600).

The file holds every case, attachments included (encrypted, but the keys may live next to
it in ``instance/``). SQLite creates it with the process's umask (644 on most systems), and
its ``-wal`` and ``-shm`` files with the database file's own mode: so the file is made here,
before the first connection, with mode 600, and an older file is tightened at start-up.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

OWNER_ONLY = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")


def sqlite_path(uri: str, instance_path: Path) -> Path | None:
    """The file behind a ``sqlite:///`` URI; None for memory databases and other engines.
    Relative paths are in the instance folder, as Flask-SQLAlchemy reads them."""
    if not uri.startswith("sqlite:///"):
        return None
    name = uri.removeprefix("sqlite:///").partition("?")[0]
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return instance_path / name


def prepare_sqlite_file(uri: str, instance_path: Path) -> None:
    """Make the directory (700 when new) and the database file (600), or tighten them."""
    path = sqlite_path(uri, instance_path)
    if path is None:
        return
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, OWNER_ONLY))
    except OSError:
        return  # not ours to create: SQLite will say so on the first connection
    for candidate in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        _tighten(candidate)


def _tighten(path: Path) -> None:
    # Missing, or owned by someone else: nothing this process may change.
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700)
