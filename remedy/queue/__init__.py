"""The remedy team's queue: what to work on next.

Reads: ``filters``, ``search``, ``text_search``, ``cursor``, ``rows``, ``workload``,
``overview``. Writes: ``assignment`` (assign, take, give back, always audited).
"""
