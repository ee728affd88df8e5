"""docs/voice.md shows the call as built: its diagram, its steps and the prompt files are
generated from the call's definition and the prompts, and never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from remedy.cli.voice import DOC_PATH, generated_sections
from remedy.cli.workflows import stale_sections
from remedy.voice.prompts import PROMPTS
from remedy.workflows.call import CALL

pytestmark = pytest.mark.usefixtures("app")  # prompts are read in the app's catalogues
REFRESH = "run `flask --app wsgi voice docs --write` and review the diff of docs/voice.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC_PATH.read_text(encoding="utf-8")


def test_no_generated_part_of_the_voice_doc_is_stale(doc: str) -> None:
    assert stale_sections(doc, generated_sections()) == [], REFRESH


def test_the_doc_has_every_state_transition_and_prompt(doc: str) -> None:
    sections = generated_sections()

    assert sections["call.diagram"].startswith('```mermaid\n---\ntitle: "Voice call"')
    for state in CALL.states:
        assert f"| `{state.name}`" in sections["call.steps"]
    for transition in CALL.transitions:
        if transition.trigger != "hang_up":
            assert f"(`{transition.trigger}`) | `{transition.dest}` |" in sections["call.steps"]
    for name, text in PROMPTS.items():
        if "%(" not in str(text):
            assert f"| `{name}.mp3` |" in sections["prompts"]


def test_a_changed_call_definition_makes_the_doc_stale(doc: str) -> None:
    sections = generated_sections()
    sections["call.diagram"] = sections["call.diagram"].replace(
        "main_menu --> what_happened: make_complaint", "main_menu --> what_happened: complain"
    )

    assert stale_sections(doc, sections) == ["call.diagram"]


def test_docs_check_fails_on_a_stale_copy_and_write_repairs_it(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    copy = tmp_path / "voice.md"
    shutil.copyfile(DOC_PATH, copy)
    original = copy.read_text(encoding="utf-8")
    copy.write_text(original.replace("| `goodbye.mp3` |", "| `bye.mp3` |"), encoding="utf-8")

    checked = runner.invoke(args=["voice", "docs", "--check", "--path", str(copy)])
    written = runner.invoke(args=["voice", "docs", "--write", "--path", str(copy)])
    rechecked = runner.invoke(args=["voice", "docs", "--check", "--path", str(copy)])

    assert checked.exit_code == 1
    assert "stale generated parts: prompts." in checked.output
    assert written.exit_code == 0, written.output
    assert copy.read_text(encoding="utf-8") == original
    assert rechecked.exit_code == 0, rechecked.output
