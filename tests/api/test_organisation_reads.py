"""Two organisations on one case (a company and its business partner, a track each, an NGO
speaking for the people): each organisation reads its own track's messages and the shared
ones, never the other's, never what went to the NGO, and never the mandate in the audit log.
The API and the console case timeline follow the same rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from remedy.cases import notes
from remedy.cases.timeline import audit_events_for, messages_for
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.outbox_message import OutboxMessage
from tests.api.conftest import Api, Cast


@pytest.fixture
def joint_case(cast: Cast) -> tuple[Grievance, InvolvementTrack, InvolvementTrack]:
    """The company's track and the partner's, each with a proposal told to the people and
    to the NGO that holds their mandate."""
    grievance, (company_track, partner_track) = cast.in_remedy(TrackKind.CAUSE, TrackKind.CAUSE)
    cast.mandate(grievance)
    cast.propose(company_track)
    cast.propose(partner_track)
    return grievance, company_track, partner_track


def outbox(grievance: Grievance) -> dict[int, OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.grievance_id == grievance.id)
    return {message.id: message for message in db.session.scalars(query)}


def api_items(api: Api, path: str) -> list[dict[str, Any]]:
    response = api.get(path)
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["items"])


def test_messages_are_told_which_track_they_are_about(
    cast: Cast, joint_case: tuple[Grievance, InvolvementTrack, InvolvementTrack]
) -> None:
    grievance, company_track, partner_track = joint_case

    tracks = {message.track_id for message in outbox(grievance).values()}

    assert {None, company_track.id, partner_track.id} <= tracks


@pytest.mark.parametrize(
    ("who", "own"), [("company_handler", "company"), ("partner_handler", "partner")]
)
def test_an_organisation_reads_its_own_tracks_messages_and_the_shared_ones(
    cast: Cast,
    api_for: Callable[[Actor], Api],
    joint_case: tuple[Grievance, InvolvementTrack, InvolvementTrack],
    who: str,
    own: str,
) -> None:
    grievance, company_track, partner_track = joint_case
    own_track, other_track = (
        (company_track, partner_track) if own == "company" else (partner_track, company_track)
    )
    rows = outbox(grievance)
    actor = getattr(cast, who)

    through_api = [
        rows[item["id"]]
        for item in api_items(api_for(actor), f"/grievances/{grievance.reference}/messages")
    ]
    on_console = messages_for(actor, grievance)

    for read in (through_api, on_console):
        about = {message.track_id for message in read}
        assert own_track.id in about
        assert other_track.id not in about, "never the other organisation's track"
        assert None in about, "the shared messages, about the case as a whole"
        assert all(message.organisation_id is None for message in read), "never the NGO's"
    team = {message.track_id for message in messages_for(cast.handler, grievance)}
    assert {own_track.id, other_track.id} <= team, "the mechanism reads every track"


def test_a_company_never_reads_the_mandate_nor_the_mechanisms_own_work(
    cast: Cast,
    api_for: Callable[[Actor], Api],
    joint_case: tuple[Grievance, InvolvementTrack, InvolvementTrack],
) -> None:
    grievance = joint_case[0]
    notes.add_note(cast.handler, grievance, "The complainant fears the site manager.")
    path = f"/grievances/{grievance.reference}/audit-events"

    team = {event["action"] for event in api_items(api_for(cast.handler), path)}
    company_api = {event["action"] for event in api_items(api_for(cast.company_handler), path)}
    company_console = {event.action for event in audit_events_for(cast.company_handler, grievance)}

    assert {"mandate.grant", "note.add"} <= team
    for company in (company_api, company_console):
        assert "grievance.submit" in company, "the shared history stays"
        assert not any(action.startswith(("mandate.", "note.", "identity.")) for action in company)
    proxy = {event.action for event in audit_events_for(cast.proxy, grievance)}
    assert "mandate.grant" in proxy, "the NGO reads its own mandate"
