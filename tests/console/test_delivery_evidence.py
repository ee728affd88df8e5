"""Proof of delivery as files: a handler reports a remedy action delivered with photos, a
PDF or a receipt scan, kept encrypted like the filing's own files. The files show with
their track's plan, for those who see that track, and download like the case's files."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text

from remedy.core.extensions import db
from remedy.filing.grievances import MAX_ATTACHMENT_BYTES
from remedy.models import ActionStatus, Attachment, AuditEvent, InvolvementTrack, TrackKind
from tests.console.case_support import Console, console_for, text_of
from tests.workflows.scenarios import Scenario

PHOTO = b"\xff\xd8\xff\xe0" + b"the rebuilt fence, seen from the road" * 40
RECEIPT = b"%PDF-1.4 receipt for the compensation paid" + b" " * 200


@pytest.fixture
def handler(app: Flask, scenario: Scenario) -> Console:
    return console_for(app, scenario.handler)


def implementing(scenario: Scenario, *kinds: TrackKind) -> tuple[Any, list[InvolvementTrack]]:
    grievance, found = scenario.in_remedy(*(kinds or (TrackKind.CAUSE,)))
    for track in found:
        scenario.implement(track)
    return grievance, found


def files(*items: tuple[bytes, str]) -> list[tuple[BytesIO, str]]:
    return [(BytesIO(content), name) for content, name in items]


def deliver(handler: Console, grievance: Any, action_id: int, **data: Any) -> Any:
    return handler.post(grievance, f"/remedy-actions/{action_id}/delivered", data)


def evidence_of(action_id: int) -> list[Attachment]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Attachment).where(Attachment.remedy_action_id == action_id))
    )


def test_files_delivered_with_the_words_are_kept_encrypted_and_listed_with_the_plan(
    handler: Console, scenario: Scenario
) -> None:
    grievance, (track,) = implementing(scenario)
    (action,) = track.remedy_actions

    response = deliver(
        handler,
        grievance,
        action.id,
        evidence="Fence rebuilt, receipt signed.",
        evidence_files=files((PHOTO, "fence.jpg"), (RECEIPT, "receipt.pdf")),
    )

    assert response.status_code == 302
    db.session.refresh(action)
    assert action.status is ActionStatus.DELIVERED
    photo, receipt = evidence_of(action.id)
    assert (photo.content_type, receipt.content_type) == ("image/jpeg", "application/pdf")
    assert photo.content == PHOTO
    raw = db.session.execute(text("SELECT content FROM attachments")).scalars().all()
    assert all(b"rebuilt fence" not in bytes(value) for value in raw)
    added = db.session.scalars(
        select(AuditEvent.after).where(AuditEvent.action == "attachment.add")
    ).all()
    assert [after["remedy_action_id"] for after in added] == [action.id, action.id]
    html = handler.html(grievance)
    row = html[html.index(f'id="action-{action.id}"') :]
    row = row[: row.index("</tr>")]
    assert "fence.jpg" in row
    assert "receipt.pdf" in row
    files_section = html[html.index("What happened") : html.index('id="deadlines"')]
    assert "fence.jpg" not in files_section  # with its track, not among the case's files
    download = handler.client.get(
        f"/console/grievances/{grievance.reference}/attachments/{photo.id}"
    )
    assert download.status_code == 200
    assert download.data == PHOTO


def test_files_alone_are_evidence_enough(handler: Console, scenario: Scenario) -> None:
    grievance, (track,) = implementing(scenario)
    (action,) = track.remedy_actions

    response = deliver(handler, grievance, action.id, evidence_files=files((PHOTO, "fence.jpg")))

    assert response.status_code == 302
    db.session.refresh(action)
    assert action.is_delivered
    assert action.evidence  # says that the proof is in the files
    assert len(evidence_of(action.id)) == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            (b"MZ\x90\x00 an executable", "proof.exe"),
            "This kind of file cannot be added. Send a photo, a PDF or a sound recording.",
        ),
        (
            (b"\xff\xd8\xff" + b"x" * MAX_ATTACHMENT_BYTES, "huge.jpg"),
            "The file is too large: files up to 10 MB can be added.",
        ),
        ((b"", "empty.jpg"), "The file is empty."),
    ],
)
def test_a_refused_file_leaves_the_action_undelivered_and_says_why(
    handler: Console, scenario: Scenario, upload: tuple[bytes, str], message: str
) -> None:
    grievance, (track,) = implementing(scenario)
    (action,) = track.remedy_actions

    response = deliver(
        handler, grievance, action.id, evidence="Fence rebuilt.", evidence_files=files(upload)
    )

    assert response.status_code == 422
    assert message in text_of(response.get_data(as_text=True))
    db.session.refresh(action)
    assert action.status is ActionStatus.PLANNED
    assert evidence_of(action.id) == []


def test_too_many_files_are_refused(handler: Console, scenario: Scenario) -> None:
    grievance, (track,) = implementing(scenario)
    (action,) = track.remedy_actions

    response = deliver(
        handler,
        grievance,
        action.id,
        evidence_files=files(*[(PHOTO, f"{n}.jpg") for n in range(6)]),
    )

    assert response.status_code == 422
    assert "Add at most 5 files." in text_of(response.get_data(as_text=True))


def test_proof_on_one_track_is_not_found_by_staff_of_another_organisation(
    app: Flask, handler: Console, scenario: Scenario
) -> None:
    grievance, (cause, _linked) = implementing(scenario, TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    (action,) = cause.remedy_actions
    deliver(handler, grievance, action.id, evidence_files=files((PHOTO, "fence.jpg")))
    (photo,) = evidence_of(action.id)
    address = f"/console/grievances/{grievance.reference}/attachments/{photo.id}"

    company = console_for(app, scenario.company_handler)
    partner = console_for(app, scenario.partner_handler)

    assert company.client.get(address).status_code == 200
    assert partner.client.get(address).status_code == 404
    assert "fence.jpg" not in partner.html(grievance)
