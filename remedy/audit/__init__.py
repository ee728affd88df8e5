"""The append-only, hash-chained audit log.

Writes: ``log.record`` (inside the caller's unit of work), ``receivers`` (what the log
records when a lower layer signals it). Reads: ``log.verify_chain``.
"""
