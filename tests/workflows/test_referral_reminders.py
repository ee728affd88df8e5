"""Reminders follow a hand-off until its outcome is known: the handlers are alerted (and
the body's own accounts get a console message, which the API shows them) when the body
has not acknowledged within the policy's span, then when it sends no news for the next
span, and never again once the outcome is recorded."""

from __future__ import annotations

from datetime import timedelta

from remedy.cases import handoffs
from remedy.cases.referral_reminders import run_referral_reminders
from remedy.core.extensions import db
from remedy.models import ConsentVia, ReferralUpdateKind
from remedy.models.types import utcnow
from remedy.workflows.deadlines import DEFAULT
from tests.handoffs import connected_bodies, refer_track
from tests.workflows.observe import Outbox, alerted_users, rewrite, staff_id, templates
from tests.workflows.scenarios import Scenario

ACKNOWLEDGE = DEFAULT.deadlines["referral_acknowledge"]
UPDATE = DEFAULT.deadlines["referral_update"]


def test_reminders_fire_until_the_outcome_and_then_stop(scenario: Scenario) -> None:
    body = connected_bodies()
    _grievance, _track, referral = refer_track(scenario, body.mechanism)
    outbox = Outbox()
    # Not a hand-off yet: no consent recorded, so no reminder.
    assert run_referral_reminders(utcnow() + ACKNOWLEDGE * 3) == 0
    handoffs.record_consent(scenario.handler, referral, True, ConsentVia.STAFF)
    # Consent was recorded long enough ago for one reminder to have been due by now.
    start = utcnow() - ACKNOWLEDGE - timedelta(days=2)
    rewrite(referral, consent_at=start)

    assert run_referral_reminders(start + ACKNOWLEDGE - timedelta(hours=1)) == 0
    assert run_referral_reminders(start + ACKNOWLEDGE) == 1
    assert run_referral_reminders(start + ACKNOWLEDGE + timedelta(days=1)) == 0  # once a span
    sent = outbox.new()
    assert templates(sent)["staff_referral_unacknowledged"] >= 1
    assert staff_id(scenario.handler) in alerted_users(sent, "staff_referral_unacknowledged")
    assert alerted_users(sent, "partner_referral_reminder") == {staff_id(body.partner)}

    handoffs.record_update(body.partner, referral, ReferralUpdateKind.ACKNOWLEDGEMENT, "Opened.")
    db.session.commit()
    news = referral.updated_at
    assert news is not None
    assert run_referral_reminders(news + UPDATE - timedelta(hours=1)) == 0
    assert run_referral_reminders(news + UPDATE) == 1
    assert "staff_referral_silent" in templates(outbox.new())

    handoffs.record_update(scenario.handler, referral, ReferralUpdateKind.OUTCOME, "Paid.")
    db.session.commit()

    assert run_referral_reminders(news + UPDATE * 10) == 0
    assert handoffs.awaiting(referral) is None


def test_a_body_without_api_access_still_gets_the_team_reminded(scenario: Scenario) -> None:
    body = connected_bodies()
    body.mechanism.organisation_id = None
    db.session.commit()
    _grievance, _track, referral = refer_track(scenario, body.mechanism)
    handoffs.record_consent(scenario.handler, referral, False, ConsentVia.SMS)
    db.session.commit()
    outbox = Outbox()
    assert referral.consent_at is not None

    assert run_referral_reminders(referral.consent_at + ACKNOWLEDGE) == 1

    sent = outbox.new()
    assert "partner_referral_reminder" not in templates(sent)
    assert staff_id(scenario.handler) in alerted_users(sent, "staff_referral_unacknowledged")
