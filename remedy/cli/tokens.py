"""``flask tokens create``, ``flask tokens list`` and ``flask tokens revoke``."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask.cli import with_appcontext

from remedy.accounts import tokens as token_service
from remedy.accounts import users as accounts
from remedy.core.actors import OPERATOR
from remedy.core.errors import InvalidInput, NotFound


@click.group(help="Bearer tokens for the JSON API; a token acts as its account.")
def tokens() -> None:
    pass


def _when(moment: datetime | None, never: str) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else never


@tokens.command("create")
@click.option("--user", "email", required=True, help="The account the token acts as.")
@click.option("--name", default=None, help="What the token is for, such as the system using it.")
@click.option(
    "--expires",
    "days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Days until the token expires (default: REMEDY_TOKEN_DAYS, 90 days).",
)
@with_appcontext
def create(email: str, name: str | None, days: int | None) -> None:
    """Issue a token and print it once: it is stored only as a hash."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email!r}.")
    lifetime = timedelta(days=days) if days else None
    try:
        issued = token_service.issue_token(OPERATOR, user, name, lifetime)
    except InvalidInput as problem:
        raise click.ClickException(str(problem)) from problem
    token = issued.token
    click.echo(
        f"Created API token {token.id} ({token.prefix}…) for {user.email} "
        f"({user.role.value}), expires: {_when(token.expires_at, 'no expiry')}."
    )
    click.echo("Copy it now; it is not shown again:")
    click.echo(issued.secret)


@tokens.command("list")
@click.option("--user", "email", default=None, help="Only this account's tokens.")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked tokens.")
@with_appcontext
def list_command(email: str | None, include_revoked: bool) -> None:
    """One line per token: id, prefix, account, name, expiry, last use."""
    user = None
    if email:
        user = accounts.find_user(email)
        if user is None:
            raise click.ClickException(f"No account with the email {email!r}.")
    found = token_service.list_tokens(user, include_revoked)
    if not found:
        click.echo("No API tokens.")
        return
    for token in found:
        state = f"revoked {_when(token.revoked_at, '')}" if token.revoked_at else "active"
        click.echo(
            f"{token.id}\t{token.prefix}…\t{token.user.email}\t{token.name}\t"
            # Tokens issued before expiry was the default have none: told plainly, so an
            # operator sees which ones to replace.
            f"expires {_when(token.expires_at, 'no expiry')}\t"
            f"last used {_when(token.last_used_at, 'never')}\t{state}"
        )


@tokens.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke(token_id: int) -> None:
    """Revoke a token at once; requests with it get 401 from now on."""
    try:
        token = token_service.revoke_token(OPERATOR, token_id)
    except NotFound as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Revoked API token {token.id} ({token.prefix}…).")
