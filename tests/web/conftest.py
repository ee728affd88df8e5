"""Helpers for the public web pages: a person filing step by step, and cases to open.

``WebVisitor`` drives the pages as a browser without JavaScript would: it opens each
page, posts its form with the page's CSRF token, and follows redirects itself, so
tests read as what the person does. ``filed_case`` files a grievance through the
services and keeps its PIN, for tests of the case pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from remedy.cases import intake
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.models.grievance import Channel, Grievance
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from tests.support import csrf_token
from tests.workflows.scenarios import Scenario

PHONE = "+254712000001"
DESCRIPTION = "The new fence blocks the path to the well."

# Every answer of the filing steps, as a person would give them.
ANSWERS: dict[str, dict[str, str]] = {
    "what": {"description": DESCRIPTION},
    "category": {"category": "land"},
    "where": {"location": "Kaptagat, near the school"},
    "when": {"harm_date": "2024-03-31"},
    "who": {"affected": "group", "people_affected": "40"},
    "identity": {"identity": "withhold", "name": "Amina Wanjiru"},
    "contact": {"contact": "sms", "phone": "+254 712 000 001"},
    "safety": {"reprisal": "none"},
}
STEPS = list(ANSWERS)


@dataclass
class WebVisitor:
    """A person on the public site, with their own cookies."""

    client: FlaskClient
    last: TestResponse | None = None
    pages: list[str] = field(default_factory=list)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        self.last = self.client.get(path, **kwargs)
        self.pages.append(path)
        return self.last

    def html(self) -> str:
        assert self.last is not None
        return self.last.get_data(as_text=True)

    def post(
        self,
        path: str,
        data: dict[str, Any] | None = None,
        *,
        page: str | None = None,
        **kwargs: Any,
    ) -> TestResponse:
        """Open ``page`` (or ``path``) and post its form (the first form with that action)."""
        html = self.get(page or path).get_data(as_text=True)
        token = _token_for(html, path)
        self.last = self.client.post(path, data={**(data or {}), "csrf_token": token}, **kwargs)
        return self.last

    def answer(self, step: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        answers = ANSWERS[step] if data is None else data
        return self.post(f"/file/{step}", answers, **kwargs)

    def file(self, **changes: dict[str, str]) -> tuple[str, str]:
        """Every step, then send: the reference and PIN shown on the result page."""
        for step in STEPS:
            response = self.answer(step, changes.get(step, ANSWERS[step]))
            assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])
        response = self.post("/file/review")
        assert response.status_code == 302, response.get_data(as_text=True)
        assert response.location.endswith("/file/done")
        done = self.get("/file/done").get_data(as_text=True)
        return shown(done, "reference"), shown(done, "pin")

    def open_case(self, reference: str, pin: str, path: str = "/case") -> TestResponse:
        return self.post(path, {"reference": reference, "pin": pin})


def _token_for(html: str, action: str) -> str:
    """The CSRF token of the form posting to ``action`` (pages may hold several forms)."""
    for form in re.findall(r"<form\b.*?</form>", html, re.S):
        target = re.search(r'action="([^"]*)"', form.split(">", 1)[0])
        if target is None or target.group(1).split("?")[0] == action.split("?")[0]:
            match = re.search(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"', form)
            if match:
                return match.group(1)
    return csrf_token(html)


def shown(html: str, element_id: str) -> str:
    """The digits shown in the element with this id (spaces for reading dropped)."""
    match = re.search(rf'id="{element_id}"[^>]*>([^<]+)<', html)
    assert match, f"no #{element_id} on the page"
    return match.group(1).replace(" ", "").strip()


@pytest.fixture
def visitor(client: FlaskClient) -> WebVisitor:
    return WebVisitor(client)


@pytest.fixture
def new_visitor(app: Any) -> Callable[[], WebVisitor]:
    """Another person, in another browser."""
    return lambda: WebVisitor(app.test_client())


@dataclass
class Case:
    grievance: Grievance
    pin: str

    @property
    def reference(self) -> str:
        return self.grievance.reference


@pytest.fixture
def filed_case(scenario: Scenario) -> Callable[..., Case]:
    """A grievance filed on the web by someone who gave their phone, with its PIN."""

    def file(**form: Any) -> Case:
        values: dict[str, Any] = {
            "channel": Channel.WEB,
            "language": "en",
            "description": DESCRIPTION,
            "complainant": PersonDetails("Amina Wanjiru", PHONE, "en"),
            "contact_consent": True,
            **form,
        }
        submitted = submit_grievance(OPERATOR, GrievanceForm(**values))
        return Case(submitted.grievance, submitted.pin)

    return file


def in_remedy(scenario: Scenario, grievance: Grievance) -> InvolvementTrack:
    """Accepted and classified: one cause track for the company."""
    intake.accept(scenario.handler, grievance)
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "We built the fence.")
    (track,) = intake.classify(scenario.handler, grievance, [plan], intake.Severity(2, 2, 1))
    db.session.commit()
    return track
