"""A case's call recordings on the console: played from the encrypted copy to staff who
may read the case's contents, never to an organisation's staff when the person withheld
who they are; transcribed by the mechanism's case workers, audited, encrypted at rest."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select, text

from remedy.core.actors import SYSTEM
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails, add_attachment
from remedy.models import AuditEvent, Call, CallRecording, Grievance, RecordingStatus, TrackKind
from remedy.models.call import RecordingPurpose
from tests.console.case_support import console_for, text_of
from tests.fake_twilio import MP3
from tests.sensitive_support import handler_cleared, sensitive_case
from tests.workflows.scenarios import Scenario

SAID = "They cut the water pipe near the school in Mwangea."


def recorded(
    grievance: Grievance, purpose: RecordingPurpose = RecordingPurpose.WHAT_HAPPENED
) -> int:
    """A recording the worker fetched: stored as the case's encrypted attachment."""
    call = Call(
        call_sid=f"CA{grievance.id:032d}",
        phone_hash="h" * 64,
        phone="+254700000001",
        state="ended",
        grievance_id=grievance.id,
    )
    db.session.add(call)
    db.session.flush()
    attachment = add_attachment(
        SYSTEM, grievance, f"call-{call.id}-{purpose.value}.mp3", "audio/mpeg", MP3
    )
    recording = CallRecording(
        call_id=call.id,
        recording_sid=f"RE{grievance.id:032d}",
        url="https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1",
        duration=42,
        purpose=purpose,
        grievance_id=grievance.id,
        status=RecordingStatus.STORED,
        attachment_id=attachment.id,
    )
    db.session.add(recording)
    db.session.commit()
    return recording.id


def audio_path(grievance: Grievance, recording_id: int) -> str:
    return f"/console/grievances/{grievance.reference}/recordings/{recording_id}/audio"


def test_the_case_page_plays_a_recording_from_the_stored_copy(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file()
    recording_id = recorded(grievance)
    handler = console_for(app, scenario.handler)

    html = handler.html(grievance)
    audio = handler.client.get(audio_path(grievance, recording_id))

    assert f'<audio controls preload="none" src="{audio_path(grievance, recording_id)}">' in html
    assert "api.twilio.com" not in html  # never Twilio's address
    assert "What happened · 42 seconds" in text_of(html)
    assert audio.status_code == 200
    assert audio.mimetype == "audio/mpeg"
    assert audio.data == MP3
    assert audio.headers["Cache-Control"] == "no-store"
    assert audio.headers["X-Content-Type-Options"] == "nosniff"
    partial = handler.client.get(
        audio_path(grievance, recording_id), headers={"Range": "bytes=0-3"}
    )
    assert partial.status_code == 206  # the player can seek
    assert partial.data == MP3[:4]


def test_a_recording_of_another_case_is_not_found(app: Flask, scenario: Scenario) -> None:
    grievance, other = scenario.file(), scenario.file()
    recording_id = recorded(other)
    handler = console_for(app, scenario.handler)

    assert handler.client.get(audio_path(grievance, recording_id)).status_code == 404


def test_a_sensitive_case_plays_only_to_cleared_staff(app: Flask, scenario: Scenario) -> None:
    grievance = sensitive_case(scenario)
    recording_id = recorded(grievance)
    cleared = console_for(app, handler_cleared("cleared@example.org"))
    uncleared = console_for(app, handler_cleared("uncleared@example.org", cleared=False))

    assert "<audio" in cleared.html(grievance)
    assert cleared.client.get(audio_path(grievance, recording_id)).status_code == 200
    assert "<audio" not in uncleared.html(grievance)
    assert uncleared.client.get(audio_path(grievance, recording_id)).status_code == 403
    refused = uncleared.post(
        grievance, f"/recordings/{recording_id}/transcript", {"transcript": SAID}
    )
    assert refused.status_code == 403
    assert db.session.get(CallRecording, recording_id).transcript is None  # type: ignore[union-attr]


def test_an_organisation_never_hears_a_person_who_withheld_their_identity(
    app: Flask, scenario: Scenario
) -> None:
    withheld = PersonDetails("Wanjiru Kamau", "+254711000111", "en")
    grievance, _tracks = scenario.in_remedy(
        TrackKind.CAUSE, identity_withheld=True, complainant=withheld
    )
    recording_id = recorded(grievance)
    recording = db.session.get(CallRecording, recording_id)
    assert recording is not None
    recording.transcript = SAID
    db.session.commit()
    company = console_for(app, scenario.company_handler)

    html = company.html(grievance)
    attachment = company.client.get(
        f"/console/grievances/{grievance.reference}/attachments/{recording.attachment_id}"
    )

    assert "<audio" not in html
    assert SAID in html  # the words, not the voice
    assert company.client.get(audio_path(grievance, recording_id)).status_code == 403
    assert attachment.status_code == 403  # not around the player either
    assert f"/recordings/{recording_id}/transcript" not in html


def test_a_handler_types_a_transcript_audited_and_encrypted(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file()
    recording_id = recorded(grievance)
    handler = console_for(app, scenario.handler)
    assert handler.offers(grievance, f"/recordings/{recording_id}/transcript")

    response = handler.post(
        grievance, f"/recordings/{recording_id}/transcript", {"transcript": SAID}
    )

    assert response.status_code == 302
    assert SAID in handler.html(grievance)
    db.session.expire_all()
    assert db.session.get(CallRecording, recording_id).transcript == SAID  # type: ignore[union-attr]
    stored = db.session.execute(
        text("SELECT transcript FROM call_recordings WHERE id = :id"), {"id": recording_id}
    ).scalar()
    assert stored is not None
    assert "Mwangea" not in str(stored)  # encrypted at rest
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "recording.transcript")
    ).one()
    assert event.subject_id == grievance.reference
    assert "Mwangea" not in str(event.after) + str(event.before)  # that it changed, not what


def test_read_only_roles_and_organisations_type_no_transcript(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file()
    recording_id = recorded(grievance)
    auditor = console_for(app, scenario.auditor)

    assert "<audio" in auditor.html(grievance)  # auditors hear it
    assert not auditor.offers(grievance, f"/recordings/{recording_id}/transcript")
    assert (
        auditor.post(
            grievance, f"/recordings/{recording_id}/transcript", {"transcript": SAID}
        ).status_code
        == 403
    )


def test_a_transcript_too_long_is_refused_with_what_was_typed(
    app: Flask, scenario: Scenario
) -> None:
    grievance = scenario.file()
    recording_id = recorded(grievance)
    handler = console_for(app, scenario.handler)

    response = handler.post(
        grievance, f"/recordings/{recording_id}/transcript", {"transcript": "x" * 5001}
    )

    assert response.status_code == 422
    assert "Please keep it under 5000 characters." in response.get_data(as_text=True)
    assert db.session.get(CallRecording, recording_id).transcript is None  # type: ignore[union-attr]
