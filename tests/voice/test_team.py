"""3 at the main menu: forwarded to the team during office hours, else a message."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models import CallRecording, RecordingPurpose, RecordingStatus
from remedy.voice.office_hours import in_office_hours
from remedy.voice.recordings import fetch_recordings
from tests.voice.conftest import Caller, said
from tests.voice.test_filing import the_call

MONDAY_NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
SUNDAY_NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_office_hours(app: object) -> None:
    assert in_office_hours(MONDAY_NOON, "mon-fri 08:00-17:00")
    assert not in_office_hours(SUNDAY_NOON, "mon-fri 08:00-17:00")
    assert not in_office_hours(MONDAY_NOON.replace(hour=18), "mon-fri 08:00-17:00")
    assert in_office_hours(SUNDAY_NOON, "08:00-17:00")
    assert not in_office_hours(MONDAY_NOON, "")  # unset: never, so nobody rings in vain


def test_after_hours_the_caller_leaves_a_message_for_the_team(caller: Caller) -> None:
    caller.call()
    caller.press("1")
    caller.press("3")
    assert said("team_message", "en") in caller.heard()
    caller.record()
    assert said("goodbye", "en") in caller.heard()
    assert the_call(caller).state == "ended"

    assert fetch_recordings() == 1
    (message,) = db.session.scalars(select(CallRecording)).all()
    db.session.refresh(message)
    assert message.purpose is RecordingPurpose.MESSAGE
    assert message.status is RecordingStatus.STORED
    assert message.content
