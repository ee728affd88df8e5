"""A file kept across a form's errors, so nobody attaches it again after a typo elsewhere.

A form that refuses its other answers would otherwise drop the upload without a word
(browsers never re-fill a file input). The file is kept like a web draft's (the same
encrypted table, the same lifetime): the browser holds only a random token in its signed
session, and the row names its owner (a signed-in account), so another session's token
opens nothing. Using the file for what it was uploaded for, or removing it, deletes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete

from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.filing.drafts import live_row, start_draft, token_hash
from remedy.models.types import utcnow
from remedy.models.web_draft import WebDraft


@dataclass(frozen=True)
class KeptFile:
    """A file as it was uploaded: its name, what its bytes show, and the bytes."""

    name: str | None
    content_type: str
    content: bytes


def _row(token: object, owner: str) -> WebDraft | None:
    row = live_row(token)
    if row is None:
        return None
    answers = json.loads(row.answers)
    if not isinstance(answers, dict) or answers.get("kept_for") != owner:
        return None
    return row


@transactional
def keep_file(
    token: object, owner: str, name: str | None, content_type: str, content: bytes
) -> str:
    """Keep ``content`` for ``owner`` (replacing what the token kept); the token to give back.

    The caller checks the file is one it accepts before keeping it."""
    row = _row(token, owner)
    if row is None:
        token, draft = start_draft()
        row = draft.row
        row.answers = json.dumps({"kept_for": owner})
    assert isinstance(token, str)
    row.attachment = content
    row.attachment_type = content_type
    row.attachment_size = len(content)
    row.attachment_name = (name or "")[:255] or None
    row.updated_at = utcnow()
    return token


def kept_file(token: object, owner: str) -> KeptFile | None:
    """The file kept under ``token`` for ``owner``, if it is still kept."""
    row = _row(token, owner)
    if row is None or row.attachment is None:
        return None
    return KeptFile(row.attachment_name, row.attachment_type or "", row.attachment)


@transactional
def forget_file(token: object) -> None:
    """Delete the kept file (used, or removed by its owner)."""
    if token and isinstance(token, str):
        db.session.execute(delete(WebDraft).where(WebDraft.token_hash == token_hash(token)))
