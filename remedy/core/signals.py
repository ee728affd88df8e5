"""Signals for what lower layers learn and higher ones must record.

Messaging sits below the features, so it cannot call the audit log itself. When the
provider reports that a person opted out, messaging sends ``person_opted_out`` inside the
same unit of work, and the audit feature (connected by the app factory) records it: the
fact and its audit event still commit together or not at all.
"""

from __future__ import annotations

from blinker import Namespace

remedy_signals = Namespace()

# sender: the Person who opted out; keyword ``reported_by``: "provider" or "person".
person_opted_out = remedy_signals.signal("person-opted-out")

# sender: the Grievance or InvolvementTrack whose state a workflow trigger just changed;
# keywords ``before`` and ``after`` (state names). Sent inside the trigger's unit of work,
# so what receivers write (webhook deliveries) commits with the change or not at all.
state_changed = remedy_signals.signal("state-changed")
