"""Web filing drafts: the answers of a grievance being filed step by step.

The browser keeps only a random token (in its signed session cookie); the answers
and an optional photo or recording are stored here, encrypted, until the person
files or the draft goes stale. Filing turns the draft into a grievance (and its
attachment) and deletes it, in one unit of work.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select

from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic, transactional
from remedy.filing.file_types import sniff_type
from remedy.filing.grievances import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    GrievanceForm,
    PersonDetails,
    Submitted,
    add_attachment,
    submit_grievance,
)
from remedy.models.grievance import (
    TECHNOLOGY_CATEGORIES,
    Category,
    Channel,
    ProductUser,
    ReprisalRisk,
)
from remedy.models.types import utcnow
from remedy.models.web_draft import WebDraft

DRAFT_LIFETIME = timedelta(hours=2)
# The person who files on the web: known by nothing yet (the reference comes with filing).
WEB_COMPLAINANT = Actor(ActorKind.COMPLAINANT)

# How the person may be contacted, as offered on the web, and what it means for messages.
CONTACT_CHOICES: dict[str, Channel | None] = {
    "sms": Channel.SMS,
    "whatsapp": Channel.WHATSAPP,
    "call": Channel.VOICE,
    "none": None,
}

# What the web form takes: photos and recordings, by what their bytes show.
_WEB_TYPES = frozenset(t for t in ATTACHMENT_TYPES if t.startswith(("image/", "audio/")))


def token_hash(token: str) -> str:
    """What is stored of a token: a database reader cannot take over a draft."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Draft:
    """A draft with its answers decoded."""

    row: WebDraft
    answers: dict[str, Any]

    @property
    def has_attachment(self) -> bool:
        return self.row.attachment_size is not None


@transactional
def start_draft() -> tuple[str, Draft]:
    """A new empty draft and the token that opens it; stale drafts are deleted on the way."""
    db.session.execute(delete(WebDraft).where(WebDraft.updated_at < utcnow() - DRAFT_LIFETIME))
    token = secrets.token_urlsafe(32)
    row = WebDraft(token_hash=token_hash(token), answers="{}")
    db.session.add(row)
    db.session.flush()
    return token, Draft(row, {})


def live_row(token: object) -> WebDraft | None:
    """The draft row a browser's token names, unless it has expired."""
    if not token or not isinstance(token, str):
        return None
    row = db.session.scalars(
        select(WebDraft).where(WebDraft.token_hash == token_hash(token))
    ).one_or_none()
    if row is None or row.updated_at < utcnow() - DRAFT_LIFETIME:
        return None
    return row


def load_draft(token: str | None) -> Draft | None:
    row = live_row(token)
    if row is None:
        return None
    answers = json.loads(row.answers)
    return Draft(row, answers if isinstance(answers, dict) else {})


@transactional
def save_answers(draft: Draft, **answers: Any) -> None:
    draft.answers.update(answers)
    draft.row.answers = json.dumps(draft.answers)
    draft.row.updated_at = utcnow()


@transactional
def attach_file(draft: Draft, filename: str | None, content: bytes) -> None:
    """Keep a photo or recording with the draft, after checking what it really is."""
    if not content or len(content) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(_("The file is empty or larger than 10 MB."), "attachment")
    kind = sniff_type(content)
    if kind is None or kind not in _WEB_TYPES:
        raise InvalidInput(
            _("This kind of file cannot be added. Send a photo or a sound recording."),
            "attachment",
        )
    draft.row.attachment = content
    draft.row.attachment_type = kind
    draft.row.attachment_size = len(content)
    draft.row.attachment_name = (filename or "")[:255] or None
    draft.row.updated_at = utcnow()


@transactional
def remove_file(draft: Draft) -> None:
    draft.row.attachment = None
    draft.row.attachment_type = None
    draft.row.attachment_size = None
    draft.row.attachment_name = None
    draft.row.updated_at = utcnow()


def grievance_form(answers: dict[str, Any], language: str) -> GrievanceForm:
    """The filing the answers describe; the grievance service checks the rules."""
    contact = CONTACT_CHOICES.get(str(answers.get("contact", "none")))
    phone = answers.get("phone") or None
    harm_date = answers.get("harm_date")
    category = Category(answers["category"]) if answers.get("category") else None
    technology = category in TECHNOLOGY_CATEGORIES
    return GrievanceForm(
        channel=Channel.WEB,
        language=language,
        description=str(answers.get("description", "")),
        location=answers.get("location") or None,
        category=category,
        # Asked only about technology: an answer left from another category does not count.
        product_user=ProductUser(answers["product_user"])
        if technology and answers.get("product_user")
        else None,
        external_reference=answers.get("external_reference") if technology else None,
        harm_date=date.fromisoformat(harm_date) if harm_date else None,
        people_affected=int(answers.get("people_affected") or 1),
        reprisal_risk=ReprisalRisk(answers.get("reprisal", ReprisalRisk.NONE.value)),
        identity_withheld=answers.get("identity") != "share",
        contact_consent=contact is not None and phone is not None,
        contact_channel=contact,
        # Always a person, even without name or phone: the status page holds their messages.
        complainant=PersonDetails(answers.get("name") or None, phone, language),
    )


def file_draft(draft: Draft, language: str) -> Submitted:
    """File the grievance the draft describes, with its attachment; the draft is gone after."""
    with atomic():
        submitted = submit_grievance(WEB_COMPLAINANT, grievance_form(draft.answers, language))
        row = draft.row
        if row.attachment_size is not None and row.attachment is not None:
            add_attachment(
                WEB_COMPLAINANT,
                submitted.grievance,
                row.attachment_name,
                row.attachment_type or "",
                row.attachment,
            )
        db.session.delete(row)
    return submitted
