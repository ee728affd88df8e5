"""Withdrawing through the API (a proxy with a mandate) takes the people's reason and
words, both optional, as the web page and the portal do."""

from __future__ import annotations

from collections.abc import Callable

from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.grievance import Grievance, ReprisalRisk
from remedy.models.involvement_track import TrackKind
from remedy.models.withdrawal import WithdrawalReason
from tests.api.conftest import Api, Cast


def fresh(grievance: Grievance) -> Grievance:
    db.session.expire_all()
    found = db.session.get(Grievance, grievance.id)
    assert found is not None
    return found


def test_a_proxy_withdraws_with_the_peoples_fear(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, (_track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.mandate(grievance)

    response = api_for(cast.proxy).post(
        f"/grievances/{grievance.reference}/triggers/withdraw",
        {"reason": "afraid", "note": "Men came to the house at night."},
    )

    assert response.status_code == 200, response.get_json()
    withdrawn = fresh(grievance)
    assert withdrawn.state == "withdrawn"
    assert withdrawn.withdrawal_reason is WithdrawalReason.AFRAID
    assert withdrawn.withdrawal_note == "Men came to the house at night."
    assert withdrawn.reprisal_risk is ReprisalRisk.HIGH


def test_an_unknown_reason_is_a_422_and_nothing_changes(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, (_track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.mandate(grievance)

    response = api_for(cast.proxy).post(
        f"/grievances/{grievance.reference}/triggers/withdraw", {"reason": "bored"}
    )

    assert response.status_code == 422
    assert fresh(grievance).state != "withdrawn"
