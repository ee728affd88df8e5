"""Every event the code records on a case reads as words in the case's timeline, never as
a raw key such as ``pin_reset.request``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale

from remedy.cases.event_labels import EVENT_LABELS, event_label
from remedy.workflows import WORKFLOWS

ROOT = Path(__file__).resolve().parent.parent
CASE_SUBJECTS = {"grievance", "track"}


def _literals(node: ast.expr) -> Iterator[str]:
    """The action names a call can record: a string, or either side of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)


def actions_recorded_on_cases() -> set[str]:
    """Read the code for ``audit.record(actor, action, subject_type, ...)`` on a case."""
    found: set[str] = set()
    for path in [*ROOT.glob("remedy/**/*.py"), *ROOT.glob("channels/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and len(node.args) >= 3):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            subject = node.args[2]
            if name != "record" or not isinstance(subject, ast.Constant | ast.IfExp):
                continue
            if set(_literals(subject)) & CASE_SUBJECTS:
                found.update(_literals(node.args[1]))
    return found


WORKFLOW_STEPS = {f"{name}.{t.trigger}" for name, wf in WORKFLOWS.items() for t in wf.transitions}


def test_the_code_is_read_for_the_events_it_records_on_cases() -> None:
    actions = actions_recorded_on_cases()
    # Some the timeline has always shown, so the reading itself is checked.
    assert {"note.add", "pin_reset.request", "identity.approve", "identity.refuse"} <= actions


@pytest.mark.parametrize("action", sorted(actions_recorded_on_cases() - WORKFLOW_STEPS))
def test_every_event_recorded_on_a_case_has_a_label(action: str) -> None:
    assert action in EVENT_LABELS, f"add {action!r} to remedy/cases/event_labels.py"


def test_workflow_steps_take_their_workflows_label(app: Flask) -> None:
    with app.test_request_context():
        for name, workflow in WORKFLOWS.items():
            for step in workflow.transitions:
                assert event_label(f"{name}.{step.trigger}") == str(step.label)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_event_no_one_listed_still_reads_as_words(app: Flask, language: str) -> None:
    with app.test_request_context():
        assert event_label("something.new") == "Other change to the case"
        with force_locale(language):
            label = event_label("something.new")
    assert label != "Other change to the case"
    assert "something" not in label
