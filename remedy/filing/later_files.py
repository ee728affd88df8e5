"""Files that come after filing: a remedy action's proof of delivery, and a file added
with later information. They take the filing's own path (``add_attachment``: the same
types, the same size limit, encrypted whole), linked to what they came with.

A file's type is what its bytes show (``file_types``), never what the browser claims. All
files are checked before anything is written, so a bad file leaves the delivery or the
information unsaved, with a message that says why (the size limit named).

Proof of delivery belongs to its track: the console lists it with the remedy plan, to
those who see that track, and keeps it out of the case's other files. The people are
told that proof exists and of what kind, not shown the file (see ``delivery_proof``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from remedy.cases import intake, tracks
from remedy.cases.policy import delivery_refusal, refuse
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.filing.file_types import kept_type
from remedy.filing.grievances import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, add_attachment
from remedy.models.added_information import AddedInformation
from remedy.models.attachment import Attachment
from remedy.models.grievance import Grievance
from remedy.models.remedy_action import RemedyAction

# Proof of one delivery: a few photos and a receipt, not an archive.
MAX_EVIDENCE_FILES = 5
MAX_MEGABYTES = MAX_ATTACHMENT_BYTES // (1024 * 1024)


@dataclass(frozen=True)
class Upload:
    """A file as a channel received it: the name given and the bytes."""

    filename: str | None
    content: bytes


@dataclass(frozen=True)
class Checked:
    filename: str | None
    content: bytes
    content_type: str


def check_upload(upload: Upload, field: str) -> Checked:
    """The file with the type its bytes show, or InvalidInput naming what is wrong."""
    if not upload.content:
        raise InvalidInput(_("The file is empty."), field)
    if len(upload.content) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(
            _("The file is too large: files up to %(size)d MB can be added.", size=MAX_MEGABYTES),
            field,
        )
    kind = kept_type("", upload.content)
    if kind is None or kind not in ATTACHMENT_TYPES:
        raise InvalidInput(
            _("This kind of file cannot be added. Send a photo, a PDF or a sound recording."),
            field,
        )
    return Checked(upload.filename, upload.content, kind)


@transactional
def deliver_with_evidence(
    actor: Actor, action: RemedyAction, evidence: str, files: Sequence[Upload] = ()
) -> list[Attachment]:
    """Report the action delivered with its evidence: words, files, or both."""
    if len(files) > MAX_EVIDENCE_FILES:
        raise InvalidInput(
            _("Add at most %(count)d files.", count=MAX_EVIDENCE_FILES), "evidence_files"
        )
    checked = [check_upload(upload, "evidence_files") for upload in files]
    if checked and not (evidence or "").strip():
        evidence = _("See the files attached.")
    tracks.report_delivered(actor, action, evidence)
    grievance = action.track.grievance
    return [
        add_attachment(
            actor,
            grievance,
            item.filename,
            item.content_type,
            item.content,
            remedy_action_id=action.id,
        )
        for item in checked
    ]


@transactional
def add_evidence_file(actor: Actor, action: RemedyAction, upload: Upload) -> Attachment:
    """One file of proof for an action not yet reported delivered (the API's way: files
    first, then the delivery with its words). Who may: whoever may report the delivery."""
    track = action.track
    refuse(delivery_refusal(actor, track))
    if not action.is_active or action.is_delivered:
        raise InvalidInput(_("This action is not waiting for delivery."), "action")
    checked = check_upload(upload, "file")
    kept = db.session.scalar(select(func.count()).where(Attachment.remedy_action_id == action.id))
    if (kept or 0) >= MAX_EVIDENCE_FILES:
        raise InvalidInput(_("Add at most %(count)d files.", count=MAX_EVIDENCE_FILES), "file")
    return add_attachment(
        actor,
        track.grievance,
        checked.filename,
        checked.content_type,
        checked.content,
        remedy_action_id=action.id,
    )


@transactional
def add_information(
    actor: Actor, grievance: Grievance, text: str, upload: Upload | None = None
) -> AddedInformation:
    """Information added after filing, with a file if one came; both or neither are kept."""
    checked = check_upload(upload, "attachment") if upload is not None else None
    added = intake.provide_information(actor, grievance, text)
    if checked is not None:
        db.session.flush()
        add_attachment(
            actor,
            grievance,
            checked.filename,
            checked.content_type,
            checked.content,
            added_information_id=added.id,
        )
    return added


def evidence_files(grievance: Grievance) -> dict[int, list[Attachment]]:
    """Each remedy action's proof of delivery (without content), by action id."""
    found: dict[int, list[Attachment]] = {}
    rows = db.session.scalars(
        select(Attachment)
        .where(Attachment.grievance_id == grievance.id, Attachment.remedy_action_id.is_not(None))
        .order_by(Attachment.id)
    )
    for row in rows:
        assert row.remedy_action_id is not None
        found.setdefault(row.remedy_action_id, []).append(row)
    return found


@dataclass(frozen=True)
class DeliveryProof:
    """What the people are told of an action's proof: that it exists, and of what kind."""

    photos: int
    documents: int
    recordings: int

    @property
    def any(self) -> bool:
        return bool(self.photos or self.documents or self.recordings)


def delivery_proof(actions: Sequence[RemedyAction]) -> dict[int, DeliveryProof]:
    """Counts only, never the files: a photo of a delivery may show other people (who
    received the same remedy, neighbours, staff), and a receipt their names and sums; the
    people's case page is opened on shared phones. They decide whether the remedy reached
    them from what they lived; they can ask the team to see the proof."""
    ids = [action.id for action in actions]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Attachment.remedy_action_id, Attachment.content_type).where(
            Attachment.remedy_action_id.in_(ids)
        )
    ).all()
    counts: dict[int, list[int]] = {}
    for action_id, kind in rows:
        if action_id is None:
            continue
        slot = 0 if kind.startswith("image/") else 1 if kind == "application/pdf" else 2
        counts.setdefault(action_id, [0, 0, 0])[slot] += 1
    return {action_id: DeliveryProof(*values) for action_id, values in counts.items()}
