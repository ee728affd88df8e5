"""The vocabulary workflows are declared in: states, transitions, parties, guards.

A workflow module reads top to bottom as a table: each :class:`Transition` says
which trigger leads from which states to which, who may fire it, which fields
it needs, which extra guards must hold, and which message tells the
complainant. :class:`Workflow` builds one ``transitions`` machine from that
data (no auto transitions, no model attached) and a Mermaid diagram from the
same definition.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from flask_babel import LazyString
from transitions import Machine
from transitions.extensions import GraphMachine


class Party(enum.StrEnum):
    """Who may fire a trigger, by role and by relationship to the case."""

    TEAM = "team"  # handlers and supervisors; organisation users on their own track only
    SUPERVISOR = "supervisor"  # supervisors; organisation supervisors on their own track only
    # The mechanism's own supervisors (no organisation): decisions no party to the harm
    # should take about itself, such as closing without the people's confirmation.
    MECHANISM_SUPERVISOR = "mechanism_supervisor"
    COMPLAINANT = "complainant"  # the affected people, or a proxy with a valid mandate
    SYSTEM = "system"  # Remedy itself: automatic steps and deadlines


class MandateScope(enum.StrEnum):
    """What a proxy's mandate allows it to do for the people it represents."""

    FILE = "file"
    FOLLOW = "follow"
    ANSWER_PROPOSALS = "answer_proposals"
    ANSWER_CHECK_INS = "answer_check_ins"


Guard = Callable[[Any], "LazyString | str | None"]
Route = Callable[[Any], bool]


@dataclass(frozen=True)
class State:
    name: str
    label: LazyString
    deadline: str | None = None  # key into the jurisdiction policy
    ended: bool = False


@dataclass(frozen=True)
class Transition:
    trigger: str
    source: tuple[str, ...]
    dest: str
    who: frozenset[Party]
    label: LazyString
    requires: tuple[str, ...] = ()
    guards: tuple[Guard, ...] = ()
    # Chooses between transitions that share a trigger and a source (e.g. uphold).
    route: Route | None = None
    # The message every recipient gets; None for steps that do not concern them.
    notify: str | None = None
    mandate_scope: MandateScope = MandateScope.FOLLOW


def transition(
    trigger: str,
    source: str | Sequence[str],
    dest: str,
    who: Party | Sequence[Party],
    label: LazyString,
    **options: Any,
) -> Transition:
    """Shorthand that keeps the tables in workflow modules one entry per line or two."""
    sources = (source,) if isinstance(source, str) else tuple(source)
    parties = frozenset((who,) if isinstance(who, Party) else who)
    return Transition(trigger, sources, dest, parties, label, **options)


@dataclass(frozen=True)
class Workflow:
    name: str
    title: LazyString
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    initial: str
    _index: dict[str, State] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({state.name: state for state in self.states})
        for item in self.transitions:
            unknown = {*item.source, item.dest} - set(self._index)
            if unknown:
                raise ValueError(f"{self.name}.{item.trigger} names unknown states {unknown}")

    def state(self, name: str) -> State:
        return self._index[name]

    @property
    def triggers(self) -> list[str]:
        return list(dict.fromkeys(item.trigger for item in self.transitions))

    @property
    def ended_states(self) -> frozenset[str]:
        return frozenset(str(state.name) for state in self.states if state.ended)

    def candidates(self, trigger: str, state: str) -> list[Transition]:
        return [t for t in self.transitions if t.trigger == trigger and state in t.source]

    def choose(self, trigger: str, subject: Any) -> Transition | None:
        """The transition this trigger takes from the subject's state, if any."""
        for candidate in self.candidates(trigger, subject.state):
            if candidate.route is None or candidate.route(subject):
                return candidate
        return None

    def advance(self, subject: Any, trigger: str) -> None:
        """Fire ``trigger`` on ``subject`` (a conversation, a call): the caller has decided
        it is the step to take, so a trigger the state does not offer is a bug."""
        if self.choose(trigger, subject) is None:
            raise AssertionError(f"{self.name}.{trigger} from {subject.state}")
        self.machine.events[trigger].trigger(subject)

    def _machine_kwargs(self) -> dict[str, Any]:
        return {
            "states": [str(state.name) for state in self.states],  # names, never Enum members
            "transitions": [
                {
                    "trigger": item.trigger,
                    "source": list(item.source),
                    "dest": item.dest,
                    "conditions": [_route_condition(item.route)] if item.route else [],
                }
                for item in self.transitions
            ],
            "initial": self.initial,
            "auto_transitions": False,
            "send_event": True,
            "model_attribute": "state",
        }

    @cached_property
    def machine(self) -> Machine:
        """Built once; fired on model instances with ``machine.events[t].trigger(obj)``."""
        return Machine(model=None, **self._machine_kwargs())

    def diagram(self) -> str:
        """Mermaid ``stateDiagram-v2`` text generated from this definition."""

        class DiagramModel:
            pass

        model = DiagramModel()
        title = str(self.title)
        GraphMachine(
            model=model,
            graph_engine="mermaid",
            title=title,
            show_conditions=False,
            **self._machine_kwargs(),
        )
        # get_graph is added to the model by transitions' GraphMachine at run time.
        text = str(model.get_graph().draw(None))  # type: ignore[attr-defined]
        # transitions writes the title as a bare line; Mermaid's front matter (YAML) wants
        # `title:`, quoted because titles hold colons. JSON strings are valid YAML ones.
        front_matter = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n"
        return text.replace(f"---\n{title}\n---\n", front_matter, 1)


def _route_condition(route: Route) -> Callable[[Any], bool]:
    def condition(event: Any) -> bool:
        return route(event.model)

    return condition
