"""3 at the main menu, by the call's clock: with ``REMEDY_OFFICE_HOURS`` and
``REMEDY_VOICE_FORWARD_TO`` set, a call inside the hours is forwarded to the team with
``<Dial>``; outside them the caller hears the recorded-message prompt instead."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from remedy.voice import turn
from tests.voice.conftest import Caller, said
from tests.voice.test_filing import the_call

TEAM = "+254700000123"
# Mon-Fri 08:00-17:00 in Nairobi (UTC+3): Monday 12:00 UTC is 15:00 there, 15:00 UTC is 18:00.
IN_HOURS = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
AFTER_HOURS = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


@pytest.fixture
def app_overrides(sends_to_twilio: dict[str, Any]) -> dict[str, Any]:
    return {
        **sends_to_twilio,
        "REMEDY_OFFICE_HOURS": "mon-fri 08:00-17:00",
        "REMEDY_VOICE_FORWARD_TO": TEAM,
        "BABEL_DEFAULT_TIMEZONE": "Africa/Nairobi",
    }


def at(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    monkeypatch.setattr(turn, "utcnow", lambda: now)


def speak_to_someone(caller: Caller) -> None:
    caller.call()
    caller.press("1")  # English
    caller.press("3")


def test_in_office_hours_option_3_dials_the_team(
    caller: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, IN_HOURS)

    speak_to_someone(caller)

    assert caller.twiml is not None
    dial = caller.twiml.find("Dial")
    assert dial is not None
    assert (dial.text or "").strip() == TEAM
    assert said("forwarding", "en") in caller.heard()
    assert caller.twiml.find("Record") is None
    call = the_call(caller)
    assert call.state == "forwarded"
    assert call.ended_at is not None


def test_after_office_hours_option_3_records_a_message_instead(
    caller: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, AFTER_HOURS)

    speak_to_someone(caller)

    assert caller.twiml is not None
    assert caller.twiml.find("Dial") is None
    assert caller.twiml.find("Record") is not None
    assert said("team_message", "en") in caller.heard()
    assert the_call(caller).state == "team_message"
