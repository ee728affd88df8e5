"""``flask voice prompts`` and ``flask voice docs``: what a call says, and its flow as built.

``voice prompts`` tells the operator, language by language, which prompts a call will
play from a recording and which it will speak, with which voice, and where each
recording goes. ``voice docs`` keeps the generated parts of ``docs/voice.md`` (the call's
diagram and steps, the prompt files) in step with ``remedy.workflows.call`` and
``remedy.voice.prompts``, as ``workflows docs`` does for the case workflows: ``--check``
(and ``tests/voice/test_docs.py``) fails when one is stale. Output is in English.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from remedy.cli.workflows import diagram_text, in_doc_language, keep_in_step
from remedy.core.config import PROJECT_ROOT
from remedy.voice.inventory import PromptCopy, language_voices, prompt_copies, prompts_folder
from remedy.workflows.call import CALL, RECORDING_STATES

DOC_PATH = PROJECT_ROOT / "docs" / "voice.md"
# Every step of a call may end with it: the page says so once instead of on every row.
HANG_UP = "hang_up"


@click.group(help="The voice channel: its prompts and recordings, and its documentation.")
def voice() -> None:
    pass


# Prompts ---------------------------------------------------------------------------------


def _status(copy: PromptCopy) -> str:
    if copy.spoken_only:
        return "always spoken (it says a value)"
    return f"recorded: {copy.path}" if copy.recorded else f"MISSING: {copy.path}"


@voice.command("prompts")
@click.option("--missing", is_flag=True, help="Only the prompts that lack a recording.")
@click.option("--language", "only", help="Only this language (a code: en, fr, sw, ...).")
@with_appcontext
def prompts(missing: bool, only: str | None) -> None:
    """Every prompt with its words in each language, and whether a recording is installed.

    A language the provider has no voice for is flagged, with what a call does instead.
    Exits 1 with --missing when something is missing (for a deployment check)."""
    chosen = [voice for voice in language_voices() if only in (None, voice.language)]
    if not chosen:
        raise click.UsageError(f"No shipped language {only!r}.")
    lacking = 0
    for found in chosen:
        copies = prompt_copies(found.language)
        recordable = [copy for copy in copies if not copy.spoken_only]
        recorded = sum(copy.recorded for copy in recordable)
        click.echo(f"== {found.language} ({found.name}) ==")
        if found.own:
            click.echo(f"voice: {found.voice.name or 'default'} ({found.voice.code})")
        else:
            click.echo(f"NO VOICE at the provider for this language: {found.fallback}.")
        played_from = copies[0].address.rsplit("/", 1)[0]
        click.echo(
            f"recorded: {recorded} of {len(recordable)} prompts, "
            f"installed in {prompts_folder(found.language)}, played from {played_from}/"
        )
        for copy in copies:
            if missing and not copy.missing:
                continue
            lacking += copy.missing
            click.echo(f"  {copy.name}: {_status(copy)}")
            click.echo(f"    {copy.text}")
        click.echo("")
    if missing and lacking:
        click.echo(f"{lacking} prompt recordings missing.", err=True)
        raise SystemExit(1)


# Generated documentation -----------------------------------------------------------------


def steps_table() -> str:
    """One row per way out of each state of the call (but hanging up, which every state
    has): the key or recording, the next step."""
    lines = [
        "| step | after the prompt | the caller | → next | when |",
        "|---|---|---|---|---|",
    ]
    for state in CALL.states:
        name = f"`{state.name}`" + (" (ended)" if state.ended else "")
        expects = "a recording (`<Record>`)" if state.name in RECORDING_STATES else "keys"
        if state.ended:
            expects = "—"
        outgoing = [t for t in CALL.transitions if state.name in t.source and t.trigger != HANG_UP]
        if not outgoing:
            lines.append(f"| {name} {state.label} | {expects} | — | — | — |")
        for index, item in enumerate(outgoing):
            shown = f"{name} {state.label}" if index == 0 else ""
            shown_expects = expects if index == 0 else ""
            when = f"`{item.route.__name__.lstrip('_')}`" if item.route else "—"
            lines.append(
                f"| {shown} | {shown_expects} | {item.label} (`{item.trigger}`) "
                f"| `{item.dest}` | {when} |"
            )
    return "\n".join(lines) + "\n"


def prompts_table() -> str:
    """Every prompt's file name and English words (the other languages: ``voice prompts``)."""
    lines = ["| file | English words |", "|---|---|"]
    for copy in prompt_copies("en"):
        file = "— (always spoken)" if copy.spoken_only else f"`{copy.name}.mp3`"
        lines.append(f"| {file} | {copy.text} |")
    return "\n".join(lines) + "\n"


def generated_sections() -> dict[str, str]:
    """Every generated part of docs/voice.md, by marker name."""
    with in_doc_language():
        return {
            "call.diagram": f"```mermaid\n{diagram_text(CALL)}```\n",
            "call.steps": steps_table(),
            "prompts": prompts_table(),
        }


@voice.command("docs")
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
    """Check or refresh the generated parts of docs/voice.md (the call's diagram and
    steps, the prompt files); without an option, print them."""
    sections = generated_sections()
    if not (check or write):
        for name, body in sections.items():
            click.echo(f"<!-- BEGIN GENERATED: {name} -->\n{body}<!-- END GENERATED: {name} -->")
    keep_in_step(path, sections, check, write, "voice docs")
