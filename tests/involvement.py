"""What the involvement tests share: a case classified two ways, with the people's words,
and the sentences each channel must say about it in a language."""

from __future__ import annotations

from flask_babel import force_locale

from remedy.cases import intake, tracks
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.messaging import sms_texts
from remedy.models import Grievance, InvolvementTrack, LeverageType, TrackKind
from tests.workflows.scenarios import Scenario

PARTNER = "Rift Haulage Ltd"
EXPLANATION = "The company's own trucks carried the waste to the river."
LANGUAGES = ("en", "fr", "es", "sw", "ar")


def classify_two_ways(
    scenario: Scenario,
    grievance: Grievance,
    company_kind: TrackKind = TrackKind.CAUSE,
    classifier: Actor | None = None,
) -> tuple[InvolvementTrack, InvolvementTrack]:
    """The company by ``company_kind`` with words for the people; its business partner
    directly linked, pressing the haulier its leverage action names."""
    by = classifier or scenario.handler
    intake.accept(by, grievance)
    plans = [
        intake.TrackPlan(scenario.company, company_kind, "Staff notes: GPS logs.", EXPLANATION),
        intake.TrackPlan(scenario.partner, TrackKind.DIRECTLY_LINKED, "Hauls for the company."),
    ]
    company, partner = intake.classify(by, grievance, plans, intake.Severity(2, 2, 1))
    haulier = tracks.LeveragePlan(LeverageType.RAISE_ISSUE, PARTNER, "Raise it.")
    tracks.add_leverage_action(scenario.handler, partner, haulier)
    db.session.commit()
    return company, partner


def sentences(scenario: Scenario, company_kind: TrackKind, language: str) -> list[str]:
    """What must be said, in ``language``: one sentence per organisation."""
    company_text = {
        TrackKind.CAUSE: sms_texts.INVOLVED_CAUSE,
        TrackKind.CONTRIBUTE: sms_texts.INVOLVED_CONTRIBUTE,
    }[company_kind]
    with force_locale(language):
        return [
            str(company_text) % {"organisation": scenario.company.name},
            str(sms_texts.INVOLVED_LINKED)
            % {"organisation": scenario.partner.name, "partner": PARTNER},
        ]
