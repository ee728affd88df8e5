"""The case page names each organisation and how it is involved, in the person's language,
with the team's words for them; the person may contest a classification, and a
supervisor who did not classify it upholds it (with a reason told to them) or
reclassifies it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from remedy.cases import tracks
from remedy.cases.policy import reclassify_refusal
from remedy.core.errors import NotAllowed
from remedy.core.extensions import db
from remedy.models import InvolvementTrack, OutboxMessage, TrackKind
from tests.api import conftest as api_support
from tests.involvement import EXPLANATION, LANGUAGES, classify_two_ways, sentences
from tests.web.conftest import Case, WebVisitor
from tests.web.test_case import opened
from tests.workflows.scenarios import Scenario

FiledCase = Callable[..., Case]
Api = api_support.Api
api_for = api_support.api_for  # the API tests' fixture: requests with a user's token


def page_in(visitor: WebVisitor, case: Case, language: str) -> str:
    return visitor.get(f"/case/{case.reference}?lang={language}").get_data(as_text=True)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", [TrackKind.CAUSE, TrackKind.CONTRIBUTE])
def test_the_case_page_names_each_organisation_and_its_involvement(
    visitor: WebVisitor, filed_case: FiledCase, scenario: Scenario, language: str, kind: TrackKind
) -> None:
    case = filed_case()
    classify_two_ways(scenario, case.grievance, kind)
    opened(visitor, case)

    html = page_in(visitor, case, language)

    for sentence in sentences(scenario, kind, language):
        assert str(escape(sentence)) in html
    assert str(escape(EXPLANATION)) in html  # the team's words for the people
    assert "Staff notes" not in html  # never the staff rationale


def test_a_partner_not_yet_named_is_a_business_partner(
    visitor: WebVisitor, filed_case: FiledCase, scenario: Scenario
) -> None:
    case = filed_case()
    _company, partner = classify_two_ways(scenario, case.grievance)
    partner.leverage_actions.clear()
    db.session.commit()

    html = opened(visitor, case)

    name = escape(scenario.partner.name)
    assert f"{name} is linked through a business partner: it must press the partner" in html


def contest_on_the_page(visitor: WebVisitor, case: Case, track: InvolvementTrack) -> str:
    opened(visitor, case)
    response = visitor.post(
        f"/case/{case.reference}/contest/{track.id}",
        {"reason": "The company drove the trucks itself."},
        page=f"/case/{case.reference}/contest/{track.id}",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return visitor.get(response.location).get_data(as_text=True)


def told(case: Case, template: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.grievance_id == case.grievance.id,
                OutboxMessage.template == template,
            )
        )
    )


def test_the_person_contests_and_a_supervisor_who_did_not_classify_upholds(
    visitor: WebVisitor,
    filed_case: FiledCase,
    scenario: Scenario,
    api_for: Callable[..., Api],
) -> None:
    case = filed_case()
    _company, partner = classify_two_ways(scenario, case.grievance, classifier=scenario.supervisor)

    page = contest_on_the_page(visitor, case, partner)

    assert "Someone who did not decide it will review it." in page
    db.session.expire_all()
    assert partner.state == "classification_contested"
    assert partner.contested_state == "engaging"
    assert partner.contest_reason == "The company drove the trucks itself."
    assert told(case, "classification_contested")
    assert f"/contest/{partner.id}" not in page  # contested once, until reviewed

    path = f"/grievances/{case.reference}/tracks/{partner.id}/triggers/uphold_classification"
    body = {"reason": "The haulier's own contract covers the trucks."}
    refused = api_for(scenario.supervisor).post(path, body)
    assert refused.status_code in (403, 409, 422), refused.get_json()
    db.session.expire_all()
    assert partner.state == "classification_contested"  # the decider may not review it
    assert isinstance(reclassify_refusal(scenario.supervisor, partner), NotAllowed)

    upheld = api_for(scenario.other_supervisor).post(path, body)

    assert upheld.status_code == 200, upheld.get_json()
    db.session.expire_all()
    assert partner.state == "engaging"
    assert partner.kind is TrackKind.DIRECTLY_LINKED
    assert partner.contested_state is None
    (message,) = told(case, "classification_upheld")
    assert "The haulier's own contract covers the trucks" in message.body


def test_a_contest_settled_by_reclassifying_changes_what_the_page_says(
    visitor: WebVisitor, filed_case: FiledCase, scenario: Scenario, client: FlaskClient
) -> None:
    case = filed_case()
    _company, partner = classify_two_ways(scenario, case.grievance)
    contest_on_the_page(visitor, case, partner)

    # Only a supervisor of the mechanism reviews, and never the one who classified it.
    assert isinstance(reclassify_refusal(scenario.handler, partner), NotAllowed)
    tracks.reclassify(
        scenario.supervisor, partner, TrackKind.CONTRIBUTE, "Their trucks.", "They drove."
    )

    db.session.expire_all()
    assert partner.kind is TrackKind.CONTRIBUTE
    assert partner.state == "planning"
    assert [c.decided_by for c in partner.classifications][-1] == scenario.supervisor.id
    assert told(case, "classification_changed")
    html = page_in(visitor, case, "en")
    name = escape(scenario.partner.name)
    assert f"{name} contributed to it: it must stop its part and help repair it." in html
    assert "They drove." in html


def test_the_words_for_the_people_given_through_the_api_are_what_the_page_says(
    visitor: WebVisitor, filed_case: FiledCase, scenario: Scenario, api_for: Callable[..., Api]
) -> None:
    case = filed_case()
    team = api_for(scenario.handler)
    base = f"/grievances/{case.reference}"
    assert team.post(f"{base}/triggers/accept").status_code == 200
    plan = {
        "organisation_id": scenario.company.id,
        "kind": "cause",
        "rationale": "Staff notes: GPS logs.",
        "explanation": EXPLANATION,
    }
    severity = {"scale": 2, "scope": 2, "irremediability": 1}

    classified = team.post(f"{base}/triggers/classify", {"tracks": [plan], "severity": severity})

    assert classified.status_code == 200, classified.get_json()
    (track,) = classified.get_json()["tracks"]
    assert (track["rationale"], track["explanation"]) == ("Staff notes: GPS logs.", EXPLANATION)
    opened(visitor, case)
    html = page_in(visitor, case, "en")
    assert str(escape(EXPLANATION)) in html
    assert "Staff notes" not in html


def test_an_api_classification_without_words_for_the_people_says_only_the_involvement(
    filed_case: FiledCase, scenario: Scenario, api_for: Callable[..., Api]
) -> None:
    case = filed_case()
    team = api_for(scenario.handler)
    base = f"/grievances/{case.reference}"
    team.post(f"{base}/triggers/accept")
    plan = {"organisation_id": scenario.company.id, "kind": "cause", "rationale": "Logs."}
    severity = {"scale": 2, "scope": 2, "irremediability": 1}

    classified = team.post(f"{base}/triggers/classify", {"tracks": [plan], "severity": severity})

    (track,) = classified.get_json()["tracks"]
    assert track["explanation"] is None
