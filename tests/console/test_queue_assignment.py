"""Assignment: supervisors hand grievances out, handlers take and give back, always audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from remedy.core.actors import Actor
from remedy.core.errors import ConflictError, InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.models import AuditEvent, Grievance, Role, TrackKind, User
from remedy.queue.assignment import assign, case_assignment, eligible_assignees, take
from tests.console.case_support import new_user
from tests.workflows.scenarios import Scenario


def user_id(actor: Actor) -> int:
    return int(str(actor.id))


def holder(grievance: Grievance) -> int | None:
    db.session.expire_all()
    fresh = db.session.get(Grievance, grievance.id)
    assert fresh is not None
    return fresh.assigned_user_id


@pytest.fixture
def grievance(scenario: Scenario) -> Grievance:
    found, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    return found


def test_a_supervisor_assigns_a_handler_and_the_audit_log_says_so(
    scenario: Scenario, grievance: Grievance
) -> None:
    version = grievance.version

    assign(scenario.supervisor, grievance, user_id(scenario.handler))

    assert holder(grievance) == user_id(scenario.handler)
    assert grievance.version == version + 1
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "grievance.assign")
    ).one()
    assert event.actor_id == scenario.supervisor.id
    assert event.subject_id == grievance.reference
    assert event.before == {"assigned_user_id": None}
    assert event.after == {"assigned_user_id": user_id(scenario.handler)}


def test_a_supervisor_moves_a_grievance_and_clears_it(
    scenario: Scenario, grievance: Grievance
) -> None:
    assign(scenario.supervisor, grievance, user_id(scenario.handler))
    assign(scenario.supervisor, grievance, user_id(scenario.other_supervisor))
    assert holder(grievance) == user_id(scenario.other_supervisor)

    assign(scenario.supervisor, grievance, None)
    assert holder(grievance) is None


def test_assigning_the_same_person_again_changes_nothing(
    scenario: Scenario, grievance: Grievance
) -> None:
    assign(scenario.supervisor, grievance, user_id(scenario.handler))
    version = grievance.version

    assign(scenario.supervisor, grievance, user_id(scenario.handler))

    assert grievance.version == version
    assert (
        len(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "grievance.assign")
            ).all()
        )
        == 1
    )


def test_a_handler_takes_an_unassigned_grievance_and_gives_it_back(
    scenario: Scenario, grievance: Grievance
) -> None:
    take(scenario.handler, grievance)
    assert holder(grievance) == user_id(scenario.handler)

    assign(scenario.handler, grievance, None)
    assert holder(grievance) is None


def test_a_handler_never_moves_someone_elses_grievance(
    scenario: Scenario, grievance: Grievance
) -> None:
    colleague = new_user("colleague@example.org", Role.HANDLER)
    assign(scenario.supervisor, grievance, user_id(colleague))

    with pytest.raises(NotAllowed):
        take(scenario.handler, grievance)
    with pytest.raises(NotAllowed):
        assign(scenario.handler, grievance, None)
    assert holder(grievance) == user_id(colleague)


def test_a_handler_cannot_hand_a_grievance_to_someone_else(
    scenario: Scenario, grievance: Grievance
) -> None:
    with pytest.raises(NotAllowed):
        assign(scenario.handler, grievance, user_id(scenario.supervisor))
    assert holder(grievance) is None


def test_readers_protectors_and_proxies_assign_nothing(
    scenario: Scenario, grievance: Grievance
) -> None:
    actors = {
        "auditor": scenario.auditor,
        "admin": new_user("admin@example.org", Role.ADMIN),
        "protection officer": new_user("po@example.org", Role.PROTECTION_OFFICER),
        "proxy": scenario.proxy,
    }

    for who, actor in actors.items():
        with pytest.raises(NotAllowed):
            assign(actor, grievance, user_id(scenario.handler))
        assert holder(grievance) is None, who


def test_only_active_case_workers_of_the_mechanism_can_be_given_a_grievance(
    scenario: Scenario, grievance: Grievance
) -> None:
    gone = new_user("gone@example.org", Role.HANDLER)
    user = db.session.get(User, user_id(gone))
    assert user is not None
    user.active = False
    db.session.commit()
    candidates = {
        "auditor": scenario.auditor,
        "protection officer": new_user("po@example.org", Role.PROTECTION_OFFICER),
        "proxy": scenario.proxy,
        "inactive": gone,
        "partner's staff": scenario.partner_handler,
    }

    for who, candidate in candidates.items():
        with pytest.raises(InvalidInput) as refused:
            assign(scenario.supervisor, grievance, user_id(candidate))
        assert refused.value.field == "user_id", who
        assert holder(grievance) is None, who


def test_an_unknown_person_cannot_be_given_a_grievance(
    scenario: Scenario, grievance: Grievance
) -> None:
    with pytest.raises(InvalidInput):
        assign(scenario.supervisor, grievance, 987654)


def test_an_organisations_staff_work_within_their_organisation(
    scenario: Scenario, grievance: Grievance
) -> None:
    company_supervisor = new_user("lead@acme.example", Role.SUPERVISOR, scenario.company)

    assign(company_supervisor, grievance, user_id(scenario.company_handler))
    assert holder(grievance) == user_id(scenario.company_handler)
    with pytest.raises(InvalidInput):
        assign(company_supervisor, grievance, user_id(scenario.partner_handler))


def test_an_organisation_never_takes_a_grievance_from_the_mechanism(
    scenario: Scenario, grievance: Grievance
) -> None:
    company_supervisor = new_user("lead@acme.example", Role.SUPERVISOR, scenario.company)
    assign(scenario.supervisor, grievance, user_id(scenario.handler))

    with pytest.raises(NotAllowed):
        assign(company_supervisor, grievance, user_id(scenario.company_handler))
    with pytest.raises(NotAllowed):
        assign(company_supervisor, grievance, None)
    assert holder(grievance) == user_id(scenario.handler)


def test_staff_of_an_organisation_not_involved_cannot_assign(
    scenario: Scenario, grievance: Grievance
) -> None:
    with pytest.raises(NotAllowed):
        take(scenario.partner_handler, grievance)


def test_a_stale_page_cannot_overwrite_a_newer_assignment(
    scenario: Scenario, grievance: Grievance
) -> None:
    shown = grievance.version
    assign(scenario.supervisor, grievance, user_id(scenario.handler))

    with pytest.raises(ConflictError):
        assign(scenario.other_supervisor, grievance, None, expected_version=shown)
    assert holder(grievance) == user_id(scenario.handler)


def test_the_case_page_offers_a_supervisor_every_case_worker(
    scenario: Scenario, grievance: Grievance
) -> None:
    offered = case_assignment(scenario.supervisor, grievance)

    assert offered["may_assign"]
    assert offered["assignee_label"] == "No one"
    chosen = {int(value) for value, _label in offered["choices"]}
    assert chosen == {user.id for user in eligible_assignees(scenario.supervisor, grievance)}
    assert user_id(scenario.handler) in chosen
    assert user_id(scenario.auditor) not in chosen
    assert user_id(scenario.company_handler) not in chosen


def test_the_case_page_offers_a_handler_to_take_or_give_back(
    scenario: Scenario, grievance: Grievance
) -> None:
    before = case_assignment(scenario.handler, grievance)
    assert before["may_take"]
    assert [int(value) for value, _ in before["choices"]] == [user_id(scenario.handler)]

    take(scenario.handler, grievance)
    after = case_assignment(scenario.handler, grievance)
    assert after["may_give_back"]
    assert not after["may_take"]
    assert after["assignee_label"] == "handler@example.org"


def test_the_case_page_offers_readers_nothing(scenario: Scenario, grievance: Grievance) -> None:
    offered = case_assignment(scenario.auditor, grievance)

    assert not offered["may_assign"]
    assert offered["choices"] == []
