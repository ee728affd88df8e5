"""A remedy in the plain words a phone message can hold: each action's type, in the
reader's language, and its description, as the web status page shows them.

An SMS user never sees the status page: the proposal and the check-in must say what
was proposed. Each description is told in the reader's language when the team wrote it
in that language (``remedy.cases.people_texts``), else as it was first written. Long
descriptions are cut at a word, and only the first few actions are listed, so a message
stays within a few SMS segments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flask_babel import get_locale

from remedy.models.remedy_action import RemedyAction

MAX_DESCRIPTION = 70
MAX_ACTIONS = 3


def _cut(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "..."


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


@dataclass(frozen=True)
class RemedyWords:
    """Rendered when the message is (under the reader's locale): the type labels are lazy."""

    actions: tuple[RemedyAction, ...]
    # Each action's description per language, by action id.
    texts: Mapping[int, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def of(
        cls, actions: Iterable[RemedyAction], texts: Mapping[int, Mapping[str, str]] | None = None
    ) -> RemedyWords:
        return cls(tuple(action for action in actions if action.is_active), texts or {})

    def description(self, action: RemedyAction) -> str:
        locale = get_locale()
        language = locale.language if locale is not None else ""
        return self.texts.get(action.id, {}).get(language, action.description)

    def __str__(self) -> str:
        shown = [
            _sentence(f"{action.type.plain_label}: {_cut(self.description(action))}")
            for action in self.actions[:MAX_ACTIONS]
        ]
        if len(shown) > 1:
            shown = [f"{number}) {text}" for number, text in enumerate(shown, 1)]
        hidden = len(self.actions) - MAX_ACTIONS
        if hidden > 0:
            shown.append(f"(+{hidden})")
        return " ".join(shown)
