"""A hand-built set of cases whose every figure is known, built through the workflows."""

from __future__ import annotations

from dataclasses import dataclass

from remedy.cases import intake
from remedy.cases.check_ins import answer_check_in
from remedy.cases.mechanism_feedback import answer_fairness
from remedy.core.extensions import db
from remedy.models.check_in import Answer
from remedy.models.grievance import Category, Channel, Grievance
from remedy.models.involvement_track import TrackKind
from remedy.models.mechanism_feedback import FeedbackVia
from tests.workflows.scenarios import Scenario


@dataclass(frozen=True)
class CaseSet:
    grievances: list[Grievance]


def build_case_set(scenario: Scenario) -> CaseSet:
    """Eight grievances:

    - two remedied (company track, the person said yes, satisfied 5 and 4), filed by SMS
      about land; the first one's person found the handling fair (4 of 5);
    - one partly remedied (the person said partly), by web about land;
    - one appealed after it was resolved (remedied, then appealed: under review), by SMS;
    - one not admissible and one withdrawn, by voice, not classified;
    - one found with no involvement, by web about the environment;
    - one still in screening, by WhatsApp, about labour.
    """
    made: list[Grievance] = []
    for satisfaction in (5, 4):
        grievance, (track,) = scenario.in_remedy(
            TrackKind.CAUSE, category=Category.LAND, channel=Channel.SMS
        )
        scenario.verify(track)
        for check_in in scenario.open_check_ins(track):
            answer_check_in(
                scenario.complainant(grievance, check_in.person_id),
                check_in,
                Answer.YES,
                satisfaction=satisfaction,
            )
        made.append(grievance)
    answer_fairness(
        scenario.complainant(made[0]), made[0], 4, "They listened to us.", FeedbackVia.SMS
    )
    grievance, (track,) = scenario.in_remedy(
        TrackKind.CAUSE, category=Category.LAND, channel=Channel.WEB
    )
    scenario.to_track_state(track, "partly_remedied")
    made.append(grievance)
    made.append(scenario.to_grievance_state("under_review"))
    made[-1].category = Category.LAND
    rejected = scenario.file(channel=Channel.VOICE)
    intake.reject(scenario.handler, rejected, "Outside our operations.", scenario.court())
    withdrawn = scenario.file(channel=Channel.VOICE)
    intake.withdraw(scenario.complainant(withdrawn), withdrawn)
    unrelated = scenario.in_assessment(channel=Channel.WEB, category=Category.ENVIRONMENT)
    intake.find_no_involvement(scenario.handler, unrelated, "Not our site.", scenario.court())
    made += [rejected, withdrawn, unrelated]
    made.append(scenario.file(channel=Channel.WHATSAPP, category=Category.LABOUR))
    db.session.commit()
    return CaseSet(made)
