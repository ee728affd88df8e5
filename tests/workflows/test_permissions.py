"""Who may do what: every trigger of every workflow, for every kind of actor.

The expected table is written out below by hand, as docs/workflows.md states it; it is
not derived from ``remedy/cases/policy.py`` or from the ``who`` of the
definitions, so either can be wrong and this test says so. Each row is checked on one
state the trigger leads out of, with its guards satisfied: an actor the table allows
must succeed (inside a unit of work that is then rolled back, so the state is shared),
one it refuses must get ``NotAllowed`` and leave everything as it was. What the UI
offers (``allowed_transitions``) must agree, in every state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from remedy.cases.check_ins import answer_check_in
from remedy.cases.triggers import allowed_transitions, fire
from remedy.core.errors import NotAllowed, ServiceError
from remedy.models import Answer, Grievance, InvolvementTrack
from remedy.workflows import WORKFLOWS
from remedy.workflows.definition import MandateScope
from tests.conftest import TestDatabases as Databases
from tests.workflows.tables import (
    MESSAGE_VALUES,
    Snapshot,
    Stage,
    appealed_from,
    first_transition,
    shared_app,
    undone,
)

Subject = Grievance | InvolvementTrack

# Everyone who might try. The track under test is the company's; the business partner has
# its own track on the same grievance.
STAFF = (
    "handler",  # mechanism staff (no organisation)
    "supervisor",
    "protection_officer",
    "auditor",
    "admin",
    "company_handler",  # staff of the organisation whose track it is
    "company_supervisor",
    "partner_handler",  # staff of another organisation in the same grievance
)
PROXIES = (
    "proxy",  # a vetted NGO whose mandate for this grievance covers every scope
    *(f"proxy_lacking_{scope.value}" for scope in MandateScope),  # all scopes but one
    "proxy_expired",  # a mandate that ended yesterday
    "proxy_withdrawn",  # a mandate the people withdrew
    "proxy_without_mandate",  # a vetted NGO with no mandate for this grievance
)
ACTORS = (
    *STAFF,
    *PROXIES,
    "complainant",  # reference and PIN of this grievance
    "other_complainant",  # reference and PIN of another grievance
    "system",
    "operator",  # the command line
)

# The groups the table is written with.
MECHANISM_TEAM = frozenset({"handler", "supervisor"})
TRACK_TEAM = MECHANISM_TEAM | {"company_handler", "company_supervisor"}
MECHANISM_SUPERVISORS = frozenset({"supervisor"})  # never a party to the harm
TRACK_SUPERVISORS = frozenset({"supervisor", "company_supervisor"})
PEOPLE = frozenset({"complainant", "proxy"})  # and proxies whose mandate has the scope
SYSTEM = frozenset({"system"})

REMEDY_TRACK = {
    "propose_remedy": TRACK_TEAM,
    "accept_proposal": PEOPLE,
    "decline_proposal": PEOPLE,
    "refer": TRACK_TEAM,
    "start_verification": SYSTEM,
    "confirm": PEOPLE,
    "confirm_partly": PEOPLE,
    "dispute": PEOPLE,
    "close_without_confirmation": MECHANISM_SUPERVISORS,
    "reopen": PEOPLE,
    "withdraw": SYSTEM,
    "contest_classification": PEOPLE,
    "uphold_classification": MECHANISM_SUPERVISORS,
    "request_explanation": PEOPLE | TRACK_TEAM,
    "give_explanation": TRACK_TEAM,
    "enter_parallel_proceedings": TRACK_TEAM,
    "resume_after_proceedings": TRACK_TEAM,
}
EXPECTED: dict[str, dict[str, frozenset[str]]] = {
    "intake": {
        "acknowledge": SYSTEM,
        "accept": MECHANISM_TEAM,
        "reject": MECHANISM_TEAM,
        "request_info": MECHANISM_TEAM,
        "info_received": MECHANISM_TEAM | PEOPLE,
        "info_overdue": SYSTEM,
        "classify": MECHANISM_TEAM,
        "find_no_involvement": MECHANISM_TEAM,
        "resolve": SYSTEM,
        "reopen": SYSTEM,
        "withdraw": PEOPLE,
        "appeal": PEOPLE,
        "uphold": MECHANISM_SUPERVISORS,
        "overturn": MECHANISM_SUPERVISORS,
    },
    "cause": REMEDY_TRACK,
    "contribute": REMEDY_TRACK,
    "directly_linked": {
        "record_leverage": TRACK_TEAM,
        "partner_commits": TRACK_TEAM,
        "escalate": TRACK_TEAM,
        "refer": TRACK_TEAM,
        "end_relationship": TRACK_SUPERVISORS,
        "start_verification": SYSTEM,
        "confirm": PEOPLE,
        "confirm_partly": PEOPLE,
        "dispute": PEOPLE,
        "close_without_confirmation": MECHANISM_SUPERVISORS,
        "reopen": PEOPLE,
        "withdraw": SYSTEM,
        "contest_classification": PEOPLE,
        "uphold_classification": MECHANISM_SUPERVISORS,
        "request_explanation": PEOPLE | TRACK_TEAM,
        "give_explanation": TRACK_TEAM,
        "enter_parallel_proceedings": TRACK_TEAM,
        "resume_after_proceedings": TRACK_TEAM,
    },
}
# The scope a proxy's mandate needs for each of the people's steps.
SCOPES = {
    "info_received": MandateScope.FOLLOW,
    "withdraw": MandateScope.FOLLOW,
    "appeal": MandateScope.FOLLOW,
    "accept_proposal": MandateScope.ANSWER_PROPOSALS,
    "decline_proposal": MandateScope.ANSWER_PROPOSALS,
    "confirm": MandateScope.ANSWER_CHECK_INS,
    "confirm_partly": MandateScope.ANSWER_CHECK_INS,
    "dispute": MandateScope.ANSWER_CHECK_INS,
    "reopen": MandateScope.ANSWER_CHECK_INS,
    "contest_classification": MandateScope.ANSWER_PROPOSALS,
    "request_explanation": MandateScope.ANSWER_PROPOSALS,
}


def may(workflow: str, trigger: str, actor: str) -> bool:
    """The expected cell."""
    allowed = EXPECTED[workflow][trigger]
    if actor.startswith("proxy_lacking_"):
        lacking = MandateScope(actor.removeprefix("proxy_lacking_"))
        return "proxy" in allowed and SCOPES[trigger] is not lacking
    return actor in allowed


def expected_row(workflow: str, trigger: str) -> dict[str, str]:
    return {a: "allowed" if may(workflow, trigger, a) else "refused" for a in ACTORS}


@pytest.fixture(scope="module")
def shared(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    with shared_app(databases, tmp_path_factory.mktemp("permissions")):
        yield Stage.create(with_mandate_variants=True)


@pytest.fixture
def stage(shared: Stage) -> Stage:
    shared.refresh()
    return shared


def attempt(
    stage: Stage, subject: Subject, before: Snapshot, act: Callable[[], object], expected: str
) -> str:
    """``allowed`` or ``refused`` (NotAllowed, nothing changed), or what else happened."""
    try:
        if expected == "allowed":
            with undone():  # the shared subject stays as it was
                act()
        else:
            act()
    except NotAllowed:
        return "refused" if Snapshot.of(subject) == before else "refused, but changed the case"
    except ServiceError as error:
        return f"{type(error).__name__}: {error}"
    if expected != "allowed":
        stage.forget()  # it went through and changed a shared subject: build afresh
    return "allowed"


Act = Callable[[Subject, str], Callable[[], object]]


def wrong_cells(
    stage: Stage, subject: Callable[[], Subject], act: Act, expected: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """Each actor tries in turn; the cells that differ from the table, as (got, expected)."""
    wrong = {}
    case = subject()
    before = Snapshot.of(case)
    for name in ACTORS:
        got = attempt(stage, case, before, act(case, name), expected[name])
        if got != expected[name]:
            wrong[name] = (got, expected[name])
        if got == "allowed" and expected[name] != "allowed":
            case = subject()  # built afresh: the step went through
            before = Snapshot.of(case)
    return wrong


# The table ----------------------------------------------------------------------------------


def test_the_table_has_a_row_for_every_trigger_of_every_workflow() -> None:
    assert {name: set(rows) for name, rows in EXPECTED.items()} == {
        workflow.name: set(workflow.triggers) for workflow in WORKFLOWS.values()
    }
    peoples_steps = {t for rows in EXPECTED.values() for t, who in rows.items() if who & PEOPLE}
    assert set(SCOPES) == peoples_steps


@pytest.mark.parametrize(
    ("workflow", "trigger"),
    [
        pytest.param(workflow, trigger, id=f"{workflow}-{trigger}")
        for workflow, rows in EXPECTED.items()
        for trigger in rows
    ],
)
def test_who_may_fire_each_trigger(stage: Stage, workflow: str, trigger: str) -> None:
    transition = first_transition(WORKFLOWS[workflow], trigger)
    fields = stage.fields_for(transition)
    expected = expected_row(workflow, trigger)

    def subject() -> Subject:
        return stage.subject(workflow, transition.source[0], appealed_from(transition))

    def firing(case: Subject, name: str) -> Callable[[], object]:
        actor = stage.actor(name, case)
        return lambda: fire(case, trigger, actor, notify_values=MESSAGE_VALUES, **fields)

    assert wrong_cells(stage, subject, firing, expected) == {}

    case = subject()
    offered = {
        a: trigger in {t.trigger for t in allowed_transitions(case, stage.actor(a, case))}
        for a in ACTORS
    }
    assert offered == {a: expected[a] == "allowed" for a in ACTORS}


@pytest.mark.parametrize(
    ("workflow", "state"),
    [
        pytest.param(workflow.name, state.name, id=f"{workflow.name}-{state.name}")
        for workflow in WORKFLOWS.values()
        for state in workflow.states
    ],
)
def test_each_actor_is_offered_exactly_the_steps_it_may_take_now(
    stage: Stage, workflow: str, state: str
) -> None:
    subject = stage.subject(workflow, state)
    definition = WORKFLOWS[workflow]
    leading_out = [t for t in definition.triggers if definition.candidates(t, state)]

    offered = {
        a: sorted(t.trigger for t in allowed_transitions(subject, stage.actor(a, subject)))
        for a in ACTORS
    }

    assert offered == {a: sorted(t for t in leading_out if may(workflow, t, a)) for a in ACTORS}


# The people's own answers -------------------------------------------------------------------


def test_only_the_people_asked_or_their_mandated_proxy_answer_a_check_in(stage: Stage) -> None:
    expected = {
        a: "allowed" if a in PEOPLE or a.startswith("proxy_lacking_") else "refused" for a in ACTORS
    }
    expected["proxy_lacking_answer_check_ins"] = "refused"

    def subject() -> Subject:
        return stage.subject("cause", "verifying")

    def answering(track: Subject, name: str) -> Callable[[], object]:
        assert isinstance(track, InvolvementTrack)
        (question,) = [c for c in stage.scenario.open_check_ins(track) if c.person_id]
        actor = stage.actor(name, track)
        return lambda: answer_check_in(actor, question, Answer.YES, satisfaction=4)

    assert wrong_cells(stage, subject, answering, expected) == {}


@pytest.mark.parametrize("workflow", ["cause", "contribute", "directly_linked"])
def test_no_staff_role_confirms_or_disputes_a_delivery(stage: Stage, workflow: str) -> None:
    track = stage.subject(workflow, "verifying")
    (question,) = [c for c in stage.scenario.open_check_ins(track) if c.person_id is not None]
    fields: dict[str, Any] = {"gap": "The water point is still missing."}
    before = Snapshot.of(track)
    outcomes = {}
    for name in STAFF:
        staff = stage.actor(name, track)
        for trigger in ("confirm", "confirm_partly", "dispute"):
            confirming = partial(fire, track, trigger, staff, **fields)
            outcomes[name, trigger] = attempt(stage, track, before, confirming, "refused")
        answering = partial(answer_check_in, staff, question, Answer.NO)
        outcomes[name, "answer_check_in"] = attempt(stage, track, before, answering, "refused")

    assert set(outcomes.values()) == {"refused"}, outcomes
