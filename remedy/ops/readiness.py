"""Readiness: whether this process can serve people now, and if not, why.

Each check answers with a reason an operator can act on, in fixed words: no check ever
puts a value from the database, a key or a path in its answer (``/readyz`` is public).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import inspect, text

from remedy.core.config import PROJECT_ROOT
from remedy.core.extensions import db

logger = logging.getLogger(__name__)
MIGRATIONS = PROJECT_ROOT / "migrations"
_HEADS = "remedy.ops.migration_heads"


def database() -> str | None:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        logger.warning("readiness: the database did not answer", exc_info=True)
        db.session.rollback()
        return "database unreachable"
    return None


def _script_heads(app: Flask) -> tuple[set[str], set[str]]:
    """The code's migration heads and every revision it knows, read once per app."""
    if _HEADS not in app.extensions:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        script = ScriptDirectory.from_config(config)
        known = {revision.revision for revision in script.walk_revisions()}
        app.extensions[_HEADS] = (set(script.get_heads()), known)
    heads: tuple[set[str], set[str]] = app.extensions[_HEADS]
    return heads


def _current_revisions() -> set[str]:
    """What alembic_version holds, read directly: alembic's own context would log two INFO
    lines at every probe of a load balancer."""
    connection = db.session.connection()
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return set(db.session.scalars(text("SELECT version_num FROM alembic_version")))


def migrations() -> str | None:
    heads, known = _script_heads(current_app._get_current_object())  # type: ignore[attr-defined]
    try:
        current = _current_revisions()
    except Exception:
        logger.warning("readiness: the migration version could not be read", exc_info=True)
        db.session.rollback()
        return "database unreachable"
    if current == heads:
        return None
    if current - known:
        return "database at a migration this code does not know"
    return "migrations behind head"


def keys() -> str | None:
    keyring = current_app.extensions.get("remedy.keyring")
    if keyring is None:
        return "encryption keys not loaded"
    try:
        if keyring.decrypt(keyring.encrypt(b"ready", "readyz"), "readyz") != b"ready":
            return "encryption keys not usable"
    except Exception:
        logger.warning("readiness: the keyring failed a round trip", exc_info=True)
        return "encryption keys not usable"
    return None


def translations() -> str | None:
    """Every shipped language has a compiled catalogue, no older than its source."""
    directory = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return "translations not compiled"
    for language in current_app.config["LANGUAGES"]:
        if language != "en" and not (directory / language / "LC_MESSAGES" / "messages.mo").exists():
            return "translations not compiled"
    return None


CHECKS: tuple[Callable[[], str | None], ...] = (database, migrations, keys, translations)


def reasons() -> list[str]:
    """Why the process is not ready, in the checks' order; empty when it is."""
    found: list[str] = []
    for check in CHECKS:
        reason = check()
        if reason and reason not in found:
            found.append(reason)
    return found
