"""The operator's commands: ``flask orgs create``, ``flask users create``, ``flask setup-link``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from remedy.accounts import users as accounts
from remedy.accounts.organisations import find_organisation
from remedy.accounts.tokens import issue_token
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.models.organisation import OrganisationKind
from remedy.models.types import utcnow
from remedy.models.user import Role
from tests.support import (
    PASSWORD,
    Account,
    IsolatedClient,
    make_account,
    make_organisation,
    submit_form,
)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def sign_in_failure(client: FlaskClient, account: Account) -> str:
    """The page the password step answers with when it fails."""
    response = submit_form(
        client, "/sign-in", {"email": account.user.email, "password": account.password}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def create_user(runner: FlaskCliRunner, *args: str, password: str = PASSWORD) -> Result:
    """``flask users create ...`` with the password given on stdin, as a script would."""
    return runner.invoke(args=["users", "create", *args], input=f"{password}\n")


# flask orgs create ----------------------------------------------------------------


def test_orgs_create_adds_an_organisation(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["orgs", "create", "Friends of the River", "--kind", "ngo", "--country", "ke"]
    )

    assert result.exit_code == 0, result.output
    organisation = find_organisation("Friends of the River")
    assert organisation is not None
    assert (organisation.kind, organisation.country) == (OrganisationKind.NGO, "KE")
    assert f"Created organisation {organisation.id}: Friends of the River (ngo)." in result.output


def test_the_country_is_optional(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["orgs", "create", "Acme Mining", "--kind", "company"])

    assert result.exit_code == 0, result.output
    organisation = find_organisation("Acme Mining")
    assert organisation is not None
    assert organisation.country is None


@pytest.mark.parametrize(
    ("args", "served"),
    [
        (["--kind", "company"], True),
        (["--kind", "business_partner"], False),
        (["--kind", "company", "--not-served"], False),
        (["--kind", "business_partner", "--served"], True),
    ],
)
def test_a_company_is_served_unless_the_operator_says_otherwise(
    runner: FlaskCliRunner, args: list[str], served: bool
) -> None:
    result = runner.invoke(args=["orgs", "create", "Simba Guarding Services", *args])

    assert result.exit_code == 0, result.output
    organisation = find_organisation("Simba Guarding Services")
    assert organisation is not None
    assert organisation.served is served
    assert ("pseudonyms" in result.output) is not served


@pytest.mark.parametrize("name", ["Acme Mining", "acme mining", "  ACME   Mining "])
def test_orgs_create_refuses_a_name_already_taken(runner: FlaskCliRunner, name: str) -> None:
    make_organisation("Acme Mining")

    result = runner.invoke(args=["orgs", "create", name, "--kind", "company"])

    assert result.exit_code == 1
    assert "Error: An organisation with this name already exists." in result.output


def test_orgs_create_refuses_an_unknown_kind(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["orgs", "create", "Acme Mining", "--kind", "charity"])

    assert result.exit_code == 2
    assert "Invalid value for '--kind'" in result.output
    assert find_organisation("Acme Mining") is None


def test_orgs_create_refuses_a_country_that_is_not_a_two_letter_code(
    runner: FlaskCliRunner,
) -> None:
    result = runner.invoke(
        args=["orgs", "create", "Acme Mining", "--kind", "company", "--country", "Kenya"]
    )

    assert result.exit_code == 1
    assert "two-letter ISO code" in result.output
    assert find_organisation("Acme Mining") is None


# flask users create ---------------------------------------------------------------


def test_users_create_reads_the_password_from_stdin(runner: FlaskCliRunner) -> None:
    result = create_user(runner, "Amina@Example.org", "--role", "supervisor")

    assert result.exit_code == 0, result.output
    user = accounts.check_password("amina@example.org", PASSWORD)
    assert user.role is Role.SUPERVISOR
    assert not user.has_second_factor
    assert f"Created supervisor account {user.id} for amina@example.org." in result.output
    assert "second factor is set up at first sign-in" in result.output
    assert PASSWORD not in result.output


def test_users_create_puts_a_proxy_member_in_their_ngo(runner: FlaskCliRunner) -> None:
    ngo = make_organisation("Friends of the River", OrganisationKind.NGO)

    result = create_user(
        runner,
        "proxy@example.org",
        "--role",
        "proxy_member",
        "--org",
        "friends of the river",
        "--name",
        "Juma",
    )

    assert result.exit_code == 0, result.output
    user = accounts.find_user("proxy@example.org")
    assert user is not None
    assert (user.role, user.organisation, user.display_name) == (Role.PROXY_MEMBER, ngo, "Juma")


def test_users_create_refuses_an_unknown_organisation(runner: FlaskCliRunner) -> None:
    result = create_user(runner, "proxy@example.org", "--role", "proxy_member", "--org", "Nobody")

    assert result.exit_code == 1
    assert "Error: No organisation named 'Nobody'." in result.output
    assert accounts.count_users() == 0


@pytest.mark.parametrize("password", ["", "too short", "x" * 257])
def test_users_create_refuses_a_password_outside_12_to_256_characters(
    runner: FlaskCliRunner, password: str
) -> None:
    result = create_user(runner, "amina@example.org", "--role", "handler", password=password)

    assert result.exit_code == 1
    assert "Error: Use a password of at" in result.output
    assert accounts.count_users() == 0


def test_users_create_refuses_an_unknown_role(runner: FlaskCliRunner) -> None:
    result = create_user(runner, "amina@example.org", "--role", "superuser")

    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
    assert accounts.count_users() == 0


def test_users_create_refuses_a_proxy_member_without_an_ngo(runner: FlaskCliRunner) -> None:
    make_organisation("Acme Mining", OrganisationKind.COMPANY)

    result = create_user(
        runner, "proxy@example.org", "--role", "proxy_member", "--org", "Acme Mining"
    )

    assert result.exit_code == 1
    assert "Error: A proxy member belongs to an NGO organisation." in result.output
    assert accounts.count_users() == 0


def test_users_create_refuses_an_email_already_in_use(runner: FlaskCliRunner) -> None:
    make_account("amina@example.org")

    result = create_user(runner, "AMINA@example.org", "--role", "auditor")

    assert result.exit_code == 1
    assert "Error: An account with this email already exists." in result.output
    assert accounts.count_users() == 1


def test_users_create_refuses_a_malformed_email(runner: FlaskCliRunner) -> None:
    result = create_user(runner, "amina.example.org", "--role", "handler")

    assert result.exit_code == 1
    assert "Error: Enter a valid email address." in result.output


# flask setup-link -----------------------------------------------------------------


def test_setup_link_prints_the_link_while_no_admin_exists(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(args=["setup-link"])

    assert result.exit_code == 0
    link = f"{app.config['REMEDY_PUBLIC_URL']}/setup/{accounts.first_admin_token()}"
    assert link in result.output.split()


def test_the_printed_link_opens_the_set_up_page(app: Flask, runner: FlaskCliRunner) -> None:
    app.test_client_class = IsolatedClient
    printed = next(
        word for word in runner.invoke(args=["setup-link"]).output.split() if "/setup/" in word
    )

    response = app.test_client().get(printed.removeprefix(app.config["REMEDY_PUBLIC_URL"]))

    assert response.status_code == 200
    assert "Create the first administrator" in response.get_data(as_text=True)


def test_setup_link_says_it_is_closed_once_an_admin_exists(runner: FlaskCliRunner) -> None:
    assert create_user(runner, "admin@example.org", "--role", "admin").exit_code == 0

    result = runner.invoke(args=["setup-link"])

    assert result.exit_code == 0
    assert "An administrator exists; the set-up link is closed." in result.output
    assert accounts.first_admin_token() not in result.output


# flask users clearance --------------------------------------------------------------


def test_users_clearance_grants_and_withdraws_reading_sensitive_cases(
    runner: FlaskCliRunner,
) -> None:
    user = make_account("reader@example.org", Role.HANDLER).user

    granted = runner.invoke(args=["users", "clearance", "reader@example.org", "--sensitive"])
    assert granted.exit_code == 0, granted.output
    assert "reader@example.org is cleared for sensitive cases." in granted.output
    assert user.sensitive

    withdrawn = runner.invoke(args=["users", "clearance", "reader@example.org", "--no-sensitive"])
    assert withdrawn.exit_code == 0, withdrawn.output
    assert not user.sensitive


def test_users_clearance_names_an_unknown_account(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "clearance", "nobody@example.org", "--sensitive"])

    assert result.exit_code != 0
    assert "No account for 'nobody@example.org'." in result.output


# The lifecycle of an account ----------------------------------------------------------


def test_users_list_shows_role_organisation_state_sign_in_and_second_factor(
    runner: FlaskCliRunner,
) -> None:
    ngo = make_organisation("Haki Watch", OrganisationKind.NGO)
    make_account("member@haki.example", Role.PROXY_MEMBER, ngo, enrolled=False)
    handler = make_account("handler@example.org")
    handler.user.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()

    result = runner.invoke(args=["users", "list"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "email\trole\torganisation\tstate\tlast sign-in\tsecond factor"
    assert lines[1:] == [
        "handler@example.org\thandler\t-\tactive, locked\tnever\tenrolled",
        "member@haki.example\tproxy_member\tHaki Watch\tactive\tnever\tnot enrolled",
    ]


def test_users_list_filters_by_role_state_and_organisation(runner: FlaskCliRunner) -> None:
    make_account("handler@example.org")
    make_account("gone@example.org")
    make_account("boss@example.org", Role.SUPERVISOR)
    assert runner.invoke(args=["users", "deactivate", "gone@example.org"]).exit_code == 0

    handlers = runner.invoke(args=["users", "list", "--role", "handler", "--active"])
    inactive = runner.invoke(args=["users", "list", "--inactive"])
    unknown = runner.invoke(args=["users", "list", "--org", "Nobody"])

    assert "handler@example.org" in handlers.output
    assert "gone@example.org" not in handlers.output
    assert "boss@example.org" not in handlers.output
    assert inactive.output.splitlines()[1:] == [
        "gone@example.org\thandler\t-\tdeactivated\tnever\tenrolled"
    ]
    assert unknown.exit_code == 1


def test_users_deactivate_ends_tokens_and_sign_in_then_reactivate(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    account = make_account("handler@example.org")
    issued = issue_token(OPERATOR, account.user, "bot")

    result = runner.invoke(args=["users", "deactivate", "handler@example.org"])

    assert result.exit_code == 0, result.output
    assert "signed out everywhere, API tokens revoked" in result.output
    assert client.get("/api/v1/grievances", headers=bearer(issued.secret)).status_code == 401
    assert "deactivated" in sign_in_failure(client, account)

    result = runner.invoke(args=["users", "reactivate", "handler@example.org"])

    assert result.exit_code == 0, result.output
    assert accounts.check_password("handler@example.org", PASSWORD) == account.user


def test_users_deactivate_keeps_the_last_administrator(runner: FlaskCliRunner) -> None:
    make_account("admin@example.org", Role.ADMIN)

    deactivated = runner.invoke(args=["users", "deactivate", "admin@example.org"])
    demoted = runner.invoke(args=["users", "set-role", "admin@example.org", "handler"])

    assert deactivated.exit_code == demoted.exit_code == 1
    assert "last active administrator" in deactivated.output
    assert "last active administrator" in demoted.output
    user = accounts.find_user("admin@example.org")
    assert user is not None
    assert (user.active, user.role) == (True, Role.ADMIN)


def test_users_set_role_changes_the_role(runner: FlaskCliRunner) -> None:
    make_account("handler@example.org")

    result = runner.invoke(args=["users", "set-role", "handler@example.org", "supervisor"])

    assert result.exit_code == 0, result.output
    user = accounts.find_user("handler@example.org")
    assert user is not None
    assert user.role is Role.SUPERVISOR


def test_users_unlock_ends_a_lock(runner: FlaskCliRunner) -> None:
    account = make_account("handler@example.org")
    account.user.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()

    result = runner.invoke(args=["users", "unlock", "handler@example.org"])

    assert result.exit_code == 0, result.output
    assert accounts.check_password("handler@example.org", PASSWORD) == account.user


def test_users_reset_second_factor_prints_the_enrolment_link(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    account = make_account("handler@example.org")

    result = runner.invoke(args=["users", "reset-second-factor", "handler@example.org"])

    assert result.exit_code == 0, result.output
    link = next(word for word in result.output.split() if "/sign-in/enrol/" in word)
    assert "it works once, for 72 hours" in result.output
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).location == "/sign-in"
    response = submit_form(
        client, "/sign-in", {"email": "handler@example.org", "password": account.password}
    )
    assert response.headers["Location"] == "/sign-in/enrol"
    assert client.get("/sign-in/enrol").status_code == 200


@pytest.mark.parametrize(
    "command",
    [["deactivate"], ["reactivate"], ["unlock"], ["reset-second-factor"], ["set-role"]],
)
def test_the_lifecycle_commands_name_an_unknown_account(
    runner: FlaskCliRunner, command: list[str]
) -> None:
    extra = ["handler"] if command == ["set-role"] else []
    result = runner.invoke(args=["users", *command, "nobody@example.org", *extra])

    assert result.exit_code == 1
    assert "No account for 'nobody@example.org'." in result.output
