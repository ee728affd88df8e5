"""``flask referrals pack ID --out DIR`` writes a referral's export pack (printable HTML
and JSON), with personal data only when the people agreed; ``flask referrals link``
connects a mechanism to the body's organisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from remedy.cases import handoffs
from remedy.core.extensions import db
from remedy.models import AuditEvent, ConsentVia, ReferralMechanism
from tests.handoffs import TOLD, connected_bodies, refer_track
from tests.workflows.scenarios import Scenario

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("consent", [True, False])
def test_the_pack_is_written_with_personal_data_only_with_consent(
    runner: FlaskCliRunner, scenario: Scenario, tmp_path: Path, consent: bool
) -> None:
    body = connected_bodies()
    grievance, _track, referral = refer_track(scenario, body.mechanism)
    handoffs.record_consent(scenario.handler, referral, consent, ConsentVia.STAFF)
    db.session.commit()
    name = grievance.people[0].person.name
    assert name is not None

    result = runner.invoke(args=["referrals", "pack", str(referral.id), "--out", str(tmp_path)])

    assert result.exit_code == 0, result.output
    html = (tmp_path / f"referral-{referral.id}-pack.html").read_text(encoding="utf-8")
    data = json.loads((tmp_path / f"referral-{referral.id}-pack.json").read_text("utf-8"))
    assert data["personal_data"] is consent
    assert (TOLD in html) is consent
    assert (name in html) is consent
    assert ("no personal data" in html) is not consent
    assert ("with personal data" in result.output) is consent
    event = db.session.query(AuditEvent).filter_by(action="referral.pack").one()
    assert (event.actor_kind, event.after) == ("operator", {"personal_data": consent})


def test_an_unknown_referral_is_a_clear_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["referrals", "pack", "999", "--out", str(tmp_path)])

    assert result.exit_code != 0
    assert "No referral with id 999." in result.output


def test_link_connects_a_mechanism_to_the_bodys_organisation(
    runner: FlaskCliRunner, scenario: Scenario
) -> None:
    body = connected_bodies()
    mechanism_id = body.mechanism.id

    unlinked = runner.invoke(args=["referrals", "link", str(mechanism_id)])

    assert unlinked.exit_code == 0, unlinked.output
    db.session.expire_all()
    mechanism = db.session.get(ReferralMechanism, mechanism_id)
    assert mechanism is not None
    assert mechanism.organisation_id is None
