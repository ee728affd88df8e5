"""Werkzeug's URL builders compiled once per test process, not once per app.

Every test builds its own app, and binding its ~80 routes makes Werkzeug generate and
``compile()`` two small Python functions per route: about 70 ms of each ``create_app``
(0.10 s down to 0.03 s per app, measured), minutes over the suite. The generated
function is a pure function of the rule's parsed parts, its defaults and its
converters (it takes the rule as its first argument and is bound to it afterwards),
so a function compiled for one app's rule serves the same rule in the next app.
Applied by ``tests/conftest.py``; the application itself is untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from werkzeug.routing.rules import Rule

Builder = Callable[..., tuple[str, str]]
_compiled: dict[Hashable, Builder] = {}
_original = Rule._compile_builder


def _key(rule: Rule, append_unknown: bool) -> Hashable:
    return (
        rule.rule,
        tuple(rule._trace),
        repr(sorted((rule.defaults or {}).items())),
        tuple(sorted((name, type(converter)) for name, converter in rule._converters.items())),
        append_unknown,
    )


def _compile_builder_once(self: Rule, append_unknown: bool = True) -> Builder:
    key = _key(self, append_unknown)
    builder = _compiled.get(key)
    if builder is None:
        builder = _compiled[key] = _original(self, append_unknown)
    return builder


def compile_each_route_once() -> None:
    setattr(Rule, "_compile_builder", _compile_builder_once)  # noqa: B010 - a test-only patch
