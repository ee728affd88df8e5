"""What the people's-languages tests share: one case with a French complainant and an
English affected person, classified with words for the people in both languages, and a
remedy proposed in both (or in English only)."""

from __future__ import annotations

from dataclasses import dataclass

from remedy.cases import intake, tracks
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.models import (
    Channel,
    Grievance,
    InvolvementTrack,
    OutboxMessage,
    RemedyType,
    TrackKind,
)
from tests.workflows.scenarios import Scenario

# What the team wrote first: what every channel showed before, and the fallback still.
FIRST = "Remove the fence (contractor ticket 4471)."
FRENCH = "Retirer la clôture qui bloque le chemin du puits."
ENGLISH = "Remove the fence that blocks the path to the well."
RATIONALE = "Staff notes: site inspection 12 May, drone photos."
EXPLAINED = {"fr": "L'entreprise a posé la clôture.", "en": "The company built the fence."}


@dataclass(frozen=True)
class TwoLanguages:
    grievance: Grievance
    track: InvolvementTrack
    pin: str

    def person(self, language: str) -> int:
        return next(
            link.person_id for link in self.grievance.people if link.person.language == language
        )

    def told(self, template: str, language: str) -> list[OutboxMessage]:
        """The messages of ``template`` queued to the person who reads ``language``."""
        return [
            message
            for message in self.grievance_messages()
            if message.template == template and message.person_id == self.person(language)
        ]

    def grievance_messages(self) -> list[OutboxMessage]:
        return list(
            db.session.query(OutboxMessage).filter(OutboxMessage.grievance_id == self.grievance.id)
        )


def french_and_english(
    scenario: Scenario, texts: dict[str, str] | None = None, propose: bool = True
) -> TwoLanguages:
    """Filed by SMS in French; the English neighbour is affected too. Classified; a
    remedy proposed with its description in ``texts`` (both languages by default)."""
    form = GrievanceForm(
        channel=Channel.SMS,
        language="fr",
        description="La nouvelle clôture bloque le chemin du puits.",
        complainant=PersonDetails("Awa Diallo", "+254700100201", "fr"),
        affected=[PersonDetails("John Otieno", "+254700100202", "en")],
        contact_consent=True,
    )
    submitted = submit_grievance(OPERATOR, form)
    grievance = submitted.grievance
    intake.accept(scenario.handler, grievance)
    plan = intake.TrackPlan(
        scenario.company, TrackKind.CAUSE, RATIONALE, "The company is responsible.", EXPLAINED
    )
    (track,) = intake.classify(scenario.handler, grievance, [plan], intake.Severity(2, 2, 1))
    if propose:
        given = {"fr": FRENCH, "en": ENGLISH} if texts is None else texts
        action = tracks.RemedyActionPlan(RemedyType.RESTITUTION, FIRST, texts=given)
        tracks.propose_remedy(scenario.handler, track, [action])
    db.session.commit()
    return TwoLanguages(grievance, track, submitted.pin)
