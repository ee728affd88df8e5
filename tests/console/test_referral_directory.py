"""The referral directory offered on a case: the mechanisms of the case's own countries
first (with those open to everyone), the rest apart, so a handler refers within the
country without scrolling past every inspectorate of the world."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from remedy.cases.referrals import add_mechanism, directory_for
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.models.involvement_track import TrackKind
from remedy.models.referral import MechanismKind
from tests.console.case_support import console_for
from tests.workflows.scenarios import Scenario


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """The mechanism itself is in Uganda; Acme Mining, on the tracks, in Kenya."""
    return {"REMEDY_DEFAULT_COUNTRY": "UG"}


def _mechanisms() -> tuple[int, int, int]:
    kenyan = add_mechanism(OPERATOR, "KE", MechanismKind.LABOUR_INSPECTORATE, "Kenya labour")
    ugandan = add_mechanism(OPERATOR, "UG", MechanismKind.LABOUR_INSPECTORATE, "Uganda labour")
    everywhere = add_mechanism(OPERATOR, "ZZ", MechanismKind.COURT, "A court for all")
    db.session.commit()
    return kenyan.id, ugandan.id, everywhere.id


def _group(html: str, label: str) -> str:
    found = re.search(rf'<optgroup label="{label}">(.*?)</optgroup>', html, re.S)
    assert found is not None, label
    return found.group(1)


def test_a_case_offers_its_countrys_mechanisms_first(app: Flask, scenario: Scenario) -> None:
    kenyan, ugandan, everywhere = _mechanisms()
    grievance = scenario.file()  # no track yet: the mechanism's own country, Uganda

    html = console_for(app, scenario.handler).html(grievance)

    near = _group(html, "In the countries of this case")
    elsewhere = _group(html, "Other countries")
    assert f'<option value="{ugandan}">' in near
    assert f'<option value="{everywhere}">' in near
    assert f'<option value="{kenyan}">' in elsewhere
    assert f'<option value="{kenyan}">' not in near


def test_the_organisations_on_the_tracks_say_where_the_case_is(scenario: Scenario) -> None:
    kenyan, ugandan, everywhere = _mechanisms()
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)  # Acme Mining is in Kenya

    near, elsewhere = directory_for(grievance)

    assert {kenyan, everywhere} <= {m.id for m in near}
    assert ugandan not in {m.id for m in near}
    assert ugandan in {m.id for m in elsewhere}
