"""The scenario builder reaches every state it promises (so other tests can trust it)."""

from __future__ import annotations

import pytest

from remedy.audit.log import verify_chain
from remedy.models import TrackKind
from remedy.workflows import CAUSE, CONTRIBUTE, DIRECTLY_LINKED, INTAKE
from tests.workflows.scenarios import Scenario

GRIEVANCE_STATES = [s.name for s in INTAKE.states if s.name != "received"]


@pytest.mark.parametrize("state", GRIEVANCE_STATES)
def test_a_grievance_can_be_brought_to(scenario: Scenario, state: str) -> None:
    grievance = scenario.to_grievance_state(state)
    assert grievance.state == state
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("kind", "state"),
    [(TrackKind.CAUSE, s.name) for s in CAUSE.states]
    + [(TrackKind.CONTRIBUTE, s.name) for s in CONTRIBUTE.states]
    + [(TrackKind.DIRECTLY_LINKED, s.name) for s in DIRECTLY_LINKED.states],
)
def test_a_track_can_be_brought_to(scenario: Scenario, kind: TrackKind, state: str) -> None:
    _grievance, (track,) = scenario.in_remedy(kind)
    scenario.to_track_state(track, state)
    assert track.state == state
