"""How a WhatsApp message is sent (free text, buttons or an approved template), the
operator's templates file, and the command that lists what to register."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask

from remedy import create_app
from remedy.cli.whatsapp import DOC_PATH, SECTION, catalogue
from remedy.cli.workflows import stale_sections
from remedy.core.config import ConfigError
from remedy.messaging.whatsapp_templates import (
    BUTTONS_OF,
    Choice,
    Template,
    TemplateBook,
    TemplateFileError,
    kind_variables,
    load_book,
)
from tests.support import test_overrides as settings_for

LANGUAGES = ("en", "fr", "es", "sw", "ar")
SID = "HX" + "0" * 31 + "1"
BUTTONS_SID = "HX" + "0" * 31 + "2"
BOOK = TemplateBook(
    templates={"check_in": Template(("reference", "remedy"), {"fr": SID})},
    buttons={"check_in": {"fr": BUTTONS_SID}},
)
VALUES = {"reference": "8548 7756", "remedy": "1) Ouvrir une porte."}
BODY = "Dossier 8548 7756 : la réparation a-t-elle été faite ? Répondez 1 oui, 2 en partie, 3 non."


def test_inside_the_window_a_numbered_ask_goes_with_its_buttons() -> None:
    choice = BOOK.choose("check_in", "fr", BODY, VALUES, window_open=True)
    assert choice is not None
    assert (choice.body, choice.content_sid) == (None, BUTTONS_SID)
    assert json.loads(choice.content_variables or "") == {"1": BODY}


def test_inside_the_window_without_buttons_free_text_goes() -> None:
    assert BOOK.choose("check_in", "sw", BODY, VALUES, window_open=True) == Choice(body=BODY)
    assert BOOK.choose("accepted", "fr", BODY, VALUES, window_open=True) == Choice(body=BODY)


def test_outside_the_window_the_template_takes_its_variables_in_order() -> None:
    choice = BOOK.choose("check_in", "fr", BODY, VALUES, window_open=False)
    assert choice is not None
    assert choice.content_sid == SID
    assert json.loads(choice.content_variables or "") == {
        "1": "8548 7756",
        "2": "1) Ouvrir une porte.",
    }


@pytest.mark.parametrize(
    ("kind", "language", "values"),
    [
        ("check_in", "en", VALUES),  # no template in this language
        ("accepted", "fr", VALUES),  # no template of this kind
        ("check_in", "fr", None),  # no values recorded (a conversation reply)
        ("check_in", "fr", {"reference": "8548 7756", "remedy": ""}),  # WhatsApp refuses ""
    ],
)
def test_outside_the_window_nothing_goes_without_a_full_template(
    kind: str, language: str, values: dict[str, str] | None
) -> None:
    assert BOOK.choose(kind, language, BODY, values, window_open=False) is None


def test_the_kinds_are_the_workflow_messages_and_the_discreet_one() -> None:
    kinds = kind_variables()
    assert kinds["check_in"] == ("reference", "remedy")
    assert kinds["remedy_proposed"] == ("reference", "remedy", "date")
    assert kinds["discreet"] == ()
    # Every ask answered with a digit, and the conversation's menus, have buttons.
    numbered = {"remedy_proposed", "check_in", "follow_up", "identity_consent"}
    assert numbered | {"menu_yes_no", "menu_language"} <= set(BUTTONS_OF)


def write(tmp_path: Path, content: object) -> str:
    path = tmp_path / "templates.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_the_file_maps_kind_and_language_to_content(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "templates": {
                "acknowledged": {"content": {"en": SID}},
                "check_in": {"variables": ["reference"], "content": {"sw": SID}},
            },
            "buttons": {"yes_no": {"ar": BUTTONS_SID}},
        },
    )
    book = load_book(path, LANGUAGES)
    assert book.templates["acknowledged"] == Template(("reference", "date"), {"en": SID})
    assert book.templates["check_in"] == Template(("reference",), {"sw": SID})
    assert book.buttons == {"yes_no": {"ar": BUTTONS_SID}}
    assert load_book("", LANGUAGES) == TemplateBook()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "cannot read it as JSON"),
        ({"templates": {"no_such_kind": {}}}, "templates.no_such_kind: no such kind"),
        ({"templates": {"check_in": {"variables": ["pin"]}}}, "check_in.variables"),
        ({"templates": {"check_in": {"content": {"de": SID}}}}, "content.de: not a language"),
        ({"templates": {"check_in": {"content": {"en": "HX12"}}}}, "not a Content SID"),
        ({"buttons": {"maybe": {"en": SID}}}, "buttons.maybe"),
        ({"senders": {}}, "expected an object with 'templates' and 'buttons'"),
    ],
)
def test_a_bad_file_is_refused_naming_the_entry(tmp_path: Path, content: object, says: str) -> None:
    with pytest.raises(TemplateFileError, match=re.escape(says)):
        load_book(write(tmp_path, content), LANGUAGES)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateFileError, match="cannot read it"):
        load_book(str(tmp_path / "nowhere.json"), LANGUAGES)


@pytest.mark.usefixtures("app")
def test_the_list_in_docs_whatsapp_is_the_commands() -> None:
    doc = DOC_PATH.read_text(encoding="utf-8")
    assert stale_sections(doc, {SECTION: catalogue()}) == [], (
        "run `flask --app wsgi whatsapp templates --write` and review docs/whatsapp.md"
    )


def test_the_command_lists_every_kind_and_what_each_language_lacks(app: Flask) -> None:
    config = Path(__file__).parent.parent / "sms" / "whatsapp_templates.json"
    app.config["REMEDY_WHATSAPP_TEMPLATES"] = str(config)
    try:
        result = app.test_cli_runner().invoke(args=["whatsapp", "templates"])
    finally:
        app.config["REMEDY_WHATSAPP_TEMPLATES"] = ""
    assert result.exit_code == 0, result.output
    assert "| `check_in` | {{1}} reference, {{2}} remedy | check_in |" in result.output
    assert "| `yes_no` | `menu_yes_no`, `identity_consent` | 1 Yes, 2 No | 1 Oui, 2 Non |" in (
        result.output
    )
    missing = [line for line in result.output.splitlines() if line.startswith("sw: templates")]
    assert len(missing) == 1
    assert "accepted" in missing[0]
    assert "check_in" not in missing[0].split(": ", 2)[2].split(", ")
    assert "sw: buttons missing: none" in result.output


def test_a_bad_file_makes_the_command_fail_clearly(app: Flask, tmp_path: Path) -> None:
    app.config["REMEDY_WHATSAPP_TEMPLATES"] = write(tmp_path, {"templates": {"x": {}}})
    try:
        result = app.test_cli_runner().invoke(args=["whatsapp", "templates"])
    finally:
        app.config["REMEDY_WHATSAPP_TEMPLATES"] = ""
    assert result.exit_code == 1
    assert "templates.x: no such kind" in result.output


def test_a_bad_file_stops_the_app_at_start_up(tmp_path: Path) -> None:
    path = write(tmp_path, {"templates": {"check_in": {"content": {"en": "HX1"}}}})
    unused = settings_for(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path)
    with pytest.raises(ConfigError, match=r"REMEDY_WHATSAPP_TEMPLATES: .*check_in\.content\.en"):
        create_app({**unused, "REMEDY_WHATSAPP_TEMPLATES": path})
