"""Acting once on an incident reaches each linked grievance: a proposal copied to each
company track and proposed there (each person told on their own channel, in their own
language), each person answering on their own; a refusal on one case reported without
holding back the others."""

from __future__ import annotations

from sqlalchemy import select

from remedy.cases import incident_actions, tracks
from remedy.core.extensions import db
from remedy.models import (
    Ask,
    AuditEvent,
    MessageChannel,
    RemedyType,
    TrackKind,
)
from remedy.workflows.states import TrackState
from tests.incidents.support import company_track, messages, spill
from tests.workflows.scenarios import Scenario

CLEAN_UP = tracks.RemedyActionPlan(RemedyType.RESTITUTION, "Clean the river and the wells.")


def test_a_proposal_reaches_each_person_on_their_own_channel(scenario: Scenario) -> None:
    stage = spill(scenario)

    report = incident_actions.propose_to_everyone(
        scenario.handler, stage.incident, scenario.company.id, [CLEAN_UP]
    )

    assert [result.reference for result in report.done] == [g.reference for g in stage.grievances]
    assert report.refused == []
    for grievance in stage.grievances:
        track = company_track(scenario, grievance)
        assert track.state == TrackState.PROPOSED
        assert [a.description for a in track.remedy_actions] == ["Clean the river and the wells."]
    (sms,) = messages(stage.by_sms, "remedy_proposed")
    assert (sms.channel, sms.language, sms.address) == (MessageChannel.SMS, "sw", "+254700111222")
    assert "1" in sms.body  # says how to answer by SMS
    (web,) = messages(stage.on_web, "remedy_proposed")
    assert (web.channel, web.language, web.organisation_id) == (MessageChannel.WEB, "fr", None)
    (proxy,) = messages(stage.by_proxy, "remedy_proposed")
    assert (proxy.channel, proxy.organisation_id) == (MessageChannel.WEB, scenario.ngo.id)
    # The SMS asks the person: their answer by SMS reaches this track.
    asked = db.session.scalars(select(Ask).where(Ask.outbox_message_id == sms.id)).one()
    assert asked.track_id == company_track(scenario, stage.by_sms).id


def test_each_person_answers_on_their_own(scenario: Scenario) -> None:
    stage = spill(scenario)
    incident_actions.propose_to_everyone(
        scenario.handler, stage.incident, scenario.company.id, [CLEAN_UP]
    )

    tracks.accept_proposal(
        scenario.complainant(stage.by_sms), company_track(scenario, stage.by_sms)
    )
    tracks.decline_proposal(
        scenario.complainant(stage.on_web),
        company_track(scenario, stage.on_web),
        "The wells are not enough: our fish died too.",
    )

    assert company_track(scenario, stage.by_sms).state == TrackState.IMPLEMENTING
    assert company_track(scenario, stage.on_web).state == TrackState.DIALOGUE
    assert company_track(scenario, stage.by_proxy).state == TrackState.PROPOSED
    assert messages(stage.by_sms, "proposal_declined") == []
    assert messages(stage.on_web, "proposal_accepted") == []


def test_a_refusal_on_one_case_does_not_hold_back_the_others(scenario: Scenario) -> None:
    # The second case's company contributed: its proposal needs a leverage plan first.
    stage = spill(scenario, TrackKind.CAUSE, TrackKind.CONTRIBUTE, TrackKind.CAUSE)

    report = incident_actions.propose_to_everyone(
        scenario.handler, stage.incident, scenario.company.id, [CLEAN_UP]
    )

    assert [r.reference for r in report.done] == [stage.by_sms.reference, stage.by_proxy.reference]
    (refused,) = report.refused
    assert refused.reference == stage.on_web.reference
    assert "leverage" in refused.message
    held_back = company_track(scenario, stage.on_web)
    assert held_back.state == TrackState.PLANNING
    assert held_back.remedy_actions == []  # nothing half done on the refused case
    assert messages(stage.on_web, "remedy_proposed") == []
    assert company_track(scenario, stage.by_sms).state == TrackState.PROPOSED
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "incident.propose_remedy")
    ).one()
    assert event.after["refused"] == [stage.on_web.reference]


def test_a_case_already_answered_is_reported_not_proposed_again(scenario: Scenario) -> None:
    stage = spill(scenario)
    scenario.propose(company_track(scenario, stage.on_web))

    report = incident_actions.propose_to_everyone(
        scenario.handler, stage.incident, scenario.company.id, [CLEAN_UP]
    )

    assert [r.reference for r in report.refused] == [stage.on_web.reference]
    assert "Remedy proposed" in report.refused[0].message
    assert len(company_track(scenario, stage.on_web).remedy_actions) == 1


def test_a_decision_for_an_organisation_without_tracks_is_refused_on_each_case(
    scenario: Scenario,
) -> None:
    stage = spill(scenario)

    report = incident_actions.decide_for_everyone(
        scenario.handler, stage.incident, scenario.partner.id, "escalate", "No answer in a month."
    )

    assert report.done == []
    assert [r.reference for r in report.refused] == [g.reference for g in stage.grievances]
    assert {r.message for r in report.refused} == {"This case has no track for this organisation."}
