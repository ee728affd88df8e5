"""A remedy in the plain words a phone message can hold: each action's type, in the
reader's language, and its description, as the web status page shows them.

An SMS user never sees the status page: the proposal and the check-in must say what
was proposed. Long descriptions are cut at a word, and only the first few actions are
listed, so a message stays within a few SMS segments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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

    @classmethod
    def of(cls, actions: Iterable[RemedyAction]) -> RemedyWords:
        return cls(tuple(action for action in actions if action.is_active))

    def __str__(self) -> str:
        shown = [
            _sentence(f"{action.type.plain_label}: {_cut(action.description)}")
            for action in self.actions[:MAX_ACTIONS]
        ]
        if len(shown) > 1:
            shown = [f"{number}) {text}" for number, text in enumerate(shown, 1)]
        hidden = len(self.actions) - MAX_ACTIONS
        if hidden > 0:
            shown.append(f"(+{hidden})")
        return " ".join(shown)
