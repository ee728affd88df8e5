"""Which WhatsApp content a message goes as: free text, quick-reply buttons, or an
approved template, chosen by the worker when it sends (``docs/whatsapp.md``).

Every phone message has a kind (the workflow template's name, ``discreet``, or the
conversation's menus) and, on WhatsApp, its values as the reader reads them. The
operator's file (``REMEDY_WHATSAPP_TEMPLATES``, JSON) maps kind and language to Twilio
Content SIDs:

- ``templates``: approved WhatsApp templates, with the variables each takes, in the
  order of its ``{{1}}``, ``{{2}}``...; the only content allowed outside the 24-hour
  window. A template of a kind that asks something carries its quick-reply buttons.
- ``buttons``: session content (``twilio/quick-reply``, or ``twilio/list-picker`` for
  the language menu) whose one variable ``{{1}}`` is the whole message, and whose
  buttons' ids are the digits of the menu: used inside the window for the menus.

A button press answers exactly like the digit it stands for; digits always work.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from remedy.messaging.templates import DISCREET, PHONE_TEMPLATES, TEMPLATES

CONTENT_SID = re.compile(r"^HX[0-9a-f]{32}$")
PLACEHOLDER = re.compile(r"%\((\w+)\)")
DISCREET_KIND = "discreet"
# The conversation's menus, as kinds of their own: their replies carry buttons.
YES_NO_MENU = "menu_yes_no"
LANGUAGE_MENU = "menu_language"

# The buttons of each numbered ask, by the digit each one stands for.
BUTTONS: dict[str, tuple[tuple[str, LazyString], ...]] = {
    "yes_no": (("1", _l("Yes")), ("2", _l("No"))),
    "accept_decline": (("1", _l("Accept")), ("2", _l("Decline"))),
    "check_in": (("1", _l("Yes")), ("2", _l("Partly")), ("3", _l("No"))),
    # One item per language, named in itself (a list picker: more than three choices).
    "language": (),
}
# Which buttons each kind's numbered ask takes.
BUTTONS_OF: dict[str, str] = {
    YES_NO_MENU: "yes_no",
    LANGUAGE_MENU: "language",
    "identity_consent": "yes_no",
    "remedy_proposed": "accept_decline",
    "check_in": "check_in",
    "follow_up": "check_in",
}


def _msgid(text: LazyString) -> str:
    """The English text behind a lazy string (its msgid), without a request or locale."""
    return str(text._args[0])


def kind_variables() -> dict[str, tuple[str, ...]]:
    """Every kind a template may be registered for, with the variables it can take, in
    the order they appear in its phone wording."""
    kinds: dict[str, tuple[str, ...]] = {}
    for name, text in TEMPLATES.items():
        wording = _msgid(PHONE_TEMPLATES.get(name, text))
        kinds[name] = tuple(dict.fromkeys(PLACEHOLDER.findall(wording)))
    kinds[DISCREET_KIND] = tuple(PLACEHOLDER.findall(_msgid(DISCREET)))
    return kinds


def kind_text(kind: str) -> str:
    """The English phone wording of a kind, as an operator submits it for approval."""
    if kind == DISCREET_KIND:
        return _msgid(DISCREET)
    return _msgid(PHONE_TEMPLATES.get(kind, TEMPLATES[kind]))


class TemplateFileError(ValueError):
    """The templates file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Template:
    variables: tuple[str, ...]
    content: Mapping[str, str]


@dataclass(frozen=True)
class Choice:
    """How one message goes: free text (``body``) or content with its variables."""

    body: str | None = None
    content_sid: str | None = None
    content_variables: str | None = None


@dataclass(frozen=True)
class TemplateBook:
    templates: Mapping[str, Template] = field(default_factory=dict)
    buttons: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def choose(
        self,
        kind: str,
        language: str,
        body: str,
        variables: Mapping[str, str] | None,
        window_open: bool,
    ) -> Choice | None:
        """How to send; None when nothing may go (outside the window, no template)."""
        if window_open:
            buttons = self.buttons.get(BUTTONS_OF.get(kind, ""), {}).get(language)
            if buttons is not None:
                return Choice(content_sid=buttons, content_variables=_numbered([body]))
            return Choice(body=body)
        template = self.templates.get(kind)
        sid = template.content.get(language) if template is not None else None
        if template is None or sid is None or variables is None:
            return None
        values = [variables.get(name) for name in template.variables]
        if any(not value for value in values):
            return None  # an empty variable is refused by WhatsApp: better another channel
        return Choice(content_sid=sid, content_variables=_numbered([v or "" for v in values]))


def _numbered(values: list[str]) -> str:
    return json.dumps({str(n): value for n, value in enumerate(values, 1)}, ensure_ascii=False)


def load_book(path: str, languages: tuple[str, ...]) -> TemplateBook:
    """The operator's file, checked: unknown kinds, variables, languages or SIDs are errors."""
    if not path:
        return TemplateBook()
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TemplateFileError(f"{path}: cannot read it as JSON ({error})") from None
    if not isinstance(raw, dict) or set(raw) - {"templates", "buttons"}:
        raise TemplateFileError(f"{path}: expected an object with 'templates' and 'buttons'")
    kinds = kind_variables()
    templates: dict[str, Template] = {}
    for kind, entry in _object(raw.get("templates", {}), f"{path}: templates").items():
        where = f"{path}: templates.{kind}"
        if kind not in kinds:
            raise TemplateFileError(f"{where}: no such kind (see `whatsapp templates`)")
        entry = _object(entry, where)
        variables = entry.get("variables", list(kinds[kind]))
        if not isinstance(variables, list) or any(v not in kinds[kind] for v in variables):
            raise TemplateFileError(f"{where}.variables: choose among {list(kinds[kind])}")
        content = _sids(entry.get("content", {}), f"{where}.content", languages)
        templates[kind] = Template(tuple(variables), content)
    buttons: dict[str, Mapping[str, str]] = {}
    for name, entry in _object(raw.get("buttons", {}), f"{path}: buttons").items():
        if name not in BUTTONS:
            raise TemplateFileError(f"{path}: buttons.{name}: choose among {list(BUTTONS)}")
        buttons[name] = _sids(entry, f"{path}: buttons.{name}", languages)
    return TemplateBook(templates, buttons)


def _object(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise TemplateFileError(f"{where}: expected an object")
    return value


def _sids(value: object, where: str, languages: tuple[str, ...]) -> dict[str, str]:
    sids = _object(value, where)
    for language, sid in sids.items():
        if language not in languages:
            raise TemplateFileError(f"{where}.{language}: not a language of this mechanism")
        if not isinstance(sid, str) or not CONTENT_SID.match(sid):
            raise TemplateFileError(f"{where}.{language}: not a Content SID (HX + 32 hex)")
    return {language: str(sid) for language, sid in sids.items()}


def recorded_variables(kind: str, shown: Mapping[str, object]) -> str | None:
    """The values a kind's template may take, as the reader reads them, JSON; None for a
    kind no template can carry (the conversation's replies, team messages)."""
    names = kind_variables().get(kind)
    if names is None:
        return None
    return json.dumps({name: str(shown.get(name, "")) for name in names}, ensure_ascii=False)
