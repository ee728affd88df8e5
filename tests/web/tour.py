"""A tour of every public page, in one language, with a Flask test client.

Each page is reached the way a person reaches it (forms posted with their CSRF
token, a case opened with its PIN), in every state worth seeing: each filing step,
a step with errors, the review, the result and the receipt, a case with a
proposal (an NGO speaking for the people), with a question about a delivered
remedy, with an appealable decision, the PIN reset and the recovery code. The
page-weight checks (``tests/test_web.py``) and the page weight benchmark
(``bench/page_weight.py``) both walk it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from remedy.access.recovery import issue_recovery_code
from remedy.cases import intake
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.models.grievance import Category, Channel, Grievance
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.outbox_message import OutboxMessage
from tests.workflows.scenarios import Scenario

TOUR_PHONE = "+254712000009"
FILING = {
    "what": {"description": "The new fence blocks the path to the well."},
    "category": {"category": "privacy"},
    "technology": {"product_user": "no", "external_reference": "post 88121"},
    "where": {"location": "Kaptagat"},
    "when": {"harm_date": "2024-03-31"},
    "who": {"affected": "group", "people_affected": "40"},
    "identity": {"identity": "withhold", "name": "Amina"},
    "contact": {"contact": "sms", "phone": TOUR_PHONE},
    "safety": {"reprisal": "low"},
}
TOKEN = re.compile(r'name="([\w-]*csrf_token)" type="hidden" value="([^"]+)"')


@dataclass
class Visited:
    name: str
    path: str
    status: int
    body: bytes
    # The status line and headers as the app sends them (a server adds a few more).
    head: int = 0


def head_size(response: TestResponse) -> int:
    lines = [f"HTTP/1.1 {response.status}", *(f"{k}: {v}" for k, v in response.headers)]
    return sum(len(line.encode()) + 2 for line in lines) + 2


@dataclass
class Tour:
    client: FlaskClient
    pages: list[Visited] = field(default_factory=list)

    def see(self, name: str, response: TestResponse, path: str) -> TestResponse:
        body = response.get_data()
        self.pages.append(Visited(name, path, response.status_code, body, head_size(response)))
        return response

    def get(self, name: str, path: str) -> TestResponse:
        return self.see(name, self.client.get(path), path)

    def post(self, path: str, data: dict[str, Any], page: str | None = None) -> TestResponse:
        html = self.client.get(page or path).get_data(as_text=True)
        tokens = dict(TOKEN.findall(html))
        return self.client.post(path, data={**data, **tokens})


def _case(scenario: Scenario, language: str, **form: Any) -> tuple[Grievance, str]:
    submitted = submit_grievance(
        OPERATOR,
        GrievanceForm(
            channel=Channel.WEB,
            language=language,
            description="The new fence blocks the path to the well.",
            complainant=PersonDetails("Amina", TOUR_PHONE, language),
            contact_consent=True,
            **form,
        ),
    )
    return submitted.grievance, submitted.pin


def _track(scenario: Scenario, grievance: Grievance) -> InvolvementTrack:
    intake.accept(scenario.handler, grievance)
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "We built the fence.")
    (track,) = intake.classify(scenario.handler, grievance, [plan], intake.Severity(2, 2, 1))
    return track


def walk(client: FlaskClient, scenario: Scenario, language: str) -> list[Visited]:
    """Every public page in ``language``, in the order a person would meet them."""
    tour = Tour(client)
    tour.get("home", f"/?lang={language}")
    # Filing: each step, one with an error, the review, the result, the receipt.
    tour.see("file: error", tour.post("/file/what", {"description": ""}), "/file/what")
    for step, answers in FILING.items():
        tour.get(f"file: {step}", f"/file/{step}")
        tour.post(f"/file/{step}", answers)
    tour.get("file: review", "/file/review")
    tour.post("/file/review", {})
    tour.get("file: done", "/file/done")
    tour.get("file: receipt", "/file/receipt")
    # Check my case: the form, a wrong PIN, then a case waiting for a proposal's answer.
    tour.get("case: form", "/case")
    tour.see("case: error", tour.post("/case", {"reference": "12345674", "pin": "000000"}), "/case")
    grievance, pin = _case(scenario, language)
    track = _track(scenario, grievance)
    scenario.propose(track)
    scenario.mandate(grievance)  # an NGO speaks for them: the page says so
    reference = grievance.reference
    tour.get("answer: form", "/answer")
    tour.post("/answer", {"reference": reference, "pin": pin})
    tour.get("answer: list", f"/case/{reference}/answer")
    tour.get("case", f"/case/{reference}")
    tour.get("case: proposal", f"/case/{reference}/proposal/{track.id}")
    tour.get("case: contest", f"/case/{reference}/contest/{track.id}")
    tour.get("case: information", f"/case/{reference}/information")
    tour.get("case: receipt", f"/case/{reference}/receipt")
    tour.get("case: withdraw", f"/case/{reference}/withdraw")
    tour.get("case: withdraw a mandate", f"/case/{reference}/mandates/{scenario.ngo.id}/withdraw")
    # A delivered remedy to confirm.
    grievance, pin = _case(scenario, language)
    track = _track(scenario, grievance)
    scenario.verify(track)
    (question,) = scenario.open_check_ins(track)
    tour.post("/case", {"reference": grievance.reference, "pin": pin})
    tour.get("case: question", f"/case/{grievance.reference}/question/{question.id}")
    # An automated decision to have explained.
    grievance, pin = _case(scenario, language, category=Category.AUTOMATED_DECISION)
    track = _track(scenario, grievance)
    tour.post("/case", {"reference": grievance.reference, "pin": pin})
    tour.get("case: explain", f"/case/{grievance.reference}/explain/{track.id}")
    # A decision to appeal.
    grievance, pin = _case(scenario, language)
    intake.reject(scenario.handler, grievance, "Outside our operations.", scenario.court())
    tour.post("/case", {"reference": grievance.reference, "pin": pin})
    tour.get("case: appeal", f"/case/{grievance.reference}/appeal")
    tour.get("case: how fair it was", f"/case/{grievance.reference}/fairness")
    # A lost PIN.
    tour.get("pin reset", "/pin-reset")
    tour.post("/pin-reset", {"reference": grievance.reference, "phone": TOUR_PHONE})
    tour.get("pin reset: code", "/pin-reset/code")
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.template == "pin_reset_code")
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    code = re.search(r"\b\d{6}\b", message.body)
    assert code is not None
    tour.see(
        "pin reset: new pin",
        tour.post("/pin-reset/code", {"code": code.group(0)}),
        "/pin-reset/code",
    )
    # A PIN locked or lost without a phone: the recovery code from the receipt.
    tour.get("recover", "/recover")
    recovery = issue_recovery_code(grievance)
    db.session.commit()
    tour.see(
        "recover: new pin and code",
        tour.post("/recover", {"reference": grievance.reference, "code": recovery}),
        "/recover",
    )
    tour.get("statistics", "/statistics")
    tour.get("not found", "/no/such/page")
    return tour.pages
