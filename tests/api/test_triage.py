"""Triage through the API: the queue in priority order (urgent flags, then severity, then
due date) paged with the cursor, flags suggested and confirmed by a person, the shorter
deadline, and the senior reviewer named by a supervisor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from remedy.cases import triage
from remedy.cases.intake import Severity
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.grievance import Grievance, UrgencyFlag
from remedy.models.types import utcnow
from tests.api.conftest import Api, Cast


def user_id(actor: Actor) -> int:
    return int(str(actor.id))


def pages(api: Api, query: str) -> list[str]:
    """Every reference, page after page of two, following ``next_cursor``."""
    seen: list[str] = []
    after = ""
    while True:
        answer = api.get(f"/grievances?limit=2{query}{after}")
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        seen += [item["reference"] for item in body["items"]]
        if body["next_cursor"] is None:
            return seen
        after = f"&after={body['next_cursor']}"


def test_the_queue_runs_by_priority_by_default_and_pages_across_it(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    soon, later, undated, severe, mild, urgent, urgent_later = (cast.file() for _ in range(7))
    now = utcnow()
    for grievance, due in (
        (soon, now + timedelta(days=1)),
        (later, now + timedelta(days=9)),
        (undated, None),
        (urgent, now + timedelta(days=5)),
        (urgent_later, now + timedelta(days=6)),
    ):
        grievance.due_at = due
    db.session.commit()
    handler = cast.handler
    triage.triage(handler, severe, [], Severity(4, 1, 1))
    triage.triage(handler, mild, [], Severity(2, 1, 1))
    triage.triage(handler, urgent, [UrgencyFlag.CHILD], None)
    triage.triage(handler, urgent_later, [UrgencyFlag.VIOLENCE], Severity(1, 1, 1))
    db.session.commit()
    api = api_for(cast.handler)

    expected = [
        urgent_later.reference,  # urgent, and rated 1: rank 6
        urgent.reference,  # urgent, not rated: rank 5
        severe.reference,
        mild.reference,
        soon.reference,
        later.reference,
        undated.reference,
    ]
    assert pages(api, "&state=screening") == expected
    assert pages(api, "&state=screening&order=priority") == expected
    first = api.get("/grievances?state=screening").get_json()["items"][0]
    assert (first["urgency_flags"], first["priority"]) == (["violence"], 6)
    # The other orders stay (urgent cases' deadlines shortened: they are due first now).
    everyone = [soon, later, undated, severe, mild, urgent, urgent_later]
    for grievance in everyone:
        db.session.refresh(grievance)
    by_due = sorted(everyone, key=lambda g: (g.next_due_at is None, g.next_due_at or now, g.id))
    assert pages(api, "&state=screening&order=due") == [g.reference for g in by_due]
    # A cursor of one order is stale in another: 409, a problem of its own, as documented.
    cursor = api.get("/grievances?state=screening&limit=2").get_json()["next_cursor"]
    stale = api.get(f"/grievances?state=screening&order=due&after={cursor}")
    assert stale.status_code == 409
    assert stale.get_json()["type"].endswith("#problem-stale-cursor")


def test_flags_are_suggested_then_confirmed_by_a_person(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance = cast.file(language="es", description="Golpearon a mi hija y todavía sigue.")
    api = api_for(cast.handler)
    path = f"/grievances/{grievance.reference}"

    shown = api.get(path).get_json()
    assert shown["suggested_flags"] == ["violence", "child", "ongoing"]
    assert shown["urgency_flags"] == []

    answer = api.post(f"{path}/triage", {"flags": ["violence", "child"]})

    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["urgency_flags"] == ["violence", "child"]
    assert body["suggested_flags"] == []  # "ongoing" was dismissed
    due = body["due_at"]
    db.session.refresh(grievance)
    assert grievance.due_at is not None
    assert grievance.due_at - grievance.received_at <= timedelta(days=3, minutes=1)
    assert due is not None
    # An organisation's staff is never offered suggestions nor may triage.
    assert api_for(cast.company_handler).post(f"{path}/triage", {"flags": []}).status_code in (
        403,
        404,
    )


def test_bad_triage_input_is_422(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance = cast.file()
    api = api_for(cast.handler)
    path = f"/grievances/{grievance.reference}/triage"
    assert api.post(path, {"flags": ["fire"]}).status_code == 422
    bad = {"flags": [], "severity": {"scale": 5, "scope": 1, "irremediability": 1}}
    assert api.post(path, bad).status_code == 422


def test_a_supervisor_names_the_senior_reviewer(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance: Grievance = cast.file()
    triage.triage(cast.handler, grievance, [UrgencyFlag.SEXUAL_VIOLENCE], None)
    db.session.commit()
    path = f"/grievances/{grievance.reference}/reviewer"
    body = {"reviewer_id": user_id(cast.other_supervisor)}

    assert api_for(cast.handler).post(path, body).status_code == 403
    answer = api_for(cast.supervisor).post(path, body)

    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["reviewer_id"] == user_id(cast.other_supervisor)
    not_a_supervisor = {"reviewer_id": user_id(cast.handler)}
    assert api_for(cast.supervisor).post(path, not_a_supervisor).status_code == 422
