"""Every command the README and docs/ tell an operator to type runs as written from a fresh
clone: through ``.venv/bin/flask --app wsgi`` (no activated virtualenv needed), and naming a
command and options that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from flask import Flask
from flask.cli import routes_command, run_command, shell_command

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# What `flask` itself adds to every app (FlaskGroup), beside the app's own commands.
BUILT_IN = {"run": run_command, "shell": shell_command, "routes": routes_command}
COMMAND = re.compile(r"\.venv/bin/flask --app wsgi ([^`\n#|]*)")


def documented_commands() -> list[tuple[str, str]]:
    found = []
    for document in DOCUMENTS:
        for match in COMMAND.finditer(document.read_text()):
            found.append((document.name, match.group(1).strip().rstrip(".,;:)")))
    return found


def test_no_document_asks_for_a_bare_flask() -> None:
    """A fresh clone has no `flask` on the PATH: a bare `flask …` fails with "No module"."""
    bare = re.compile(r"(?<![/\w.-])flask (?:--app|[a-z]+ )")
    offending = [
        f"{document.name}:{number}"
        for document in DOCUMENTS
        for number, line in enumerate(document.read_text().splitlines(), 1)
        if bare.search(line.replace(".venv/bin/flask", ""))
    ]
    assert offending == []


def test_the_documents_are_read_for_commands() -> None:
    commands = {text for _name, text in documented_commands()}
    assert "audit verify" in commands
    assert len(commands) > 30


def _resolve(app: Flask, words: list[str]) -> click.Command:
    command: click.Command = app.cli
    context = click.Context(app.cli)
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        found = command.get_command(context, words[0])
        if found is None and command is app.cli:
            found = BUILT_IN.get(words[0])
        assert found is not None, f"no command {words[0]!r} in {command.name!r}"
        command, words = found, words[1:]
    options = {name for param in command.params for name in getattr(param, "opts", [])}
    options |= {name for param in command.params for name in getattr(param, "secondary_opts", [])}
    for word in words:
        flag = word.split("=", 1)[0].strip("[]")
        if flag.startswith("--"):
            assert flag in options, f"{command.name} has no option {flag}"
    return command


@pytest.mark.parametrize(
    ("document", "text"), sorted(set(documented_commands())), ids=lambda value: value[:60]
)
def test_each_documented_command_exists(app: Flask, document: str, text: str) -> None:
    try:
        words = shlex.split(text)
    except ValueError:  # an unbalanced quote in a command cut by the table's column
        words = text.split()
    words = [word for word in words if word not in {"...", "…"}]
    _resolve(app, [word.replace("\\", "").split("|")[0] for word in words])
