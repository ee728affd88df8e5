"""A grievance filed through an NGO carries a recovery code, shown with the PIN once: the
people may have no phone on file to recover a lost or locked PIN with."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from remedy.access.recovery import use_recovery_code
from remedy.core.extensions import db
from remedy.models import RecoveryCode
from tests.proxy.portal import file_for_others, filed
from tests.support import Account

CODE = re.compile(r'id="recovery-code">([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})<')


def test_the_member_gets_the_recovery_code_with_the_pin_once(
    portal: FlaskClient, member: Account
) -> None:
    response = file_for_others(portal)
    grievance = filed(response)
    page = response.get_data(as_text=True)
    match = CODE.search(page)
    assert match, "the recovery code is shown on the result page"
    assert "Give the recovery code to the people too" in page
    assert db.session.get(RecoveryCode, grievance.id) is not None
    assert use_recovery_code(grievance.reference, match.group(1), "test").grievance == grievance
    assert match.group(1) not in portal.get(f"/proxy/cases/{grievance.reference}").text
