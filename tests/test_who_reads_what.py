"""Who reads what: each role of each kind of organisation, against each kind of data a case
holds, through the API and through the pages that reader uses (the console for staff, the
portal for an NGO).

One case holds it all: a sensitive complaint (health) with a file attached, a track for the
company the mechanism serves and one for its business partner, a proposal on each told to
the people, and an NGO speaking for the people under a mandate. ``EXPECTED`` is the
product's answer to "who may read this?"; every cell a surface offers is read back there.

Columns:
- ``identity``: the people's names and phone numbers (``pseudonym``: only the pseudonym);
- ``told``: what the people told (the description of a sensitive case);
- ``file``: the file they sent (pages only: the API lists no files);
- ``own``, ``other``: messages to the people about the reader's own organisation's track,
  and about the other organisation's track (the mechanism and the NGO: the company's
  and the partner's);
- ``ngo``: messages to the NGO that holds the mandate (API only);
- ``mandate``: the mandate's details in the audit log (API only; the audit log is the
  mechanism's record, closed to proxies, who read their own mandates on the portal);
- ``risk``: the reprisal risk recorded (API only here; the console case page and queue
  follow the same rule, ``tests/console/test_reprisal_risk.py``): never the organisations'
  staff, whom the people may fear.

A ``referral_partner`` (a body the case was referred to) reads nothing of the case here,
not even that it exists: every surface refuses it (403). It reads only the referral's own
endpoints, and there the pack its consent allows (``tests/api/test_referral_handoffs.py``).
An ``oversight`` account (a member of an oversight body) is refused every surface too: it
reads de-identified timelines on its own page (``tests/console/test_oversight.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from remedy.cases import intake
from remedy.cases.referrals import record_referral
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.models import Category, Grievance, ReprisalRisk
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from tests.api.conftest import Api, Cast, api_for, cast  # noqa: F401 (fixtures)
from tests.console.case_support import console_for, text_of
from tests.handoffs import connected_bodies
from tests.oversight_support import oversight_reader
from tests.proxy.portal import enrolled as portal_account
from tests.sensitive_support import TOLD, attachment_of, handler_cleared, sensitive_case
from tests.support import sign_in

Y, N = "yes", "no"
PSEUDONYM = "pseudonym"
NONE = "no case"  # the case does not exist for this reader: 404 on every surface
REFUSED = "refused"  # this reader may not use the surface at all: 403 on every one
COLUMNS = ("identity", "told", "file", "own", "other", "ngo", "mandate", "risk")
API_COLUMNS = ("identity", "told", "own", "other", "ngo", "mandate", "risk")
PAGE_COLUMNS = ("identity", "told", "file")

EXPECTED: dict[str, tuple[str, ...]] = {
    # reader:             identity told file own other ngo mandate risk
    "handler": (Y, N, N, Y, Y, Y, Y, Y),
    "cleared_handler": (Y, Y, Y, Y, Y, Y, Y, Y),
    "supervisor": (Y, N, N, Y, Y, Y, Y, Y),
    "protection_officer": (Y, N, N, Y, Y, Y, Y, Y),
    "auditor": (PSEUDONYM, N, N, Y, Y, Y, Y, Y),
    "admin": (PSEUDONYM, N, N, Y, Y, Y, Y, Y),
    "company_handler": (Y, N, N, Y, N, N, N, N),
    "company_supervisor": (Y, N, N, Y, N, N, N, N),
    "partner_handler": (PSEUDONYM, N, N, Y, N, N, N, N),
    "proxy": (Y, N, N, Y, Y, Y, N, Y),
    "other_proxy": (NONE,) * len(COLUMNS),
    "referral_partner": (REFUSED,) * len(COLUMNS),
    "oversight": (REFUSED,) * len(COLUMNS),
}
PROXIES = frozenset({"proxy", "other_proxy"})


@dataclass
class JointCase:
    grievance: Grievance
    company_track: InvolvementTrack
    partner_track: InvolvementTrack
    ngo_id: int
    name: str
    phone: str
    pseudonym: str

    def tracks_for(self, who: str) -> tuple[InvolvementTrack, InvolvementTrack]:
        """(own, other): the partner's staff own the partner's track; everyone else reads
        the company's as "own"."""
        if who == "partner_handler":
            return self.partner_track, self.company_track
        return self.company_track, self.partner_track


@pytest.fixture
def joint_case(cast: Cast) -> JointCase:  # noqa: F811
    scenario = cast.scenario
    grievance = sensitive_case(scenario, Category.HEALTH)
    grievance.reprisal_risk = ReprisalRisk.HIGH  # as the people said at filing
    intake.accept(scenario.handler, grievance)
    plans = [
        intake.TrackPlan(scenario.company, TrackKind.CAUSE, "The clinic's waste."),
        intake.TrackPlan(scenario.partner, TrackKind.CAUSE, "The haulier dumped it."),
    ]
    company_track, partner_track = intake.classify(
        scenario.handler, grievance, plans, intake.Severity(2, 2, 1)
    )
    scenario.mandate(grievance)
    scenario.propose(company_track)
    scenario.propose(partner_track)
    person = grievance.people[0].person
    assert person.name
    assert person.phone
    return JointCase(
        grievance,
        company_track,
        partner_track,
        scenario.ngo.id,
        person.name,
        person.phone,
        person.pseudonym,
    )


def reader(cast: Cast, who: str, case: JointCase) -> Actor:  # noqa: F811
    if who == "cleared_handler":
        return handler_cleared("cleared@example.org")
    if who == "referral_partner":
        # The body the company's track was referred to, with the people's consent.
        body = connected_bodies()
        referral = record_referral(
            cast.handler, case.grievance, body.mechanism, "Back pay.", case.company_track
        )
        referral.consent = True
        db.session.commit()
        return body.partner
    if who == "oversight":
        return oversight_reader()
    return getattr(cast, who)


def expected(who: str, columns: tuple[str, ...]) -> dict[str, str]:
    return {column: EXPECTED[who][COLUMNS.index(column)] for column in columns}


def yes(found: bool) -> str:
    return Y if found else N


# Through the API ---------------------------------------------------------------------------


def read_api(api: Api, case: JointCase, who: str) -> dict[str, str]:
    reference = case.grievance.reference
    detail = api.get(f"/grievances/{reference}")
    if detail.status_code == 404:
        return dict.fromkeys(API_COLUMNS, NONE)
    if detail.status_code == 403:
        refused = [
            api.get(f"/grievances/{reference}/{name}") for name in ("messages", "audit-events")
        ]
        assert {response.status_code for response in refused} == {403}
        return dict.fromkeys(API_COLUMNS, REFUSED)
    assert detail.status_code == 200, detail.get_json()
    body = detail.get_json()
    messages = api.get(f"/grievances/{reference}/messages").get_json()["items"]
    audit = api.get(f"/grievances/{reference}/audit-events")
    events = audit.get_json()["items"] if audit.status_code == 200 else []
    person = body["people"][0]
    to_people = {m["track_id"] for m in messages if not m["recipient"].startswith("org")}
    own, other = case.tracks_for(who)
    if person.get("name") == case.name and person.get("phone") == case.phone:
        identity = Y
    else:
        assert "name" not in person, person
        assert "phone" not in person, person
        assert all("address" not in m for m in messages), "no phone number in messages"
        identity = PSEUDONYM if person["pseudonym"] == case.pseudonym else N
    return {
        "identity": identity,
        "told": yes(body["description"] == TOLD),
        "own": yes(own.id in to_people),
        "other": yes(other.id in to_people),
        "ngo": yes(any(m["recipient"] == f"organisation:{case.ngo_id}" for m in messages)),
        "mandate": yes(any(event["action"].startswith("mandate.") for event in events)),
        "risk": yes(body["reprisal_risk"] == ReprisalRisk.HIGH),
    }


@pytest.mark.parametrize("who", list(EXPECTED))
def test_the_api_answers_each_reader_as_the_table_says(
    cast: Cast,  # noqa: F811
    api_for: Callable[[Actor], Api],  # noqa: F811
    joint_case: JointCase,
    who: str,
) -> None:
    read = read_api(api_for(reader(cast, who, joint_case)), joint_case, who)

    assert read == expected(who, API_COLUMNS)


# Through the pages -------------------------------------------------------------------------


def page_client(app: Flask, actor: Actor, who: str) -> tuple[FlaskClient, str]:
    """A signed-in browser and the case page's address for this reader."""
    if who in PROXIES:
        client = app.test_client()
        sign_in(client, portal_account(actor))
        return client, "/proxy/cases/{reference}"
    return console_for(app, actor).client, "/console/grievances/{reference}"


def read_pages(client: FlaskClient, page: str, case: JointCase) -> dict[str, str]:
    grievance = case.grievance
    response = client.get(page.format(reference=grievance.reference))
    if response.status_code == 404:
        return dict.fromkeys(PAGE_COLUMNS, NONE)
    if response.status_code == 403:
        return dict.fromkeys(PAGE_COLUMNS, REFUSED)
    assert response.status_code == 200, response.status_code
    text = text_of(response.get_data(as_text=True))
    assert display(grievance.reference) in text
    attachment = attachment_of(grievance)
    download = client.get(f"/console/grievances/{grievance.reference}/attachments/{attachment.id}")
    if case.name in text or case.phone in text:
        identity = Y
    else:
        identity = PSEUDONYM if case.pseudonym in text else N
    return {
        "identity": identity,
        "told": yes(TOLD in text),
        "file": yes(download.status_code == 200),
    }


@pytest.mark.parametrize("who", list(EXPECTED))
def test_the_pages_show_each_reader_what_the_table_says(
    app: Flask,
    cast: Cast,  # noqa: F811
    joint_case: JointCase,
    who: str,
) -> None:
    client, page = page_client(app, reader(cast, who, joint_case), who)

    read = read_pages(client, page, joint_case)

    assert read == expected(who, PAGE_COLUMNS)
