"""``flask whatsapp templates``: what an operator registers with WhatsApp, and what is missing.

Every message kind a phone may receive is listed with the variables its template takes
(in order: ``{{1}}``, ``{{2}}``...), its English wording and its buttons; then, for the
file named in ``REMEDY_WHATSAPP_TEMPLATES``, what is missing in each language. The
list is the generated part of ``docs/whatsapp.md``: ``--check`` (and
``tests/messaging/test_whatsapp_docs.py``) fails when it is stale, ``--write`` refreshes
it. Output is in English, the language templates are submitted in first.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from remedy.cli.workflows import keep_in_step
from remedy.core.config import PROJECT_ROOT
from remedy.messaging.whatsapp_templates import (
    BUTTONS,
    BUTTONS_OF,
    TemplateBook,
    TemplateFileError,
    kind_text,
    kind_variables,
    load_book,
)

DOC_PATH = PROJECT_ROOT / "docs" / "whatsapp.md"
SECTION = "whatsapp-templates"


@click.group(help="WhatsApp: the content templates to register, and what is missing.")
def whatsapp() -> None:
    pass


def _languages() -> dict[str, str]:
    languages: dict[str, str] = current_app.config["LANGUAGES"]
    return languages


def _button_labels(name: str, language: str) -> str:
    if name == "language":
        return ", ".join(f"{n} {label}" for n, label in enumerate(_languages().values(), 1))
    with force_locale(language):
        return ", ".join(f"{digit} {label}" for digit, label in BUTTONS[name])


def _numbered_text(kind: str, names: tuple[str, ...]) -> str:
    """The English wording with ``{{1}}``... where its variables go, as WhatsApp wants it."""
    text = kind_text(kind)
    for n, name in enumerate(names, 1):
        text = text.replace(f"%({name})s", f"{{{{{n}}}}}")
    return text.replace("|", "\\|")


def catalogue(languages: tuple[str, ...] = ("en",)) -> str:
    """Every kind, then every set of buttons with its labels in ``languages``: the
    generated part of docs/whatsapp.md in English (translations change its labels)."""
    lines = [
        "| kind | variables | buttons | wording (en) |",
        "|---|---|---|---|",
    ]
    for kind, names in kind_variables().items():
        numbered = ", ".join(f"{{{{{n}}}}} {name}" for n, name in enumerate(names, 1)) or "none"
        text = _numbered_text(kind, names)
        lines.append(f"| `{kind}` | {numbered} | {BUTTONS_OF.get(kind, '')} | {text} |")
    lines += ["", "| buttons | used by | " + " | ".join(f"`{c}`" for c in languages) + " |"]
    lines.append("|---|---|" + "---|" * len(languages))
    for name in BUTTONS:
        users = ", ".join(f"`{kind}`" for kind, used in BUTTONS_OF.items() if used == name)
        labels = " | ".join(_button_labels(name, code) for code in languages)
        lines.append(f"| `{name}` | {users} | {labels} |")
    return "\n".join(lines) + "\n"


def missing(book: TemplateBook) -> list[str]:
    """Per language, the kinds without an approved template and the buttons without content."""
    lines = []
    for code in _languages():
        kinds = [
            k for k in kind_variables() if code not in getattr(book.templates.get(k), "content", {})
        ]
        buttons = [b for b in BUTTONS if code not in book.buttons.get(b, {})]
        lines.append(f"{code}: templates missing: {', '.join(kinds) or 'none'}")
        lines.append(f"{code}: buttons missing: {', '.join(buttons) or 'none'}")
    return lines


@whatsapp.command("templates")
@click.option("--check", is_flag=True, help="Exit 1 if the list in the document is stale.")
@click.option("--write", is_flag=True, help="Refresh the list in the document.")
@click.option(
    "--path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DOC_PATH,
    show_default=True,
    help="The document holding the list.",
)
@with_appcontext
def templates(check: bool, write: bool, path: Path) -> None:
    """Every message kind with its variables and buttons, and what the templates file
    (REMEDY_WHATSAPP_TEMPLATES) lacks in each language; or check or refresh the list in
    docs/whatsapp.md."""
    if check or write:
        keep_in_step(path, {SECTION: catalogue()}, check, write, "whatsapp templates")
        return
    try:
        book = load_book(
            current_app.config.get("REMEDY_WHATSAPP_TEMPLATES", ""), tuple(_languages())
        )
    except TemplateFileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(catalogue(tuple(_languages())))
    source = current_app.config.get("REMEDY_WHATSAPP_TEMPLATES") or "no file configured"
    click.echo(f"Missing ({source}):")
    for line in missing(book):
        click.echo(line)
