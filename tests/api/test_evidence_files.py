"""Proof of delivery through the API: files first (the body is the file, its bytes decide
its type), then the delivery with its words; the remedy action says how many it has."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models import Attachment, TrackKind
from tests.api.conftest import Api, Cast

PHOTO = b"\xff\xd8\xff\xe0" + b"the rebuilt fence" * 40


def upload(api: Api, reference: str, action_id: int, body: bytes, name: str = "") -> int:
    query = f"?filename={name}" if name else ""
    path = f"/grievances/{reference}/remedy-actions/{action_id}/evidence-files{query}"
    response = api.post(path, data=body, content_type="image/jpeg")
    return response.status_code


def test_files_then_the_delivery(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance, (track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.implement(track)
    (action,) = track.remedy_actions
    handler = api_for(cast.handler)

    assert upload(handler, grievance.reference, action.id, PHOTO, "fence.jpg") == 200
    delivered = handler.post(
        f"/grievances/{grievance.reference}/remedy-actions/{action.id}/delivery",
        {"evidence": "Fence rebuilt; photo attached."},
    )

    assert delivered.status_code == 200, delivered.get_json()
    (kept,) = db.session.scalars(select(Attachment)).all()
    assert (kept.remedy_action_id, kept.filename, kept.content) == (action.id, "fence.jpg", PHOTO)
    listed = handler.get(f"/grievances/{grievance.reference}/remedy-actions").get_json()
    assert listed["items"][0]["evidence_files"] == 1
    assert listed["items"][0]["status"] == "delivered"
    # Delivered, and the track gone on to the people's verification: no more proof.
    assert upload(handler, grievance.reference, action.id, PHOTO) == 409


def test_a_file_that_is_no_photo_pdf_or_recording_is_a_422(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, (track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.implement(track)
    (action,) = track.remedy_actions

    status = upload(api_for(cast.handler), grievance.reference, action.id, b"MZ an executable")

    assert status == 422
    assert db.session.scalars(select(Attachment)).all() == []


def test_another_organisations_staff_do_not_find_the_action(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, (track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.implement(track)
    (action,) = track.remedy_actions

    assert upload(api_for(cast.partner_handler), grievance.reference, action.id, PHOTO) == 404
