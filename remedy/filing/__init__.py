"""Filing a grievance: the one way any channel creates one.

Writes: ``grievances.submit_grievance`` and ``record_grievance``, ``drafts`` (web filing in
steps). Reads: ``receipts`` (proof that a grievance was filed, and when).
"""
