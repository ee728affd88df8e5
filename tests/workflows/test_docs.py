"""docs/workflows.md shows the workflows as built: its generated parts are never stale.

The state, deadline and permission tables and the Mermaid diagrams in the doc are
generated from the definitions (``flask --app wsgi workflows docs``); these tests
fail as soon as the doc and the code disagree, and say how to refresh it.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from remedy.cases.policy import may_fire
from remedy.cli.workflows import (
    DOC_PATH,
    PERMISSION_COLUMNS,
    generated_sections,
    permission_rows,
    refresh,
    stale_sections,
)
from remedy.core.actors import SYSTEM, Actor, ActorKind
from remedy.models import ConsentMethod, Grievance, InvolvementTrack, Role, TrackKind
from remedy.models.types import utcnow
from remedy.proxy.mandates import grant_mandate, withdraw_mandate
from remedy.workflows import WORKFLOWS
from remedy.workflows.definition import MandateScope, Transition
from tests.workflows.scenarios import Scenario

REFRESH = "run `flask --app wsgi workflows docs --write` and review the diff"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC_PATH.read_text(encoding="utf-8")


def test_no_generated_part_of_the_doc_is_stale(doc: str) -> None:
    assert stale_sections(doc) == [], REFRESH


@pytest.mark.parametrize("name", list(WORKFLOWS))
def test_the_doc_embeds_each_diagram_exactly_as_the_command_prints_it(
    runner: FlaskCliRunner, doc: str, name: str
) -> None:
    printed = runner.invoke(args=["workflows", "diagram", name]).output

    assert f"```mermaid\n{printed}```\n" in doc, REFRESH


def test_the_doc_has_a_state_table_and_a_diagram_for_every_workflow() -> None:
    sections = generated_sections()

    for name, workflow in WORKFLOWS.items():
        table = sections[f"{name}.states"]
        for state in workflow.states:
            assert f"| `{state.name}` " in table
        for transition in workflow.transitions:
            assert f"| `{transition.trigger}` | `{transition.dest}` |" in table
        assert sections[f"{name}.diagram"].startswith("```mermaid\n---\n")
    assert {"deadlines", "permissions"} <= set(sections)


# A stale doc is caught -------------------------------------------------------------------


def test_a_changed_diagram_is_caught(doc: str) -> None:
    stale = doc.replace(
        "  screening --> assessment: accept\n", "  screening --> assessment: approve\n"
    )

    assert stale != doc
    assert stale_sections(stale) == ["intake.diagram"]


def test_a_changed_table_row_is_caught(doc: str) -> None:
    row = "| intake | `uphold` | refused | allowed |"
    assert row in doc

    stale = doc.replace(row, "| intake | `uphold` | allowed | allowed |")

    assert stale_sections(stale) == ["permissions"]


def test_a_definition_change_makes_the_doc_stale(doc: str) -> None:
    sections = generated_sections()
    sections["cause.states"] = sections["cause.states"].replace("`plan_remedy`", "`plan`")

    assert stale_sections(doc, sections) == ["cause.states"]


def test_missing_markers_are_caught(doc: str) -> None:
    stale = doc.replace("<!-- BEGIN GENERATED: deadlines -->", "")

    assert stale_sections(stale) == ["deadlines"]
    with pytest.raises(Exception, match="No 'deadlines' markers"):
        refresh(stale)


def test_docs_check_fails_on_a_stale_copy_and_write_repairs_it(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    copy = tmp_path / "workflows.md"
    shutil.copyfile(DOC_PATH, copy)
    original = copy.read_text(encoding="utf-8")
    copy.write_text(
        original.replace("| `verify` | 21 days |", "| `verify` | 8 days |", 1), encoding="utf-8"
    )

    checked = runner.invoke(args=["workflows", "docs", "--check", "--path", str(copy)])
    written = runner.invoke(args=["workflows", "docs", "--write", "--path", str(copy)])
    rechecked = runner.invoke(args=["workflows", "docs", "--check", "--path", str(copy)])

    assert checked.exit_code == 1
    assert "stale generated parts: deadlines." in checked.output
    assert written.exit_code == 0, written.output
    assert copy.read_text(encoding="utf-8") == original
    assert rechecked.exit_code == 0, rechecked.output


def test_docs_prints_every_generated_part_between_its_markers(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["workflows", "docs"])

    assert result.exit_code == 0, result.output
    for name, body in generated_sections().items():
        assert f"<!-- BEGIN GENERATED: {name} -->\n{body}<!-- END GENERATED: {name} -->" in (
            result.output
        )


# The permission table is what permissions.py decides -------------------------------------


def _cell(allowed: bool) -> str:
    return "allowed" if allowed else "refused"


class Cast:
    """Real accounts, cases and mandates, to ask ``may_fire`` the table's every question."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.intake_case = scenario.file()
        self.track_cases: dict[str, tuple[Grievance, InvolvementTrack, InvolvementTrack]] = {}
        for kind in TrackKind:
            grievance, (own, other) = scenario.in_remedy(kind, kind)
            self.track_cases[kind.value] = (grievance, own, other)  # company's, partner's

    def subject(self, workflow: str) -> tuple[Grievance, InvolvementTrack | None]:
        if workflow == "intake":
            return self.intake_case, None
        grievance, own, _other = self.track_cases[workflow]
        return grievance, own

    def staff(self, role: Role, organisation_id: int | None = None) -> Actor:
        return Actor(ActorKind.STAFF, "9999", role, organisation_id, user_id=9999)

    def organisation_user(self, workflow: str, transition: Transition) -> str:
        company = self.scenario.company.id
        grievance, own = self.subject(workflow)
        other = None if own is None else self.track_cases[workflow][2]
        users = [self.scenario.company_handler, self.staff(Role.SUPERVISOR, company)]
        if any(may_fire(transition, user, grievance, other) for user in users):
            return "allowed"
        if own is not None and may_fire(transition, users[0], grievance, own):
            return "own track"
        if own is not None and may_fire(transition, users[1], grievance, own):
            return "own track, supervisors"
        return "refused"

    def proxy(self, workflow: str, transition: Transition) -> str:
        """Refused without a mandate, allowed with a mandate of exactly one scope."""
        grievance, track = self.subject(workflow)
        if may_fire(transition, self.scenario.proxy, grievance, track):
            return "allowed"
        granting = [
            scope for scope in MandateScope if self._with_mandate(scope, workflow, transition)
        ]
        if not granting:
            return "refused"
        assert len(granting) == 1, granting
        return f"with `{granting[0].value}` mandate"

    def _with_mandate(self, scope: MandateScope, workflow: str, transition: Transition) -> bool:
        """May the proxy fire it while holding a mandate of this scope alone?"""
        grievance, track = self.subject(workflow)
        proxy = self.scenario.proxy
        mandate = grant_mandate(
            proxy,
            self.scenario.ngo,
            grievance,
            [scope],
            ConsentMethod.WRITTEN,
            utcnow().date() + timedelta(days=30),
        )
        try:
            return may_fire(transition, proxy, grievance, track)
        finally:
            withdraw_mandate(proxy, mandate)

    def cell(self, column: str, workflow: str, transition: Transition) -> str:
        grievance, track = self.subject(workflow)
        roles = {
            "handler": Role.HANDLER,
            "supervisor": Role.SUPERVISOR,
            "protection officer": Role.PROTECTION_OFFICER,
            "auditor": Role.AUDITOR,
            "admin": Role.ADMIN,
        }
        if column in roles:
            return _cell(may_fire(transition, self.staff(roles[column]), grievance, track))
        if column == "organisation user":
            return self.organisation_user(workflow, transition)
        if column == "proxy":
            return self.proxy(workflow, transition)
        if column == "complainant":
            complainant = self.scenario.complainant(grievance)
            return _cell(may_fire(transition, complainant, grievance, track))
        assert column == "system"
        return _cell(may_fire(transition, SYSTEM, grievance, track))


def test_the_permission_table_matches_permissions_py_cell_by_cell(scenario: Scenario) -> None:
    cast = Cast(scenario)
    titles = [title for title, _cell_of in PERMISSION_COLUMNS]
    documented = {(workflow, trigger): cells for workflow, trigger, cells in permission_rows()}

    assert set(documented) == {
        (name, trigger) for name, workflow in WORKFLOWS.items() for trigger in workflow.triggers
    }
    for (workflow, trigger), cells in documented.items():
        variants = [t for t in WORKFLOWS[workflow].transitions if t.trigger == trigger]
        actual = [
            " / ".join(dict.fromkeys(cast.cell(title, workflow, item) for item in variants))
            for title in titles
        ]
        assert dict(zip(titles, cells, strict=True)) == dict(zip(titles, actual, strict=True)), (
            f"{workflow}.{trigger}"
        )


def test_every_workflow_declares_its_states_with_the_typed_names() -> None:
    from remedy.workflows import CAUSE, CONTRIBUTE, DIRECTLY_LINKED, INTAKE
    from remedy.workflows.states import IntakeState, TrackState

    assert {state.name for state in INTAKE.states} == set(IntakeState)
    track_states = {s.name for w in (CAUSE, CONTRIBUTE, DIRECTLY_LINKED) for s in w.states}
    assert track_states == set(TrackState)
    for workflow in (INTAKE, CAUSE, CONTRIBUTE, DIRECTLY_LINKED):
        assert all(isinstance(state.name, IntakeState | TrackState) for state in workflow.states)
