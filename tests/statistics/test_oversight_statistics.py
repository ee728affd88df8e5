"""An oversight body reads the statistics with the small numbers shown, on its own page;
each read is an audit event, and no one else reaches the page."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.core.errors import NotAllowed
from remedy.core.extensions import db
from remedy.models import AuditEvent
from remedy.statistics.oversight_read import read_unsuppressed
from tests.console.case_support import console_for
from tests.oversight_support import oversight_reader
from tests.workflows.scenarios import Scenario

PAGE = "/console/oversight/statistics"


def test_an_oversight_body_sees_the_small_numbers_the_public_does_not(
    app: Flask, scenario: Scenario
) -> None:
    for _ in range(2):  # fewer than 5: hidden in public
        scenario.file()
    db.session.commit()
    reader = oversight_reader()

    public = app.test_client().get("/statistics").get_data(as_text=True)
    page = console_for(app, reader).client.get(PAGE)

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "not shown" in public
    assert "not shown" not in html
    assert '<bdi dir="ltr">2</bdi>' in html
    assert "<script" not in html


def test_each_read_is_audited_without_personal_data(app: Flask, scenario: Scenario) -> None:
    scenario.file()
    reader = oversight_reader()
    client = console_for(app, reader).client

    client.get(PAGE)
    client.get(PAGE)

    reads = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "oversight.read_statistics")
        .order_by(AuditEvent.seq)
    ).all()
    assert len(reads) == 2
    assert all(read.after and read.after["suppressed"] is False for read in reads)
    assert all(read.subject_id is None for read in reads)


@pytest.mark.parametrize("who", ["handler", "supervisor", "auditor", "company_handler"])
def test_no_one_else_reads_the_unsuppressed_figures(
    app: Flask, scenario: Scenario, who: str
) -> None:
    actor = getattr(scenario, who)

    assert console_for(app, actor).client.get(PAGE).status_code == 403
    with pytest.raises(NotAllowed):
        read_unsuppressed(actor)
