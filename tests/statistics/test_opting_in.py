"""An organisation is named in the public statistics only once it agreed: an admin says so
on the console's organisations page, or an operator with ``flask orgs statistics``."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models import AuditEvent, Organisation, Role
from tests.support import make_account, sign_in, submit_form
from tests.workflows.scenarios import Scenario

PAGE = "/console/organisations/"


def publishes(name: str) -> bool:
    db.session.expire_all()
    found = db.session.scalars(select(Organisation).where(Organisation.name == name)).one()
    return found.publish_statistics


def test_no_organisation_is_named_until_it_agreed(scenario: Scenario) -> None:
    assert not publishes("Acme Mining")
    assert not publishes("Rift Haulage")


def test_an_admin_names_an_organisation_that_agreed_and_it_is_audited(
    app: Flask, client: FlaskClient, scenario: Scenario
) -> None:
    sign_in(client, make_account("admin@example.org", Role.ADMIN))
    assert "Name Acme Mining in the statistics (it agreed)" in client.get(PAGE).get_data(
        as_text=True
    )

    response = submit_form(
        client, PAGE, {"publish": "yes"}, action=f"{PAGE}{scenario.company.id}/statistics"
    )

    assert response.status_code == 302
    assert publishes("Acme Mining")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "organisation.publish_statistics")
    ).one()
    assert event.after == {"publish_statistics": True}
    assert "Stop naming Acme Mining in the statistics" in client.get(PAGE).get_data(as_text=True)


def test_a_handler_cannot_name_an_organisation(
    app: Flask, client: FlaskClient, scenario: Scenario
) -> None:
    sign_in(client, make_account("handler2@example.org", Role.HANDLER))

    response = submit_form(
        client, "/console/", {"publish": "yes"}, action=f"{PAGE}{scenario.company.id}/statistics"
    )

    assert response.status_code == 403
    assert not publishes("Acme Mining")


def test_the_operator_names_and_unnames_it_from_the_command_line(
    runner: FlaskCliRunner, scenario: Scenario
) -> None:
    named = runner.invoke(args=["orgs", "statistics", "Acme Mining", "--publish"])
    assert named.exit_code == 0, named.output
    assert publishes("Acme Mining")

    unnamed = runner.invoke(args=["orgs", "statistics", "Acme Mining", "--no-publish"])
    assert unnamed.exit_code == 0, unnamed.output
    assert not publishes("Acme Mining")
    unknown = runner.invoke(args=["orgs", "statistics", "Nobody Ltd", "--publish"])
    assert unknown.exit_code != 0
