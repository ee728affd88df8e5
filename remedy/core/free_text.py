"""Free text a person or the team types for a record (a reason, a note): trimmed, and
refused with a clear message when it is missing where it is needed or too long."""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.core.errors import InvalidInput


def optional_text(text: str | None, field: str, limit: int) -> str | None:
    """The text trimmed, or None when nothing was typed."""
    cleaned = (text or "").strip()
    if len(cleaned) > limit:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=limit), field)
    return cleaned or None


def required_text(text: str | None, field: str, limit: int, missing: str) -> str:
    """The text trimmed; ``missing`` (already translated) says what to write when empty."""
    cleaned = optional_text(text, field, limit)
    if cleaned is None:
        raise InvalidInput(missing, field)
    return cleaned
