"""``flask orgs create``, ``flask users create`` and ``flask users clearance``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from remedy.accounts import users as account_service
from remedy.accounts.clearance import set_sensitive_clearance
from remedy.accounts.organisations import create_organisation, find_organisation
from remedy.core.actors import OPERATOR
from remedy.core.errors import InvalidInput
from remedy.models.organisation import OrganisationKind
from remedy.models.user import Role


@click.group(help="Organisations: companies, business partners, NGOs, oversight bodies.")
def orgs() -> None:
    pass


@orgs.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice([kind.value for kind in OrganisationKind]), required=True)
@click.option("--country", default=None, help="ISO 3166 two-letter code, such as KE.")
@click.option(
    "--served/--not-served",
    default=None,
    help="Whether the mechanism serves it (default: companies are, others are not). Staff "
    "of an organisation not served see pseudonyms until the people agree.",
)
@with_appcontext
def create_org(name: str, kind: str, country: str | None, served: bool | None) -> None:
    try:
        organisation = create_organisation(OPERATOR, name, OrganisationKind(kind), country, served)
    except InvalidInput as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Created organisation {organisation.id}: {organisation.name} ({kind}).")
    if organisation.served:
        click.echo("The mechanism serves it: the identity question at filing is about it.")
    else:
        click.echo("Not served: its staff see pseudonyms until the people agree.")


@click.group(help="Staff and proxy accounts.")
def users() -> None:
    pass


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--org", "org_name", default=None, help="The organisation's name.")
@click.option("--name", "display_name", default=None, help="The name shown to colleagues.")
@with_appcontext
def create_user_command(
    email: str, role: str, org_name: str | None, display_name: str | None
) -> None:
    """Create an account; the password comes from a prompt, or one line of stdin."""
    organisation = None
    if org_name:
        organisation = find_organisation(org_name)
        if organisation is None:
            raise click.ClickException(f"No organisation named {org_name!r}.")
    password = _read_password()
    try:
        user = account_service.create_user(
            OPERATOR, email, password, Role(role), organisation, display_name
        )
    except InvalidInput as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(
        f"Created {role} account {user.id} for {user.email}. "
        "The second factor is set up at first sign-in."
    )


@users.command("clearance")
@click.argument("email")
@click.option(
    "--sensitive/--no-sensitive",
    required=True,
    help="Grant or withdraw reading sensitive cases (sexual violence, children, health).",
)
@with_appcontext
def clearance_command(email: str, sensitive: bool) -> None:
    """Grant or withdraw an account's clearance for sensitive cases."""
    user = account_service.find_user(email)
    if user is None:
        raise click.ClickException(f"No account for {email!r}.")
    try:
        set_sensitive_clearance(OPERATOR, user, sensitive)
    except InvalidInput as problem:
        raise click.ClickException(str(problem)) from problem
    state = "cleared for" if sensitive else "not cleared for"
    click.echo(f"{user.email} is {state} sensitive cases.")
