"""The oversight page: an oversight body reads every case de-identified, and every read is
audited; its accounts open nothing else, and only an oversight body's members hold the role.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from remedy.accounts import lifecycle
from remedy.accounts import users as accounts
from remedy.audit.log import ChainReport
from remedy.cases import check_ins, intake, notes
from remedy.core.actors import OPERATOR, Actor
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.models import AuditEvent, Category, Grievance, Role, TrackKind
from remedy.models.check_in import Answer
from remedy.models.organisation import OrganisationKind
from remedy.models.types import time_travel
from remedy.queue import oversight
from tests.api.conftest import token_for
from tests.console.case_support import console_for, text_of, user_of
from tests.oversight_support import oversight_body, oversight_reader
from tests.workflows.scenarios import Scenario

pytestmark = pytest.mark.postgres

MARKERS = {
    "description": "Marker-description-Zq81",
    "location": "Marker-location-Kq27",
    "name": "Marker-Name-Wq55",
    "phone": "+254799001122",
    "note": "Marker-note-Pq63",
    "comment": "Marker-comment-Hq19",
}


def marked_case(scenario: Scenario) -> Grievance:
    """A case with a marker in every free text it holds, its track remedied in part."""
    grievance, (track,) = scenario.in_remedy(
        TrackKind.CAUSE,
        description=MARKERS["description"],
        location=MARKERS["location"],
        category=Category.LAND,
        complainant=PersonDetails(MARKERS["name"], MARKERS["phone"], "en"),
    )
    notes.add_note(scenario.handler, grievance, MARKERS["note"])
    scenario.verify(track)
    for check_in in scenario.open_check_ins(track):
        check_ins.answer_check_in(
            scenario.complainant(grievance, check_in.person_id),
            check_in,
            Answer.PARTLY,
            comment=MARKERS["comment"],
        )
    return grievance


def secrets_of(grievance: Grievance) -> list[str]:
    """What names the case or the people: the markers, the reference, the pseudonyms."""
    pseudonyms = [link.person.pseudonym for link in grievance.people]
    return [
        *MARKERS.values(),
        MARKERS["phone"][4:],
        grievance.reference,
        display(grievance.reference),
        *pseudonyms,
    ]


def reads(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        )
    )


# What the page shows -------------------------------------------------------------------------


def test_the_oversight_pages_show_no_identity_and_no_free_text(
    app: Flask, scenario: Scenario
) -> None:
    grievance = marked_case(scenario)
    withdrawn = scenario.file(description=MARKERS["description"])
    intake.withdraw(scenario.complainant(withdrawn), withdrawn)
    client = console_for(app, oversight_reader()).client

    pages = [
        "/console/oversight",
        "/console/oversight?outcome=partly_remedied",
        "/console/oversight?outcome=open&from=2000-01-01",
        "/console/oversight/audit-log",
        "/console/oversight/statistics",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        for secret in (*secrets_of(grievance), *secrets_of(withdrawn)):
            assert secret not in body, f"{secret!r} shown on {path}"

    text = text_of(client.get("/console/oversight").get_data(as_text=True))
    assert oversight.case_code(grievance.id) in text
    assert "Land" in text  # the category
    assert "KE" in text  # the country of the organisation involved, not the location
    assert "Caused the harm" in text
    assert "partly remedied" in text
    assert "Grievance filed" in text


def test_a_case_is_named_by_a_stable_code_that_is_not_its_reference(scenario: Scenario) -> None:
    first, second = scenario.file(), scenario.file()

    codes = [oversight.case_code(first.id), oversight.case_code(second.id)]

    assert codes == [oversight.case_code(first.id), oversight.case_code(second.id)]
    assert codes[0] != codes[1]
    assert first.reference not in codes[0]


def test_the_timeline_lists_the_state_changes_in_order_with_their_dates(
    scenario: Scenario,
) -> None:
    filed_on = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    with time_travel(filed_on) as move_to:
        grievance = scenario.file()
        move_to(filed_on + timedelta(days=4))
        intake.accept(scenario.handler, grievance)
        move_to(filed_on + timedelta(days=9))
        intake.withdraw(scenario.complainant(grievance), grievance)

    page = oversight.read_cases(oversight_reader(), oversight.OversightFilters())

    (case,) = page.cases
    assert [(step.at, step.state) for step in case.steps] == [
        (filed_on, "Received"),
        (filed_on, "Screening"),
        (filed_on + timedelta(days=4), "Assessment"),
        (filed_on + timedelta(days=9), "Withdrawn"),
    ]
    assert {step.subject for step in case.steps} == {"Intake"}
    assert case.outcome == "withdrawn"


def test_the_list_is_filtered_by_period_and_outcome_and_paged(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oversight, "PAGE_SIZE", 2)
    with time_travel(datetime(2025, 3, 10, tzinfo=UTC)):
        old = scenario.file()
    recent = [scenario.file() for _ in range(3)]
    intake.withdraw(scenario.complainant(recent[0]), recent[0])
    reader = oversight_reader()

    def codes(**args: str) -> list[str]:
        page = oversight.read_cases(reader, oversight.filters_from(args))
        return [case.code for case in page.cases]

    assert codes(to="2025-03-10") == [oversight.case_code(old.id)]
    assert codes(**{"from": "2025-03-11"}, outcome="withdrawn") == [
        oversight.case_code(recent[0].id)
    ]
    assert len(codes(outcome="open")) == 2
    every = [*codes(page="1"), *codes(page="2")]
    newest_first = [*reversed(recent), old]
    assert every == [oversight.case_code(g.id) for g in newest_first]
    assert codes(page="9") == codes(page="2"), "past the last page: the last one"


@pytest.mark.parametrize(
    "query",
    ["outcome=closed", "page=0", "page=x", "from=yesterday", "from=2026-02-01&to=2026-01-01"],
)
def test_a_wrong_filter_is_a_clear_422(app: Flask, scenario: Scenario, query: str) -> None:
    client = console_for(app, oversight_reader()).client

    response = client.get(f"/console/oversight?{query}")

    assert response.status_code == 422


# The audit chain -----------------------------------------------------------------------------


def test_the_audit_log_page_says_up_to_which_event_the_chain_verifies(
    app: Flask, scenario: Scenario
) -> None:
    scenario.file()
    client = console_for(app, oversight_reader()).client
    last = db.session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))

    text = text_of(client.get("/console/oversight/audit-log").get_data(as_text=True))

    assert f"every event up to event {last}," in text


def test_the_audit_log_page_says_where_the_chain_breaks(
    app: Flask, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Breaking the real chain takes another connection (tests/test_audit.py); here the walk
    # reports a break, and the page must say where.
    broken = ChainReport(False, 6, "0" * 64, 7, "event 7 was altered after it was written")
    monkeypatch.setattr(oversight, "verify_chain", lambda: broken)
    client = console_for(app, oversight_reader()).client

    text = text_of(client.get("/console/oversight/audit-log").get_data(as_text=True))

    assert "Broken at event 7:" in text
    assert "Verified" not in text
    (read,) = reads("oversight.read_chain")
    assert read.after == {"ok": False, "events": 6, "first_bad_seq": 7}


# Every read audited --------------------------------------------------------------------------


def test_every_oversight_read_is_an_audit_event_without_personal_data(
    app: Flask, scenario: Scenario
) -> None:
    grievance = marked_case(scenario)
    reader = oversight_reader()
    client = console_for(app, reader).client

    client.get("/console/oversight?outcome=partly_remedied&from=2020-01-01")
    client.get("/console/oversight")
    client.get("/console/oversight/audit-log")

    (filtered, plain) = reads("oversight.read_cases")
    (chain,) = reads("oversight.read_chain")
    assert {event.actor_id for event in (filtered, plain, chain)} == {reader.id}
    assert {event.actor_kind for event in (filtered, plain, chain)} == {"oversight"}
    assert filtered.after == {
        "from": "2020-01-01",
        "to": None,
        "outcome": "partly_remedied",
        "page": 1,
        "cases_shown": 1,
    }
    assert chain.after is not None
    assert chain.after["ok"] is True
    for event in (filtered, plain, chain):
        for secret in secrets_of(grievance):
            assert secret not in str(event.after)


def test_only_oversight_accounts_read_the_oversight_data(scenario: Scenario) -> None:
    for actor in (scenario.supervisor, scenario.auditor, scenario.company_handler):
        with pytest.raises(NotAllowed):
            oversight.read_cases(actor, oversight.OversightFilters())
        with pytest.raises(NotAllowed):
            oversight.chain_status(actor)
    assert reads("oversight.read_cases") == []


# Nothing else --------------------------------------------------------------------------------


def test_an_oversight_account_opens_no_case_queue_or_api(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file()
    reader = oversight_reader()
    console = console_for(app, reader).client

    for path in (
        "/console/",
        f"/console/grievances/{grievance.reference}",
        "/console/supervisor",
        "/console/supervisor.csv",
    ):
        assert console.get(path).status_code == 403, path
    token = token_for(reader)
    api = app.test_client()
    for path in (f"/api/v1/grievances/{grievance.reference}", "/api/v1/grievances"):
        response = api.get(path, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403, path


def test_signing_in_lands_an_oversight_account_on_its_page(app: Flask, scenario: Scenario) -> None:
    console = console_for(app, oversight_reader())

    response = console.client.get("/sign-in")

    assert response.status_code == 302
    assert response.location.endswith("/console/oversight")


# Who holds the role --------------------------------------------------------------------------


def test_only_members_of_an_oversight_body_hold_the_oversight_role(scenario: Scenario) -> None:
    password = "a long enough passphrase"
    for organisation in (None, scenario.ngo, scenario.company):
        with pytest.raises(InvalidInput, match="members of an oversight body"):
            accounts.create_user(
                OPERATOR, "someone@example.org", password, Role.OVERSIGHT, organisation
            )

    user = accounts.create_user(
        OPERATOR, "member@panel.example", password, Role.OVERSIGHT, oversight_body()
    )

    assert user.role is Role.OVERSIGHT
    assert user.organisation is not None
    assert user.organisation.kind is OrganisationKind.OVERSIGHT_BODY


def test_a_role_change_to_oversight_needs_an_oversight_body(scenario: Scenario) -> None:
    handler = user_of(scenario.handler)
    admin = Actor.for_user(
        accounts.create_user(OPERATOR, "admin@example.org", "a long enough passphrase", Role.ADMIN)
    )

    with pytest.raises(InvalidInput, match="members of an oversight body"):
        lifecycle.set_role(admin, handler, Role.OVERSIGHT)

    assert handler.role is Role.HANDLER


def test_the_cli_creates_an_oversight_account_for_an_oversight_body(
    runner: FlaskCliRunner,
) -> None:
    oversight_body()
    db.session.commit()
    password = "a long enough passphrase\n"

    refused = runner.invoke(
        args=["users", "create", "x@example.org", "--role", "oversight"], input=password
    )
    created = runner.invoke(
        args=[
            "users",
            "create",
            "y@panel.example",
            "--role",
            "oversight",
            "--org",
            "Independent Oversight Panel",
        ],
        input=password,
    )

    assert refused.exit_code == 1
    assert "members of an oversight body" in refused.output
    assert created.exit_code == 0, created.output
    assert accounts.find_user("y@panel.example") is not None
