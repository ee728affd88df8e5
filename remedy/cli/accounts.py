"""``flask orgs create``; ``flask users create``, ``clearance``, and an account's lifecycle:
``list``, ``deactivate``, ``reactivate``, ``set-role``, ``unlock``, ``reset-second-factor``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime

import click
from flask.cli import with_appcontext

from remedy.accounts import lifecycle
from remedy.accounts import users as account_service
from remedy.accounts.clearance import set_sensitive_clearance
from remedy.accounts.organisations import (
    create_organisation,
    find_organisation,
    set_publish_statistics,
)
from remedy.accounts.roster import AccountFilter, is_locked, list_accounts
from remedy.core.actors import OPERATOR, Actor
from remedy.core.errors import InvalidInput, ServiceError
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.user import Role, User


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


def _organisation(name: str) -> Organisation:
    organisation = find_organisation(name)
    if organisation is None:
        raise click.ClickException(f"No organisation named {name!r}.")
    return organisation


@orgs.command("statistics")
@click.argument("name")
@click.option(
    "--publish/--no-publish",
    required=True,
    help="Whether it agrees to be named in the public statistics (/statistics).",
)
@with_appcontext
def statistics_org(name: str, publish: bool) -> None:
    organisation = _organisation(name)
    set_publish_statistics(OPERATOR, organisation, publish)
    if publish:
        click.echo(f"{organisation.name} is named in the public statistics.")
    else:
        click.echo(f"{organisation.name} is not named in the public statistics.")


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
        organisation = _organisation(org_name)
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


# The lifecycle of an account ---------------------------------------------------------


def _account(email: str) -> User:
    user = account_service.find_user(email)
    if user is None:
        raise click.ClickException(f"No account for {email!r}.")
    return user


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


@users.command("list")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=None)
@click.option("--active/--inactive", "active", default=None, help="Only active, or inactive.")
@click.option("--org", "org_name", default=None, help="Only this organisation's accounts.")
@with_appcontext
def list_command(role: str | None, active: bool | None, org_name: str | None) -> None:
    """One line per account: email, role, organisation, state, last sign-in, second factor."""
    organisation_id = None
    if org_name:
        organisation = _organisation(org_name)
        organisation_id = organisation.id
    found = list_accounts(AccountFilter(Role(role) if role else None, active, organisation_id))
    if not found:
        click.echo("No accounts.")
        return
    click.echo("email\trole\torganisation\tstate\tlast sign-in\tsecond factor")
    for user in found:
        state = "active" if user.active else "deactivated"
        if is_locked(user):
            state += ", locked"
        click.echo(
            f"{user.email}\t{user.role.value}\t"
            f"{user.organisation.name if user.organisation else '-'}\t{state}\t"
            f"{_when(user.last_sign_in_at)}\t"
            f"{'enrolled' if user.has_second_factor else 'not enrolled'}"
        )


def _run(change: Callable[[], object]) -> None:
    try:
        change()
    except ServiceError as problem:
        raise click.ClickException(str(problem)) from problem


def _one_step(name: str, change: Callable[[Actor, User], User], done: str, summary: str) -> None:
    """A command that takes one account's email and makes one change to it."""

    @users.command(name, help=summary)
    @click.argument("email")
    @with_appcontext
    def command(email: str) -> None:
        user = _account(email)
        _run(lambda: change(OPERATOR, user))
        click.echo(done.format(email=user.email))


_one_step(
    "deactivate",
    lifecycle.deactivate_user,
    "{email} is deactivated: signed out everywhere, API tokens revoked.",
    "The account can no longer sign in; its sessions and API tokens end now.",
)
_one_step(
    "reactivate",
    lifecycle.reactivate_user,
    "{email} is active again.",
    "The account may sign in again (its old API tokens stay revoked).",
)
_one_step(
    "unlock",
    lifecycle.unlock_user,
    "{email} is unlocked.",
    "End the lock after failed sign-ins, once you know it is the person asking.",
)


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([role.value for role in Role]))
@with_appcontext
def set_role_command(email: str, role: str) -> None:
    """Change the account's role; its sessions end so the new role applies at once."""
    user = _account(email)
    _run(lambda: lifecycle.set_role(OPERATOR, user, Role(role)))
    click.echo(f"{user.email} is now {role}.")


@users.command("unlock")
@click.argument("email")
@with_appcontext
def unlock_command(email: str) -> None:
    """End the lock after failed sign-ins, once you know it is the person asking."""
    user = _account(email)
    _run(lambda: lifecycle.unlock_user(OPERATOR, user))
    click.echo(f"{user.email} is unlocked.")


@users.command("reset-second-factor")
@click.argument("email")
@with_appcontext
def reset_second_factor_command(email: str) -> None:
    """A lost phone: the account enrols a new authenticator app at its next sign-in."""
    user = _account(email)
    try:
        key = lifecycle.reset_second_factor(OPERATOR, user)
    except ServiceError as problem:
        raise click.ClickException(str(problem)) from problem
    hours = int(lifecycle.ENROLMENT_LINK_LIFETIME.total_seconds() // 3600)
    click.echo(f"{user.email}'s second factor is reset; every session is signed out.")
    click.echo("")
    click.echo(f"Give the person this link (it works once, for {hours} hours). After their")
    click.echo("password, it shows a new QR code for their authenticator app:")
    click.echo(f"    {lifecycle.enrolment_url(key)}")
    click.echo("")
