"""The SMS and WhatsApp conversation: one inbound message in, one short reply out.

Writes: ``receiving.receive`` (idempotent per message), through ``turn``, ``commands``,
``answers``, ``filing`` and ``drafts``; ``media`` (fetching what people sent); ``upkeep``
(periodic). Reads: ``keywords`` (the catalogue in five languages), ``inbound``.
"""
