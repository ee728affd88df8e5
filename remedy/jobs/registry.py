"""The periodic jobs every worker runs between outbox batches, the inbox it handles before
sending, and where the app puts them.

Messaging sits below the features and must not import them, so the worker finds its jobs
in the app (``remedy.messaging.periodic`` reads ``app.extensions[PERIODIC_JOBS_KEY]``),
which the factory fills from this table.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from remedy.access.prepared_pins import fill_pins
from remedy.access.rate_limits import prune_counters
from remedy.cases.deadlines import run_deadlines
from remedy.cases.referral_reminders import run_referral_reminders
from remedy.identity.retention import retention_job
from remedy.messaging.inbox import INBOX_DRAIN_KEY
from remedy.messaging.periodic import PERIODIC_JOBS_KEY, PeriodicJob
from remedy.messaging.webhook_claims import WEBHOOK_DRAIN_KEY
from remedy.messaging.whatsapp_window import forget_closed_windows
from remedy.sms.inbox import process_pending
from remedy.sms.media import fetch_pending_media
from remedy.sms.upkeep import periodic as tidy_conversations
from remedy.statistics.cache import refresh as refresh_statistics
from remedy.voice.calls import forget_old_calls
from remedy.voice.recordings import fetch_recordings
from remedy.webhooks.delivery import deliver_due

PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    # Deadlines also open the follow-up check-ins that fell due.
    PeriodicJob("deadlines", run_deadlines),
    # Hand-offs to other bodies: reminders until an outcome is known.
    PeriodicJob("referral_reminders", run_referral_reminders),
    PeriodicJob("inbound_media", fetch_pending_media),
    # Call recordings: fetched from Twilio, kept encrypted, deleted at Twilio.
    PeriodicJob("call_recordings", fetch_recordings),
    # Calls Twilio never said were over end, and forget the PIN they could read again.
    PeriodicJob("calls", forget_old_calls),
    # Silent SMS drafts get one reminder, then expire (kept); stored PINs are masked.
    PeriodicJob("conversations", tidy_conversations),
    # PIN hashes ahead of time, so filing by SMS never waits for Argon2id.
    PeriodicJob("prepared_pins", fill_pins),
    # WhatsApp windows that have closed: the number's hash is not kept past them.
    PeriodicJob("whatsapp_windows", forget_closed_windows),
    # Rate-limit counters of windows that have ended.
    PeriodicJob("rate_limits", prune_counters),
    # The public statistics' counts, kept fresh so no visitor waits for them to be counted.
    PeriodicJob("statistics", refresh_statistics),
    # Cases past REMEDY_RETENTION_DAYS lose their personal data (crypto-shredding).
    PeriodicJob("retention", retention_job, every=timedelta(days=1)),
)


def init_app(app: Flask) -> None:
    app.extensions[PERIODIC_JOBS_KEY] = PERIODIC_JOBS
    # Each turn of the worker's loop handles the inbox before sending.
    app.extensions[INBOX_DRAIN_KEY] = process_pending
    # ... and posts due webhooks (``remedy.webhooks.delivery``).
    app.extensions[WEBHOOK_DRAIN_KEY] = deliver_due
