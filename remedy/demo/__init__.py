"""Demo data: a joint mechanism with fictional cases in every state.

``specs`` and ``cast`` (with ``intake_cases``, ``cause_cases``, ``linked_cases``) are the
data; ``seed`` walks it through the use cases, as people would; ``report`` says what was
made.
"""
