"""A caller hears the remedy proposed in their own language: the team's French words to a
French caller, never the English ones."""

from __future__ import annotations

from remedy.cases import tracks
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails
from remedy.models import RemedyType, TrackKind
from tests.voice.conftest import Caller, said
from tests.voice.test_case import new_pin
from tests.workflows.scenarios import Scenario

FRENCH = "Retirer la clôture qui bloque le chemin du puits."
ENGLISH = "Remove the fence that blocks the path to the well."


def test_a_french_caller_hears_the_proposal_in_french(scenario: Scenario, caller: Caller) -> None:
    person = PersonDetails("Awa", caller.number, "fr")
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE, complainant=person, language="fr")
    plan = tracks.RemedyActionPlan(
        RemedyType.RESTITUTION, ENGLISH, texts={"fr": FRENCH, "en": ENGLISH}
    )
    tracks.propose_remedy(scenario.handler, track, [plan])
    db.session.commit()
    pin = new_pin(grievance)

    caller.call()
    caller.press("2")
    assert caller.heard() == said("enter_reference", "fr")
    caller.press(grievance.reference)
    caller.press(pin)
    caller.heard()
    caller.press("1")

    heard = caller.heard()
    assert said("proposed", "fr", remedy=FRENCH) in heard
    assert ENGLISH not in heard
