"""The console's access matrix: every role against every console route, GET and POST.

Every route under ``/console`` (whatever module declares it) must have an entry in
``ROUTES`` saying how to call it and what each role gets; a route without one fails
``test_every_console_route_has_an_expectation``. Expectations:

- ``OK``: the role gets through. A GET answers 200; a POST, sent with an empty form
  (so nothing changes), is judged by the service: 302 done, 400 or 409 refused for its
  content, 200 shown again. Never 403 or 404.
- ``403``: refused for its role or for what the workflow allows it.
- ``404``: the grievance (or track) is not one this role may see: it looks absent.

Separately, identities withheld by the complainant never appear on any console page, for
any role; an organisation's staff never see another organisation's track.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from remedy.cases.incidents import create_incident
from remedy.cases.lessons import LessonInput, create_lesson
from remedy.cases.referrals import get_mechanism, record_referral
from remedy.cases.reprisal_incidents import IncidentReport, record_incident
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails
from remedy.identity import reveals as identity_reveals
from remedy.identity.consents import consent_for
from remedy.models import (
    ErasureRequest,
    Grievance,
    InvolvementTrack,
    Lesson,
    Mandate,
    Organisation,
    Role,
    RootCause,
    TrackKind,
)
from remedy.models.attachment import Attachment
from remedy.webhooks.subscriptions import add_subscription, list_subscriptions
from tests.console.case_support import console_for, new_user, user_of
from tests.console.test_recordings import recorded
from tests.oversight_support import oversight_reader
from tests.support import csrf_token
from tests.workflows.scenarios import Scenario

OK = "ok"
ROLES = (
    "admin",
    "supervisor",
    "handler",
    "protection_officer",
    "auditor",
    "proxy_member",
    "company_staff",
    "oversight",
)
NAMES = ("Wanjiru Kamau", "Otieno Were")
PHONES = ("+254711000111", "+254722000222")


@dataclass
class Stage:
    """What the routes act on: a grievance in screening, one whose company track is
    planning a remedy, and one implementing a remedy with remedy and leverage actions.
    Every one withheld its people's identity."""

    screening: Grievance
    planning: Grievance
    implementing: Grievance
    reveal_id: int
    # An erasure request on the planning grievance, waiting for a second person.
    erasure_id: int
    # The NGO's mandate on the planning grievance (in force: approving it is refused).
    mandate_id: int
    ngo: Organisation
    # A file sent with the planning grievance.
    attachment_id: int
    # A call recording of the planning grievance, stored (its person withheld who they are).
    recording_id: int
    # A reprisal incident on the planning grievance, its alert not acknowledged.
    incident_id: int
    # A case with a partner track the people were asked about: its grievance and question.
    asked: Grievance
    consent_id: int
    # An incident the planning grievance is linked to.
    linked_incident_id: int
    # A referral of the planning grievance's company track.
    referral_id: int
    actors: dict[str, Actor] = field(default_factory=dict)

    def company_track(self, grievance: Grievance) -> InvolvementTrack:
        return next(t for t in grievance.tracks if t.kind is not TrackKind.DIRECTLY_LINKED)


def withheld(index: int) -> dict[str, Any]:
    return {
        "identity_withheld": True,
        "complainant": PersonDetails(NAMES[index % 2], PHONES[index % 2], "en"),
    }


@pytest.fixture
def stage(scenario: Scenario) -> Stage:
    screening = scenario.file(**withheld(0))
    planning, _tracks = scenario.in_remedy(
        TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED, **withheld(1)
    )
    implementing, (contribute,) = scenario.in_remedy(TrackKind.CONTRIBUTE, **withheld(0))
    scenario.implement(contribute)
    protection_officer = new_user("po@example.org", Role.PROTECTION_OFFICER)
    reveal = identity_reveals.request_reveal(
        new_user("po2@example.org", Role.PROTECTION_OFFICER), planning, "A court asked for it."
    )
    scenario.mandate(planning)
    incident = record_incident(
        protection_officer,
        planning,
        IncidentReport("Guards came to her house.", date(2020, 1, 15), hold_contact=False),
    )
    erasure = ErasureRequest(
        grievance_id=planning.id,
        requested_by_user_id=user_of(new_user("po3@example.org", Role.PROTECTION_OFFICER)).id,
        reason="She asked at the office.",
    )
    db.session.add(erasure)
    attachment = Attachment(
        grievance_id=planning.id, content_type="image/jpeg", size=3, content=b"jpg"
    )
    db.session.add(attachment)
    recording_id = recorded(planning)
    asked, _tracks = scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    consent = consent_for(asked, scenario.partner.id)
    assert consent is not None
    linked = create_incident(scenario.handler, planning, "Fence across the path")
    referral = record_referral(
        scenario.handler,
        planning,
        get_mechanism(scenario.court()),
        "A court can award damages.",
        next(t for t in planning.tracks if t.kind is TrackKind.CAUSE),
    )
    db.session.commit()
    return Stage(
        screening=screening,
        planning=planning,
        implementing=implementing,
        reveal_id=reveal.id,
        erasure_id=erasure.id,
        mandate_id=db.session.scalars(
            select(Mandate.id).where(Mandate.grievance_id == planning.id)
        ).one(),
        ngo=scenario.ngo,
        attachment_id=attachment.id,
        recording_id=recording_id,
        incident_id=incident.id,
        asked=asked,
        consent_id=consent.id,
        linked_incident_id=linked.id,
        referral_id=referral.id,
        actors={
            "admin": new_user("admin@example.org", Role.ADMIN),
            "supervisor": scenario.supervisor,
            "handler": scenario.handler,
            "protection_officer": protection_officer,
            "auditor": scenario.auditor,
            "proxy_member": scenario.proxy,
            "company_staff": scenario.company_handler,
            "oversight": oversight_reader(),
        },
    )


@dataclass(frozen=True)
class Call:
    """How to call one route, and what each role gets."""

    expect: dict[str, str | int]
    params: Callable[[Stage], dict[str, Any]] = lambda stage: {}
    data: dict[str, str] = field(default_factory=dict)


def everyone(outcome: str | int, **others: str | int) -> dict[str, str | int]:
    """``outcome`` for every role but ``others``; an oversight body is refused unless named:
    it reads its own de-identified page and nothing else of the console."""
    return {role: others.get(role, 403 if role == "oversight" else outcome) for role in ROLES}


STAFF_READ = everyone(OK, proxy_member=403)
# Posts to a grievance: handlers and supervisors work; protection officers pass the role
# check but the workflow refuses them; auditors and administrators change nothing.
CASE_WORK = everyone(OK, protection_officer=403, auditor=403, admin=403, proxy_member=403)


LEARNING_READ = everyone(OK, protection_officer=403, proxy_member=403, company_staff=403)
# Incidents are the mechanism's own work: an organisation's handlers are refused.
INCIDENT_WORK = {**CASE_WORK, "company_staff": 403}


def linked_incident(stage: Stage) -> dict[str, Any]:
    return {"incident_id": stage.linked_incident_id}


def planning(stage: Stage) -> dict[str, Any]:
    return {"reference": stage.planning.reference}


def planning_track(stage: Stage) -> dict[str, Any]:
    return {**planning(stage), "track_id": stage.company_track(stage.planning).id}


def implementing(stage: Stage) -> dict[str, Any]:
    return {"reference": stage.implementing.reference}


def implementing_track(stage: Stage) -> dict[str, Any]:
    return {**implementing(stage), "track_id": stage.company_track(stage.implementing).id}


def the_handler(stage: Stage) -> dict[str, Any]:
    return {"user_id": user_of(stage.actors["handler"]).id}


def remedy_action(stage: Stage) -> dict[str, Any]:
    track = stage.company_track(stage.implementing)
    return {**implementing(stage), "action_id": track.remedy_actions[0].id}


def leverage_action(stage: Stage) -> dict[str, Any]:
    track = stage.company_track(stage.implementing)
    return {**implementing(stage), "action_id": track.leverage_actions[0].id}


def first_cause(stage: Stage) -> dict[str, Any]:
    return {"cause_id": db.session.scalars(select(RootCause.id).order_by(RootCause.id)).first()}


def a_lesson(stage: Stage) -> dict[str, Any]:
    """A lesson learned, made the first time a route needs it."""
    found = db.session.scalars(select(Lesson.id)).first()
    if found is None:
        owner = user_of(stage.actors["supervisor"]).id
        cause = first_cause(stage)["cause_id"]
        given = LessonInput("Check pay slips monthly.", [cause], owner, date(2031, 1, 1))
        found = create_lesson(stage.actors["supervisor"], given).id
        db.session.commit()
    return {"lesson_id": found}


def webhook(stage: Stage) -> dict[str, Any]:
    """The NGO's webhook subscription, made the first time a route needs it."""
    found = list_subscriptions(stage.ngo) or [
        add_subscription(
            OPERATOR, stage.ngo, "https://hooks.example.org/", ["track.state_changed"]
        ).subscription
    ]
    return {"subscription_id": found[0].id}


ROUTES: dict[str, Call] = {
    # The queue, the supervisor view (this module's owner).
    "GET console.home": Call(STAFF_READ),
    "GET console.supervisor": Call(everyone(403, supervisor=OK, auditor=OK)),
    "GET console.supervisor_csv": Call(everyone(403, supervisor=OK, auditor=OK)),
    # Checking a paper receipt: the mechanism's own staff (it tells that a case exists).
    "GET console.receipts": Call(everyone(OK, proxy_member=403, company_staff=403)),
    # The oversight bodies' page: theirs alone.
    "GET console.oversight": Call(everyone(403, oversight=OK)),
    "GET console.oversight_chain": Call(everyone(403, oversight=OK)),
    "GET console.oversight_statistics": Call(everyone(403, oversight=OK)),
    # The case page and the work on it.
    "GET console.case": Call(STAFF_READ, planning),
    "GET console.attachment": Call(
        STAFF_READ, lambda stage: {**planning(stage), "attachment_id": stage.attachment_id}
    ),
    # A call's recording: heard by who reads the case, but not by an organisation when the
    # person withheld who they are (a voice can tell); typed out by the mechanism's workers.
    "GET console.recording_audio": Call(
        {**STAFF_READ, "company_staff": 403},
        lambda stage: {**planning(stage), "recording_id": stage.recording_id},
    ),
    "POST console.recording_transcript": Call(
        everyone(OK, auditor=403, admin=403, proxy_member=403, company_staff=403),
        lambda stage: {**planning(stage), "recording_id": stage.recording_id},
    ),
    "POST console.assign": Call(CASE_WORK, planning),
    "POST console.case_trigger": Call(
        {**CASE_WORK, "company_staff": 404},
        lambda stage: {"reference": stage.screening.reference, "trigger": "request_info"},
    ),
    "POST console.track_trigger": Call(
        CASE_WORK, lambda stage: {**planning_track(stage), "trigger": "propose_remedy"}
    ),
    # Complete forms where an empty one would be refused before the permission is checked.
    "POST console.add_remedy_action": Call(
        CASE_WORK,
        implementing_track,
        {
            "new-description": "Rebuild the path.",
            "new-type": "restitution",
            "new-owner": "this_organisation",
        },
    ),
    "POST console.deliver_remedy_action": Call(CASE_WORK, remedy_action),
    "POST console.cancel_remedy_action": Call(CASE_WORK, remedy_action),
    "POST console.add_leverage_action": Call(
        CASE_WORK,
        implementing_track,
        {
            "new-leverage-description": "Ask for a gate.",
            "new-leverage-target": "Rift Haulage",
            "new-leverage-type": "raise_issue",
        },
    ),
    "POST console.complete_leverage_action": Call(CASE_WORK, leverage_action),
    # An organisation never decides how it is itself involved.
    "POST console.reclassify_track": Call(
        {**CASE_WORK, "company_staff": 403},
        planning_track,
        {"kind": "contribute", "rationale": "New facts came out."},
    ),
    "POST console.open_check_in": Call(CASE_WORK, implementing_track),
    # The people's words in their languages: written by the track's own team.
    "POST console.write_people_text": Call(
        CASE_WORK,
        implementing_track,
        {"subject": "track", "language": "fr", "text": "L'entreprise a posé la clôture."},
    ),
    "POST console.add_note": Call(everyone(OK, auditor=403, admin=403, proxy_member=403), planning),
    # Replies to the people come from the mechanism, not from an organisation involved.
    "POST console.reply": Call({**CASE_WORK, "company_staff": 403}, planning),
    # Identity reveals: protection officers ask, a second person decides.
    "GET console.identity_reveal_requests": Call(
        everyone(403, protection_officer=OK, supervisor=OK)
    ),
    "POST console.request_reveal": Call(everyone(403, protection_officer=OK), planning),
    "POST console.approve_mandate": Call(
        everyone(403, supervisor=OK),
        lambda stage: {**planning(stage), "mandate_id": stage.mandate_id},
    ),
    "POST console.decide_reveal": Call(
        everyone(403, protection_officer=OK, supervisor=OK),
        lambda stage: {**planning(stage), "reveal_id": stage.reveal_id},
    ),
    # Erasure requests: protection officers ask (an open case is refused: 422), a second
    # person decides.
    "POST console.request_erasure": Call(everyone(403, protection_officer=OK), planning),
    "POST console.decide_erasure": Call(
        everyone(403, protection_officer=OK, supervisor=OK),
        lambda stage: {**planning(stage), "request_id": stage.erasure_id},
    ),
    # The people's answer about an organisation, given another way: protection officers.
    "POST console.record_consent": Call(
        everyone(403, protection_officer=OK),
        lambda stage: {"reference": stage.asked.reference, "consent_id": stage.consent_id},
    ),
    # The reprisal risk: the mechanism's protection officers and supervisors, at any stage.
    "POST console.change_reprisal_risk": Call(
        everyone(403, protection_officer=OK, supervisor=OK),
        planning,
        {"risk": "high", "reason": "Threats since the complaint."},
    ),
    # Triage at screening: the mechanism's handlers and supervisors (a company's staff do not
    # see a case in screening); the senior reviewer is named by supervisors only.
    "POST console.triage_case": Call(
        everyone(403, handler=OK, supervisor=OK, company_staff=404),
        lambda stage: {"reference": stage.screening.reference},
        {"flag": "violence"},
    ),
    "POST console.name_reviewer": Call(everyone(403, supervisor=OK), planning, {"reviewer": "1"}),
    # Reprisal incidents: recorded by the same people; the hold (not on here: refused)
    # lifted by them too; the alert acknowledged by supervisors only.
    "POST console.record_reprisal_incident": Call(
        everyone(403, protection_officer=OK, supervisor=OK),
        planning,
        {"what_happened": "Guards came to her house.", "happened_on": "2020-01-15"},
    ),
    "POST console.lift_contact_hold": Call(
        everyone(403, protection_officer=OK, supervisor=OK),
        planning,
        {"waiting": "send", "reason": "Safe again."},
    ),
    # A PIN lock is lifted, with the person present, by the mechanism's own case workers
    # and protection officers (the case is not locked here: refused for its content).
    "POST console.lift_pin_lock": Call(
        everyone(403, handler=OK, supervisor=OK, protection_officer=OK), planning
    ),
    "POST console.acknowledge_reprisal_alert": Call(
        everyone(403, supervisor=OK),
        lambda stage: {**planning(stage), "incident_id": stage.incident_id},
    ),
    # Incidents: read by the staff who see one of its cases (a company through its own
    # case); linked, described and acted on by the mechanism's handlers and supervisors.
    "GET console.incidents_list": Call(STAFF_READ),
    "GET console.incident": Call(STAFF_READ, linked_incident),
    "POST console.describe_incident": Call(INCIDENT_WORK, linked_incident),
    "POST console.link_to_incident": Call(INCIDENT_WORK, linked_incident),
    "POST console.unlink_from_incident": Call(
        INCIDENT_WORK,
        lambda stage: {**linked_incident(stage), "grievance_id": stage.planning.id},
    ),
    "POST console.propose_to_incident": Call(INCIDENT_WORK, linked_incident),
    "POST console.decide_for_incident": Call(INCIDENT_WORK, linked_incident),
    "POST console.start_incident": Call(INCIDENT_WORK, planning),
    "POST console.join_incident": Call(INCIDENT_WORK, planning),
    # Hand-offs: the mechanism's case workers record the people's consent and the body's
    # news; its staff read the pack; an organisation's staff see no referral (404).
    "POST console.referral_consent": Call(
        everyone(403, handler=OK, supervisor=OK, protection_officer=OK, company_staff=404),
        lambda stage: {**planning(stage), "referral_id": stage.referral_id},
    ),
    "POST console.referral_update": Call(
        everyone(403, handler=OK, supervisor=OK, protection_officer=OK, company_staff=404),
        lambda stage: {**planning(stage), "referral_id": stage.referral_id},
    ),
    "GET console.referral_pack": Call(
        {**STAFF_READ, "company_staff": 404},
        lambda stage: {**planning(stage), "referral_id": stage.referral_id},
    ),
    # The category and technology details: the mechanism's handlers and supervisors.
    "POST console.record_technology": Call(everyone(403, handler=OK, supervisor=OK), implementing),
    # State actors: recorded by the mechanism's case workers only.
    "POST console.record_state_actor": Call(
        everyone(403, handler=OK, supervisor=OK, protection_officer=OK), planning
    ),
    # A case's root causes: the mechanism's handlers and supervisors (issue 15).
    "POST console.set_root_causes": Call(everyone(403, handler=OK, supervisor=OK), planning),
    # The root-cause taxonomy: administrators only.
    "GET learning.root_causes": Call(everyone(403, admin=OK)),
    "POST learning.add_root_cause": Call(everyone(403, admin=OK)),
    "POST learning.rename_root_cause": Call(everyone(403, admin=OK), first_cause),
    "POST learning.retire_root_cause": Call(everyone(403, admin=OK), first_cause),
    # Lessons learned: administrators and supervisors write, handlers and auditors read.
    "GET learning.lessons_index": Call(LEARNING_READ),
    "GET learning.lesson": Call(LEARNING_READ, a_lesson),
    "GET learning.new_lesson": Call(everyone(403, admin=OK, supervisor=OK)),
    "POST learning.create_lesson": Call(everyone(403, admin=OK, supervisor=OK)),
    "POST learning.update_lesson": Call(everyone(403, admin=OK, supervisor=OK), a_lesson),
    # Trends: the mechanism's own staff who read or learn from cases.
    "GET learning.trends": Call(LEARNING_READ),
    "GET learning.trends_csv": Call(LEARNING_READ),
    # Organisations: administrators only.
    "GET organisations.index": Call(everyone(403, admin=OK)),
    "POST organisations.create": Call(everyone(403, admin=OK)),
    "POST organisations.vet": Call(
        everyone(403, admin=OK), lambda stage: {"organisation_id": stage.ngo.id}
    ),
    "POST organisations.served": Call(
        everyone(403, admin=OK), lambda stage: {"organisation_id": stage.ngo.id}
    ),
    "POST organisations.publish_statistics": Call(
        everyone(403, admin=OK), lambda stage: {"organisation_id": stage.ngo.id}
    ),
    # Webhooks: administrators only.
    "GET webhooks.index": Call(everyone(403, admin=OK)),
    "POST webhooks.create": Call(everyone(403, admin=OK)),
    "POST webhooks.rotate": Call(everyone(403, admin=OK), webhook),
    "POST webhooks.deactivate": Call(everyone(403, admin=OK), webhook),
    "GET webhooks.log": Call(everyone(403, admin=OK), webhook),
    # Accounts: administrators only. Posts with an empty form: the confirmation box is
    # missing (refused), or nothing to do for the handler's active, unlocked account.
    "GET users.index": Call(everyone(403, admin=OK)),
    "GET users.show": Call(everyone(403, admin=OK), the_handler),
    "POST users.deactivate": Call(everyone(403, admin=OK), the_handler),
    "POST users.reactivate": Call(everyone(403, admin=OK), the_handler),
    "POST users.set_role": Call(everyone(403, admin=OK), the_handler),
    "POST users.unlock": Call(everyone(403, admin=OK), the_handler),
    "POST users.reset_second_factor": Call(everyone(403, admin=OK), the_handler),
    # The SMS simulator: staff try conversations; read-only roles send nothing.
    # Only the mechanism's own staff: the phones' screens show PINs.
    "GET simulator.page": Call({**STAFF_READ, "company_staff": 403}),
    "POST simulator.send": Call(
        everyone(OK, auditor=403, admin=403, proxy_member=403, company_staff=403)
    ),
    # Its voice mode: the same people; a post with an empty form is refused for its content.
    "GET simulator.voice_page": Call({**STAFF_READ, "company_staff": 403}),
    "POST simulator.voice_step": Call(
        everyone(OK, auditor=403, admin=403, proxy_member=403, company_staff=403)
    ),
    # Inbound messages that failed: supervisors of the mechanism retry them.
    "POST simulator.retry_message": Call(
        everyone(403, supervisor=OK), lambda stage: {"message_id": 1}
    ),
}


def console_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/console")]


def calls(app: Flask) -> list[tuple[str, str, Rule]]:
    found = []
    for rule in console_rules(app):
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            found.append((f"{method} {rule.endpoint}", method, rule))
    return found


def test_every_console_route_has_an_expectation(app: Flask) -> None:
    missing = [key for key, _method, _rule in calls(app) if key not in ROUTES]
    stale = set(ROUTES) - {key for key, _method, _rule in calls(app)}

    assert missing == [], f"add these routes to ROUTES in {__name__}: {missing}"
    assert stale == set(), f"these routes are gone: {stale}"


def request(
    client: FlaskClient, method: str, path: str, token: str, data: dict[str, str]
) -> TestResponse:
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": token, **data})


def passed(method: str, response: TestResponse) -> bool:
    if method == "GET":
        return response.status_code == 200
    return response.status_code in (200, 302, 400, 409, 422)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_matrix_says(app: Flask, stage: Stage, role: str) -> None:
    client = console_for(app, stage.actors[role]).client
    # A page with a CSRF token the role may open (its own account page): posts carry it.
    token = csrf_token(client.get("/account").get_data(as_text=True))
    wrong = []
    for key, method, rule in calls(app):
        call = ROUTES[key]
        expected = call.expect[role]
        with app.test_request_context():
            path = url_for(rule.endpoint, **call.params(stage))
        response = request(client, method, path, token, call.data)
        ok = passed(method, response) if expected == OK else response.status_code == expected
        if not ok:
            wrong.append(f"{key} ({path}): expected {expected}, got {response.status_code}")

    assert wrong == [], "\n".join(wrong)


def test_anyone_signed_out_is_sent_to_sign_in(
    app: Flask, client: FlaskClient, stage: Stage
) -> None:
    for _key, method, rule in calls(app):
        if method != "GET":
            continue
        with app.test_request_context():
            path = url_for(rule.endpoint, **ROUTES[f"GET {rule.endpoint}"].params(stage))
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.location.startswith("/sign-in"), path


@pytest.mark.parametrize("role", ROLES)
def test_withheld_identities_reach_no_console_page(app: Flask, stage: Stage, role: str) -> None:
    client = console_for(app, stage.actors[role]).client
    pages = []
    for key, method, rule in calls(app):
        if method != "GET":
            continue
        with app.test_request_context():
            for grievance in (stage.screening, stage.planning, stage.implementing):
                params = ROUTES[key].params(stage)
                if "reference" in params:
                    params = {**params, "reference": grievance.reference}
                pages.append(url_for(rule.endpoint, **params))
    for path in dict.fromkeys(pages):
        body = client.get(path).get_data().decode("utf-8", "replace")  # audio files too
        for secret in (*NAMES, *PHONES, PHONES[0][4:], PHONES[1][4:]):
            assert secret not in body, f"{secret!r} shown to {role} on {path}"


def test_a_company_never_sees_another_organisations_track(app: Flask, stage: Stage) -> None:
    client = console_for(app, stage.actors["company_staff"]).client
    partner_track = next(
        track for track in stage.planning.tracks if track.kind is TrackKind.DIRECTLY_LINKED
    )

    for path in ("/console/", f"/console/grievances/{stage.planning.reference}"):
        body = client.get(path).get_data(as_text=True)
        assert "Rift Haulage" not in body, path
        assert f"/tracks/{partner_track.id}/" not in body, path
