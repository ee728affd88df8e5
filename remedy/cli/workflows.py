"""``flask workflows diagram`` and ``flask workflows docs``: the workflows as built.

Both are generated from the definitions in :mod:`remedy.workflows`, so what
``docs/workflows.md`` shows cannot drift from what runs: the doc holds the
generated parts between ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END
GENERATED: name -->`` markers, ``workflows docs --write`` refreshes them and
``workflows docs --check`` (and ``tests/workflows/test_docs.py``) fails when one
is stale. Output is always in English, whatever the default language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from remedy.cases.policy import may_fire, party_includes
from remedy.core.actors import SYSTEM, Actor, ActorKind
from remedy.core.config import PROJECT_ROOT
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.user import Role
from remedy.workflows import WORKFLOWS
from remedy.workflows.deadlines import POLICIES, JurisdictionPolicy
from remedy.workflows.definition import Party, Transition, Workflow

DOC_PATH = PROJECT_ROOT / "docs" / "workflows.md"
DOC_LANGUAGE = "en"


@contextmanager
def in_doc_language() -> Iterator[None]:
    with force_locale(DOC_LANGUAGE):
        yield


@click.group(help="The workflow definitions: diagrams and generated documentation.")
def workflows() -> None:
    pass


# Diagrams ----------------------------------------------------------------------------


def diagram_text(workflow: Workflow) -> str:
    """What ``workflows diagram NAME`` prints (ends with one newline)."""
    with in_doc_language():
        return workflow.diagram().rstrip("\n") + "\n"


@workflows.command("diagram")
@click.argument("name", required=False)
@with_appcontext
def diagram(name: str | None) -> None:
    """Print the Mermaid state diagram of workflow NAME, or of every workflow."""
    if name is not None and name not in WORKFLOWS:
        raise click.UsageError(
            f"No workflow named {name!r}; choose one of: {', '.join(WORKFLOWS)}."
        )
    chosen = [WORKFLOWS[name]] if name else list(WORKFLOWS.values())
    click.echo("\n".join(diagram_text(workflow) for workflow in chosen), nl=False)


# Generated documentation ---------------------------------------------------------------

PARTY_WORDS = {
    Party.TEAM: "team",
    Party.SUPERVISOR: "supervisor",
    Party.MECHANISM_SUPERVISOR: "mechanism supervisor",
    Party.COMPLAINANT: "complainant",
    Party.SYSTEM: "system",
}


def _code(values: Sequence[str]) -> str:
    return ", ".join(f"`{value}`" for value in values) or "—"


def _who(transition: Transition) -> str:
    parties = [PARTY_WORDS[party] for party in Party if party in transition.who]
    if Party.COMPLAINANT in transition.who:
        parties.append(f"proxy (`{transition.mandate_scope.value}`)")
    return ", ".join(parties)


def _conditions(transition: Transition) -> str:
    names = [guard.__name__ for guard in transition.guards]
    if transition.route is not None:
        names.append(f"{transition.route.__name__} (route)")
    return _code(names)


def state_table(workflow: Workflow) -> str:
    """One row per (state, transition out of it); the state's name on its first row."""
    lines = [
        "| state | deadline | trigger | → next | who | requires | guards | message |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for state in workflow.states:
        name = f"`{state.name}` {state.label}"
        deadline = f"`{state.deadline}`" if state.deadline else "—"
        if state.ended:
            name += " (ended)"
        outgoing = [t for t in workflow.transitions if state.name in t.source]
        if not outgoing:
            lines.append(f"| {name} | {deadline} | — | — | — | — | — | — |")
        for index, item in enumerate(outgoing):
            shown_name, shown_deadline = (name, deadline) if index == 0 else ("", "")
            message = f"`{item.notify}`" if item.notify else "—"
            lines.append(
                f"| {shown_name} | {shown_deadline} | `{item.trigger}` | `{item.dest}` "
                f"| {_who(item)} | {_code(item.requires)} | {_conditions(item)} | {message} |"
            )
    return "\n".join(lines) + "\n"


def _days(span: timedelta | None) -> str:
    if span is None:
        return "—"
    return f"{span.days} day" if span.days == 1 else f"{span.days} days"


def _spans(policy: JurisdictionPolicy, key: str) -> str:
    """The usual span, and the shorter one for severe or urgent cases if the policy sets one."""
    usual, urgent = policy.deadline_for(key), policy.deadline_for(key, urgent=True)
    if urgent is None or urgent == usual:
        return _days(usual)
    return f"{_days(usual)} (severe or urgent: {_days(urgent)})"


def deadline_table() -> str:
    """Each deadline key, its span under every shipped policy (and the shorter one for severe
    or urgent cases), and the states that use it."""
    names = list(POLICIES)
    lines = [
        "| key | " + " | ".join(f"`{name}`" for name in names) + " | states |",
        "|---|" + "---|" * len(names) + "---|",
    ]
    keys = dict.fromkeys(key for policy in POLICIES.values() for key in policy.deadlines)
    for key in keys:
        users = [
            f"{workflow.name}.{state.name}"
            for workflow in WORKFLOWS.values()
            for state in workflow.states
            if state.deadline == key
        ]
        spans = " | ".join(_spans(POLICIES[name], key) for name in names)
        lines.append(f"| `{key}` | {spans} | {_code(users)} |")
    feedback = " | ".join(_days(POLICIES[name].feedback_within) for name in names)
    lines.append(f"| substantive feedback from receipt | {feedback} | — |")
    return "\n".join(lines) + "\n"


# The permission table asks remedy.cases.policy, with stand-in actors and cases
# (unsaved objects: nothing here reads or writes the database).
_OWN, _OTHER = 1, 2


@cache
def _case() -> Grievance:
    return Grievance(reference="00000000")


@cache
def _track(organisation_id: int) -> InvolvementTrack:
    return InvolvementTrack(organisation_id=organisation_id)


def _staff(role: Role, organisation_id: int | None = None) -> Actor:
    return Actor(ActorKind.STAFF, "1", role, organisation_id, user_id=1)


def _allowed(transition: Transition, actor: Actor, track: InvolvementTrack | None) -> str:
    return "allowed" if may_fire(transition, actor, _case(), track) else "refused"


def _role_cell(role: Role) -> Callable[[Transition, bool], str]:
    def cell(transition: Transition, on_track: bool) -> str:
        return _allowed(transition, _staff(role), _track(_OWN) if on_track else None)

    return cell


def _organisation_user_cell(transition: Transition, on_track: bool) -> str:
    """Staff of a company or partner (handler or supervisor): their own track only."""
    if not on_track:
        staff = (_staff(Role.HANDLER, _OWN), _staff(Role.SUPERVISOR, _OWN))
        return (
            "allowed" if any(may_fire(transition, a, _case(), None) for a in staff) else "refused"
        )
    handler, supervisor = _staff(Role.HANDLER, _OWN), _staff(Role.SUPERVISOR, _OWN)
    if any(may_fire(transition, a, _case(), _track(_OTHER)) for a in (handler, supervisor)):
        return "allowed"
    if may_fire(transition, handler, _case(), _track(_OWN)):
        return "own track"
    if may_fire(transition, supervisor, _case(), _track(_OWN)):
        return "own track, supervisors"
    return "refused"


def _proxy_cell(transition: Transition, on_track: bool) -> str:
    """A proxy acts as the complainant while a mandate covers the trigger's scope.

    Asking about a mandate needs the database, so that part reads the definition
    (``Party.COMPLAINANT`` admits mandated proxies, see ``party_includes``); the
    other parties are asked. ``test_docs`` checks every cell against real mandates.
    """
    proxy = Actor(ActorKind.PROXY, "1", Role.PROXY_MEMBER, _OWN, user_id=1)
    track = _track(_OWN) if on_track else None
    others = [party for party in transition.who if party is not Party.COMPLAINANT]
    if any(
        party_includes(party, proxy, _case(), track, transition.mandate_scope) for party in others
    ):
        return "allowed"
    if Party.COMPLAINANT in transition.who:
        return f"with `{transition.mandate_scope.value}` mandate"
    return "refused"


def _complainant_cell(transition: Transition, on_track: bool) -> str:
    complainant = Actor.complainant(_case().reference)
    return _allowed(transition, complainant, _track(_OWN) if on_track else None)


def _system_cell(transition: Transition, on_track: bool) -> str:
    return _allowed(transition, SYSTEM, _track(_OWN) if on_track else None)


PERMISSION_COLUMNS: tuple[tuple[str, Callable[[Transition, bool], str]], ...] = (
    ("handler", _role_cell(Role.HANDLER)),
    ("supervisor", _role_cell(Role.SUPERVISOR)),
    ("protection officer", _role_cell(Role.PROTECTION_OFFICER)),
    ("auditor", _role_cell(Role.AUDITOR)),
    ("admin", _role_cell(Role.ADMIN)),
    ("organisation user", _organisation_user_cell),
    ("proxy", _proxy_cell),
    ("complainant", _complainant_cell),
    ("system", _system_cell),
)


def permission_rows() -> list[tuple[str, str, list[str]]]:
    """(workflow, trigger, one cell per column) for every trigger of every workflow."""
    rows = []
    for workflow in WORKFLOWS.values():
        on_track = workflow.name != "intake"
        for trigger in workflow.triggers:
            variants = [t for t in workflow.transitions if t.trigger == trigger]
            cells = [
                " / ".join(dict.fromkeys(cell(item, on_track) for item in variants))
                for _title, cell in PERMISSION_COLUMNS
            ]
            rows.append((workflow.name, trigger, cells))
    return rows


def permission_table() -> str:
    titles = [title for title, _cell in PERMISSION_COLUMNS]
    lines = [
        "| workflow | trigger | " + " | ".join(titles) + " |",
        "|---|---|" + "---|" * len(titles),
    ]
    for workflow, trigger, cells in permission_rows():
        lines.append(f"| {workflow} | `{trigger}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def generated_sections() -> dict[str, str]:
    """Every generated part of docs/workflows.md, by marker name."""
    sections: dict[str, str] = {}
    with in_doc_language():
        for workflow in WORKFLOWS.values():
            sections[f"{workflow.name}.states"] = state_table(workflow)
            sections[f"{workflow.name}.diagram"] = f"```mermaid\n{diagram_text(workflow)}```\n"
        sections["deadlines"] = deadline_table()
        sections["permissions"] = permission_table()
    return sections


def _block(name: str, body: str = "") -> str:
    return f"<!-- BEGIN GENERATED: {name} -->\n{body}<!-- END GENERATED: {name} -->"


def _block_pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        re.escape("<!-- BEGIN GENERATED: " + name + " -->\n")
        + "(.*?)"
        + re.escape("<!-- END GENERATED: " + name + " -->"),
        re.DOTALL,
    )


def stale_sections(text: str, sections: dict[str, str] | None = None) -> list[str]:
    """Names of the generated parts that are missing from ``text`` or differ."""
    sections = generated_sections() if sections is None else sections
    stale = []
    for name, body in sections.items():
        found = _block_pattern(name).search(text)
        if found is None or found.group(1) != body:
            stale.append(name)
    return stale


def refresh(text: str, sections: dict[str, str] | None = None) -> str:
    """``text`` with every generated part replaced; a missing marker is an error."""
    sections = generated_sections() if sections is None else sections
    for name, body in sections.items():
        found = _block_pattern(name).search(text)
        if found is None:
            raise click.ClickException(f"No {name!r} markers in the document; add {_block(name)}")
        text = text[: found.start()] + _block(name, body) + text[found.end() :]
    return text


@workflows.command("docs")
@click.option("--check", is_flag=True, help="Exit 1 naming the generated parts that are stale.")
@click.option("--write", is_flag=True, help="Refresh the generated parts in the document.")
@click.option(
    "--path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DOC_PATH,
    show_default=True,
    help="The document holding the generated parts.",
)
@with_appcontext
def docs(check: bool, write: bool, path: Path) -> None:
    """Print the generated parts of docs/workflows.md (state, deadline, permission tables
    and diagrams), each between its markers; or check or refresh them in place."""
    sections = generated_sections()
    if not (check or write):
        click.echo("\n\n".join(_block(name, body) for name, body in sections.items()))
    keep_in_step(path, sections, check, write, "workflows docs")


def keep_in_step(
    path: Path, sections: dict[str, str], check: bool, write: bool, command: str
) -> None:
    """``--check`` (exit 1 naming what is stale) or ``--write`` a doc's generated parts."""
    if check and write:
        raise click.UsageError("Choose --check or --write, not both.")
    if not (check or write):
        return
    text = path.read_text(encoding="utf-8")
    if check:
        stale = stale_sections(text, sections)
        if stale:
            click.echo(
                f"{path}: stale generated parts: {', '.join(stale)}. "
                f"Run `flask --app wsgi {command} --write`.",
                err=True,
            )
            raise SystemExit(1)
        click.echo(f"{path}: every generated part is up to date.")
        return
    updated = refresh(text, sections)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    click.echo(f"{path}: generated parts written.")
