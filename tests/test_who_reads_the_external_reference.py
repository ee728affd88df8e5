"""Who reads a case's external reference (an account, content or flag id): it can name the
person, so exactly the readers who may know who the people are (``identity`` in
:mod:`tests.test_who_reads_what`'s table), through the API and through their pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from remedy.core.actors import Actor
from remedy.core.extensions import db
from tests.api.conftest import Api, Cast, api_for, cast  # noqa: F401 (fixtures)
from tests.console.case_support import text_of
from tests.test_who_reads_what import (  # noqa: F401 (the fixture)
    COLUMNS,
    EXPECTED,
    NONE,
    REFUSED,
    JointCase,
    Y,
    joint_case,
    page_client,
    reader,
)

ACCOUNT = "acct:7731-KE"


def may_know_the_people(who: str) -> bool:
    return EXPECTED[who][COLUMNS.index("identity")] == Y


@pytest.fixture
def referenced(joint_case: JointCase) -> JointCase:  # noqa: F811
    joint_case.grievance.external_reference = ACCOUNT
    db.session.commit()
    return joint_case


@pytest.mark.parametrize("who", list(EXPECTED))
def test_the_api_gives_the_reference_only_to_those_who_may_know_the_people(
    cast: Cast,  # noqa: F811
    api_for: Callable[[Actor], Api],  # noqa: F811
    referenced: JointCase,
    who: str,
) -> None:
    response = api_for(reader(cast, who, referenced)).get(
        f"/grievances/{referenced.grievance.reference}"
    )

    if EXPECTED[who][0] in (NONE, REFUSED):
        assert response.status_code == (404 if EXPECTED[who][0] == NONE else 403)
        return
    assert response.status_code == 200, response.get_json()
    shown = response.get_json()["external_reference"]
    assert (shown == ACCOUNT) is may_know_the_people(who)
    assert shown in (ACCOUNT, None)


@pytest.mark.parametrize("who", list(EXPECTED))
def test_the_pages_show_the_reference_only_to_those_who_may_know_the_people(
    app: Flask,
    cast: Cast,  # noqa: F811
    referenced: JointCase,
    who: str,
) -> None:
    client, page = page_client(app, reader(cast, who, referenced), who)

    response = client.get(page.format(reference=referenced.grievance.reference))

    if EXPECTED[who][0] in (NONE, REFUSED):
        assert response.status_code == (404 if EXPECTED[who][0] == NONE else 403)
        return
    assert response.status_code == 200
    assert (ACCOUNT in text_of(response.get_data(as_text=True))) is may_know_the_people(who)
