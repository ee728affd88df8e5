"""The access matrix: every role against every endpoint sees and does only what it may.

The case: a grievance in remedy with one track for the company (cause), filed through a
vetted NGO's proxy who holds a mandate. Staff of the mechanism see it all; the company's
staff see the shared summary and their own track; a partner with no track, and another
NGO, do not see that the case exists (404, not 403); auditors read and never write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from remedy.core.actors import Actor
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from tests.api.conftest import Api, Cast
from tests.api.test_grievances import filing, mandate

ROLES = (
    "handler",
    "supervisor",
    "protection_officer",
    "auditor",
    "admin",
    "company_handler",
    "company_supervisor",
    "partner_handler",
    "proxy",
    "other_proxy",
)
MECHANISM = {"handler", "supervisor", "protection_officer", "auditor", "admin"}
SEES_CASE = MECHANISM | {"company_handler", "company_supervisor", "proxy"}
STAFF_SEEING = SEES_CASE - {"proxy"}


def _visible(role: str, when_visible: int = 200) -> int:
    return when_visible if role in SEES_CASE else 404


READS: dict[str, Callable[[str], int]] = {
    "/grievances/{ref}": _visible,
    "/grievances/{ref}/triggers": _visible,
    "/grievances/{ref}/tracks/{track}/triggers": _visible,
    "/grievances/{ref}/remedy-actions": _visible,
    "/grievances/{ref}/leverage-actions": _visible,
    "/grievances/{ref}/check-ins": _visible,
    "/grievances/{ref}/messages": _visible,
    "/grievances/{ref}/audit-events": lambda role: (
        200 if role in STAFF_SEEING else 403 if role == "proxy" else 404
    ),
}


@pytest.fixture
def case(cast: Cast) -> tuple[Grievance, InvolvementTrack]:
    grievance, (track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.mandate(grievance)
    return grievance, track


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_may_read(
    cast: Cast,
    api_for: Callable[[Actor], Api],
    case: tuple[Grievance, InvolvementTrack],
    role: str,
) -> None:
    grievance, track = case
    api = api_for(getattr(cast, role))

    statuses = {
        path: api.get(path.format(ref=grievance.reference, track=track.id)).status_code
        for path in READS
    }

    assert statuses == {path: expected(role) for path, expected in READS.items()}
    listed = [item["reference"] for item in api.get("/grievances").get_json()["items"]]
    assert listed == ([grievance.reference] if role in SEES_CASE else [])


# The mechanism's case workers, and members of vetted NGOs (with the people's consent).
FILERS = {"handler", "supervisor", "proxy", "other_proxy"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_file(cast: Cast, api_for: Callable[[Actor], Api], role: str) -> None:
    body = filing(mandate=mandate()) if role in ("proxy", "other_proxy") else filing()

    response = api_for(getattr(cast, role)).post("/grievances", body)

    assert response.status_code == (201 if role in FILERS else 403), response.get_json()


# Writing on the company's track: the mechanism's case workers and the company's own staff.
PROPOSERS = {
    "handler": 200,
    "supervisor": 200,
    "company_handler": 200,
    "company_supervisor": 200,
    "partner_handler": 404,
    "other_proxy": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_propose_a_remedy_on_the_companys_track(
    cast: Cast,
    api_for: Callable[[Actor], Api],
    case: tuple[Grievance, InvolvementTrack],
    role: str,
) -> None:
    grievance, track = case
    body = {"actions": [{"type": "apology", "description": "A public apology."}]}

    response = api_for(getattr(cast, role)).post(
        f"/grievances/{grievance.reference}/tracks/{track.id}/triggers/propose_remedy", body
    )

    assert response.status_code == PROPOSERS.get(role, 403), response.get_json()
    assert response.mimetype == (
        "application/json" if response.status_code == 200 else "application/problem+json"
    )


# Accepting the proposal belongs to the people, or a proxy with a mandate: never staff.
@pytest.mark.parametrize("role", ROLES)
def test_who_may_accept_a_proposal(
    cast: Cast,
    api_for: Callable[[Actor], Api],
    case: tuple[Grievance, InvolvementTrack],
    role: str,
) -> None:
    grievance, track = case
    cast.propose(track)

    response = api_for(getattr(cast, role)).post(
        f"/grievances/{grievance.reference}/tracks/{track.id}/triggers/accept_proposal"
    )

    expected = {"proxy": 200, "partner_handler": 404, "other_proxy": 404}.get(role, 403)
    assert response.status_code == expected, response.get_json()


# Identities --------------------------------------------------------------------------------

SEES_IDENTITY = {"handler", "supervisor", "protection_officer", "company_handler"}
SEES_IDENTITY |= {"company_supervisor", "proxy"}


def identity_fields(body: Any) -> set[str]:
    people = body["people"]
    return {key for person in people for key in person if key in ("name", "phone")}


@pytest.mark.parametrize("withheld", [False, True], ids=["shared", "withheld"])
@pytest.mark.parametrize("role", sorted(SEES_CASE))
def test_identities_reach_only_those_who_may_see_them(
    cast: Cast, api_for: Callable[[Actor], Api], role: str, withheld: bool
) -> None:
    grievance, (_track,) = cast.in_remedy(TrackKind.CAUSE, identity_withheld=withheld)
    cast.mandate(grievance)
    api = api_for(getattr(cast, role))

    detail = api.get(f"/grievances/{grievance.reference}").get_json()
    messages = api.get(f"/grievances/{grievance.reference}/messages").get_json()["items"]
    listing = api.get("/grievances").get_json()

    shown = role in SEES_IDENTITY and (not withheld or role == "proxy")
    assert identity_fields(detail) == ({"name", "phone"} if shown else set())
    assert any("address" in message for message in messages) == shown
    name = grievance.people[0].person.name
    phone = grievance.people[0].person.phone
    for body in (listing, *([] if shown else [detail, messages])):
        assert name not in str(body)
        assert phone not in str(body)
