"""Credible proxies: mandates the people give, and filing and acting for them.

Writes: ``mandates`` (record, attach evidence, withdraw), ``filing`` (for others, from the
portal and the API alike). Reads: ``dashboard``, ``case_view``. Who may: ``membership``
(a member of a vetted NGO).
"""
