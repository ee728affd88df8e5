"""Every change to an existing grievance names the version it was made on (If-Match): a
write without it answers 428 and saves nothing, so no system overwrites a change it has
not seen. Filing a new grievance needs none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from werkzeug.test import TestResponse

from remedy.core.actors import Actor
from tests.api.conftest import Api, Cast
from tests.api.test_grievances import filing, mandate
from tests.api.test_triggers import classify_body

PRECONDITION_REQUIRED = "/api/v1/docs#problem-precondition-required"


def changed(api: Api, reader: Api, base: str, path: str, body: Any = None) -> TestResponse:
    """The write refused without If-Match (428, the case untouched), then made with it."""
    before = reader.get(base).headers["ETag"]

    refused = api.post(path, body, if_match=False)

    assert refused.status_code == 428, refused.get_json()
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"] == PRECONDITION_REQUIRED
    assert reader.get(base).headers["ETag"] == before, "nothing was saved"
    made = api.post(path, body)
    assert made.status_code == 200, made.get_json()
    return made


def test_each_kind_of_change_needs_if_match(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    """A grievance's step, a track's step, a delivery and a check-in answer: 428 without."""
    proxy, team = api_for(cast.proxy), api_for(cast.handler)
    filed = proxy.post("/grievances", filing(mandate=mandate()), if_match=False)
    assert filed.status_code == 201, "filing needs no If-Match"
    base = f"/grievances/{filed.get_json()['reference']}"

    changed(team, team, base, f"{base}/triggers/accept")
    classified = changed(
        team, team, base, f"{base}/triggers/classify", classify_body(cast, "cause")
    )
    track_path = f"{base}/tracks/{classified.get_json()['tracks'][0]['id']}"
    changed(
        team,
        team,
        base,
        f"{track_path}/triggers/propose_remedy",
        {"actions": [{"type": "cessation", "description": "Remove the fence."}]},
    )
    changed(proxy, team, base, f"{track_path}/triggers/accept_proposal")
    (action,) = team.get(f"{base}/remedy-actions").get_json()["items"]
    changed(
        team, team, base, f"{base}/remedy-actions/{action['id']}/delivery", {"evidence": "Photos."}
    )
    check_in = next(c for c in proxy.get(f"{base}/check-ins").get_json()["items"] if c["is_open"])
    changed(proxy, team, base, f"{base}/check-ins/{check_in['id']}/answer", {"answer": "yes"})


@pytest.mark.parametrize("value", ["*", ""])
def test_a_wildcard_or_empty_if_match_names_no_version(
    handler_api: Api, cast: Cast, value: str
) -> None:
    grievance = cast.file()

    response = handler_api.post(
        f"/grievances/{grievance.reference}/triggers/accept", headers={"If-Match": value}
    )

    assert response.status_code == 428
    assert response.get_json()["type"] == PRECONDITION_REQUIRED


def test_the_openapi_document_requires_if_match_on_every_change(handler_api: Api) -> None:
    document = handler_api.get("/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            # Filing makes a case; a referral's news and consent are the referral's own
            # (the receiving body cannot read the case, so it has no ETag to send).
            if method != "post" or path == "/api/v1/grievances" or "/referrals" in path:
                continue
            headers = {
                p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "header"
            }
            assert headers.get("If-Match", {}).get("required") is True, path
            assert "428" in operation["responses"], path


def test_the_api_docs_page_says_if_match_is_required(handler_api: Api) -> None:
    page = handler_api.client.get("/api/v1/docs").get_data(as_text=True)

    assert "If-Match is required on every change to a grievance" in page
    assert 'id="problem-precondition-required"' in page
